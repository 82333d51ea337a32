using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Models;

namespace ModelSelection.Samples.Console.Commands;

/// <summary><c>modelselect models [--json]</c>: the model catalog with exact parameter counts, quality scores and sources.</summary>
internal sealed class ModelsCommand(ModelCatalog catalog) : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var command = new Command("models", "List the built-in model catalog: family, exact parameters, published quality scores and their sources.");
        command.SetAction(parseResult =>
        {
            var output = context.OutputFor(parseResult);
            if (output.Json)
            {
                output.WriteJson(new { models = catalog.Models.Select(ToJson).ToArray() });
                return ExitCodes.Success;
            }

            var invariant = CultureInfo.InvariantCulture;
            output.Out.WriteLine($"{"id",-52} {"family",-11} {"kind",-15} {"parameters",16}  quality scores");
            foreach (var model in catalog.Models)
            {
                var scores = string.Join(", ", model.QualityScores.Select(s => $"{s.Key} {s.Value.Value.ToString("0.##", invariant)}"));
                var active = model.Architecture.IsMixtureOfExperts ? $" ({model.ActiveParameters.ToString("G", invariant)} active)" : string.Empty;
                output.Out.WriteLine($"{model.Id,-52} {model.Family,-11} {KindName(model.Architecture.Kind),-15} {model.Parameters.ToString("N", invariant),16}  {(scores.Length == 0 ? "—" : scores)}{active}");
            }

            output.Out.WriteLine();
            output.Out.WriteLine($"{catalog.Models.Length} models. Counting: {ModelSpec.CountingConvention}");
            output.Out.WriteLine("Score sources: modelselect models --json, or docs/catalog-sources.md.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The catalog JSON of one model (shared/contract/catalog.schema.json).</summary>
    public static object ToJson(ModelSpec model) => new
    {
        id = model.Id,
        family = model.Family,
        kind = KindName(model.Architecture.Kind),
        parameters = model.Parameters.Count,
        activeParameters = model.Architecture.IsMixtureOfExperts ? model.ActiveParameters.Count : (long?)null,
        qualityScores = model.QualityScores.ToDictionary(s => s.Key, s => s.Value.Value),
        qualityScoreSources = model.QualityScores.ToDictionary(s => s.Key, s => s.Value.Source),
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
