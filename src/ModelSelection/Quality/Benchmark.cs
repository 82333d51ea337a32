namespace ModelSelection.Quality;

/// <summary>
/// One comparable measurement: a suite, a split, a fixed task set and averaging, a metric, a number of shots and a
/// direction. Two scores under the same benchmark id were measured the same way and can be ranked against each other;
/// scores under different ids cannot.
/// </summary>
/// <remarks>Immutable and thread-safe. The built-in benchmarks and their sources: <see cref="BenchmarkRegistry.BuiltIn"/>.</remarks>
public sealed record Benchmark
{
    /// <summary>Gets the id scores are keyed by, e.g. <c>glue-dev-bert</c>, <c>mmlu-5shot</c>, <c>wikitext103-test-ppl</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets a readable name, e.g. <c>GLUE dev, 8 tasks</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the task the benchmark measures.</summary>
    public required ModelTask Task { get; init; }

    /// <summary>Gets the suite, e.g. <c>GLUE</c>, <c>SQuAD v1.1</c>, <c>MMLU</c>.</summary>
    public required string Suite { get; init; }

    /// <summary>Gets the split: <c>dev</c>, <c>test</c> or <c>validation</c>.</summary>
    public required string Split { get; init; }

    /// <summary>Gets which tasks or subsets are included and how they are averaged.</summary>
    public required string TaskSet { get; init; }

    /// <summary>Gets the metric, e.g. <c>accuracy</c>, <c>F1</c>, <c>word-level perplexity</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the in-context examples per question, or <see langword="null"/> when the model is fine-tuned on the task (or the metric takes none).</summary>
    public int? Shots { get; init; }

    /// <summary>Gets whether a higher number is better (accuracy, F1); <see langword="false"/> for perplexity and error rates.</summary>
    public required bool HigherIsBetter { get; init; }

    /// <summary>Gets how quantisation deltas combine with its numbers.</summary>
    public required BenchmarkScale Scale { get; init; }

    /// <summary>Gets where the measurement convention is defined (the paper or README whose table fixes it).</summary>
    public required string Source { get; init; }

    /// <summary>Compares two scores on this benchmark: negative when <paramref name="x"/> is better, positive when worse.</summary>
    /// <param name="x">A score.</param>
    /// <param name="y">Another score.</param>
    /// <returns>The comparison, best first.</returns>
    public int CompareBestFirst(double x, double y) => HigherIsBetter ? y.CompareTo(x) : x.CompareTo(y);

    /// <summary>Gets whether <paramref name="score"/> is at least as good as <paramref name="floor"/> (a ceiling for lower-is-better benchmarks).</summary>
    /// <param name="score">The score.</param>
    /// <param name="floor">The limit.</param>
    /// <returns><see langword="true"/> when the score meets the limit.</returns>
    public bool Meets(double score, double floor) => HigherIsBetter ? score >= floor : score <= floor;
}
