using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Models;
using ModelSelection.Quality;

namespace ModelSelection.Samples.Console.Commands;

/// <summary><c>modelselect models [--json]</c>: the model catalog with exact parameter counts, quality scores and sources.</summary>
internal sealed class ModelsCommand : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var list = new Option<bool>("--benchmarks") { Description = "List the benchmark registry instead: each id's suite, split, task set, metric, direction and source, and each task's default." };
        var command = new Command("models", "List the built-in model catalog: family, exact parameters, tasks, context, published quality scores and their sources.");
        command.Options.Add(list);
        context.SetExamples(command, "modelselect models", "modelselect models --json", "modelselect models --benchmarks");
        command.SetAction(parseResult =>
        {
            var output = context.OutputFor(parseResult);
            var catalog = context.Get<ModelCatalog>(parseResult);
            if (parseResult.GetValue(list))
            {
                return WriteBenchmarks(catalog, context.Get<BenchmarkRegistry>(parseResult), output);
            }

            if (output.Json)
            {
                output.WriteJson(new { models = catalog.Models.Select(ToJson).ToArray() });
                return ExitCodes.Success;
            }

            var invariant = CultureInfo.InvariantCulture;
            var table = CliTable.Create("id", "family", "kind", ">parameters", ">context", "quality scores (* measured on a related checkpoint)");
            foreach (var model in catalog.Models)
            {
                var scores = string.Join(", ", model.QualityScores.Select(s => $"{s.Key} {s.Value.Value.ToString("0.##", invariant)}{(s.Value.IsOwnCheckpoint ? string.Empty : "*")}"));
                var active = model.Architecture.IsMixtureOfExperts ? $" ({model.ActiveParameters.ToString("G", invariant)} active)" : string.Empty;
                var window = model.ContextLength > 0 ? model.ContextLength.ToString(invariant) : "∞";
                table.Row(model.Id, model.Family, KindName(model.Architecture.Kind), model.Parameters.ToString("N", invariant), window, (scores.Length == 0 ? "—" : scores) + active);
            }

            output.Write(table);
            output.Out.WriteLine($"{catalog.Models.Length} models. Counting: {ModelSpec.CountingConvention}");
            output.Out.WriteLine("Score sources: modelselect models --json, or docs/catalog-sources.md. Benchmarks: modelselect models --benchmarks.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int WriteBenchmarks(ModelCatalog catalog, BenchmarkRegistry benchmarks, CliOutput output)
    {
        var defaults = Enum.GetValues<ModelTask>().Select(t => (Task: t, Benchmark: benchmarks.DefaultFor(t))).Where(d => d.Benchmark is not null).ToList();
        if (output.Json)
        {
            output.WriteJson(new
            {
                benchmarks = benchmarks.Benchmarks.Select(b => new
                {
                    id = b.Id,
                    name = b.Name,
                    task = ModelTasks.ToName(b.Task),
                    suite = b.Suite,
                    split = b.Split,
                    taskSet = b.TaskSet,
                    metric = b.Metric,
                    shots = b.Shots,
                    higherIsBetter = b.HigherIsBetter,
                    scale = b.Scale.ToString().ToLowerInvariant(),
                    source = b.Source,
                    scoredModels = catalog.Models.Count(m => m.QualityScores.ContainsKey(b.Id)),
                }).ToArray(),
                defaults = defaults.ToDictionary(d => ModelTasks.ToName(d.Task), d => d.Benchmark!.Id),
            });
            return ExitCodes.Success;
        }

        var table = CliTable.Create("id", "task", "split", "better", ">models", "name");
        foreach (var b in benchmarks.Benchmarks)
        {
            table.Row(b.Id, ModelTasks.ToName(b.Task), b.Split, b.HigherIsBetter ? "higher" : "lower", catalog.Models.Count(m => m.QualityScores.ContainsKey(b.Id)).ToString(CultureInfo.InvariantCulture), b.Name);
        }

        output.Write(table);
        output.Out.WriteLine("Defaults: " + string.Join(", ", defaults.Select(d => $"{ModelTasks.ToName(d.Task)} → {d.Benchmark!.Id}")));
        output.Out.WriteLine("Definitions and sources: modelselect models --benchmarks --json, or docs/selection.md.");
        return ExitCodes.Success;
    }

    /// <summary>The catalog JSON of one model (docs/contract/catalog.schema.json).</summary>
    public static object ToJson(ModelSpec model) => new
    {
        id = model.Id,
        family = model.Family,
        kind = KindName(model.Architecture.Kind),
        parameters = model.Parameters.Count,
        activeParameters = model.Architecture.IsMixtureOfExperts ? model.ActiveParameters.Count : (long?)null,
        qualityScores = model.QualityScores.ToDictionary(s => s.Key, s => s.Value.Value),
        qualityScoreSources = model.QualityScores.ToDictionary(s => s.Key, s => s.Value.Source),
        qualityScoreCheckpoints = model.QualityScores.Where(s => !s.Value.IsOwnCheckpoint).ToDictionary(s => s.Key, s => s.Value.Checkpoint),
        tasks = model.Tasks.Select(ModelTasks.ToName).ToArray(),
        contextLength = model.ContextLength,
        sources = model.Sources.Concat(model.QualityScores.Select(s => s.Value.Source)).Distinct().ToArray(),
    };

    /// <summary>The kind as the JSON writes it.</summary>
    public static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Encoder => "encoder",
        ModelKind.Decoder => "decoder",
        _ => "encoder-decoder",
    };
}
