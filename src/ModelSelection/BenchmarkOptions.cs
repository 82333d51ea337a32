using ModelSelection.Quality;

namespace ModelSelection;

/// <summary>
/// A benchmark of your own (an internal evaluation set) added to the registry through configuration, so models can be
/// scored on it (<see cref="ModelOptions.QualityScores"/>) and profiles can rank by it.
/// </summary>
public sealed class BenchmarkOptions
{
    /// <summary>Gets or sets the id scores are keyed by, e.g. <c>acme-intent-f1</c>; a built-in id is replaced.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets a readable name; the id when unset.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the task it measures (<c>classification</c>, <c>text-generation</c>, …; see <see cref="ModelTasks"/>).</summary>
    public string? Task { get; set; }

    /// <summary>Gets or sets the split, e.g. <c>test</c>.</summary>
    /// <value>The default value is <c>test</c>.</value>
    public string Split { get; set; } = "test";

    /// <summary>Gets or sets the metric, e.g. <c>macro F1</c>.</summary>
    /// <value>The default value is <c>score</c>.</value>
    public string Metric { get; set; } = "score";

    /// <summary>Gets or sets whether a higher number is better.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool HigherIsBetter { get; set; } = true;

    /// <summary>Gets or sets how format quality deltas combine with its numbers.</summary>
    /// <value>The default value is <see cref="BenchmarkScale.Points"/>.</value>
    public BenchmarkScale Scale { get; set; } = BenchmarkScale.Points;

    /// <summary>Gets or sets where the measurement is defined (your evaluation's name and date).</summary>
    public string? Source { get; set; }

    /// <summary>Builds the benchmark, or says what is missing.</summary>
    /// <param name="problems">Receives one sentence per problem, naming the property.</param>
    /// <returns>The benchmark, or <see langword="null"/> when a problem was found.</returns>
    internal Benchmark? ToBenchmark(List<string> problems)
    {
        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("Id is required.");
        }

        if (!ModelTasks.TryParse(Task, out var task))
        {
            problems.Add($"Task must be one of {string.Join(", ", ModelTasks.AllNames)}; was '{Task}'.");
        }

        if (string.IsNullOrWhiteSpace(Source))
        {
            problems.Add("Source is required: say where the measurement is defined.");
        }

        if (!Enum.IsDefined(Scale))
        {
            problems.Add($"Scale must be Points or Perplexity; was {(int)Scale}.");
        }

        return problems.Count > before ? null : new Benchmark
        {
            Id = Id!, Name = Name ?? Id!, Task = task, Suite = Name ?? Id!, Split = Split, TaskSet = "as its source defines",
            Metric = Metric, HigherIsBetter = HigherIsBetter, Scale = Scale, Source = Source!,
        };
    }
}
