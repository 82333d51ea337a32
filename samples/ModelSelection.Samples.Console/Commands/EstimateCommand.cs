using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Safetensors;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect estimate (--model ID | --hf-config FILE | --safetensors FILE)</c>: the exact parameter count of a
/// catalog model, a <c>config.json</c> or a safetensors checkpoint (single file, sharded index or folder), with the
/// family, the architecture and the counting convention.
/// </summary>
internal sealed class EstimateCommand(ModelCatalog catalog) : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "A catalog id (see 'modelselect models'), e.g. meta-llama/Llama-2-7b-hf." };
        var config = new Option<FileInfo?>("--hf-config") { Description = "A Hugging Face config.json." };
        var safetensors = new Option<string?>("--safetensors") { Description = "A .safetensors file, a model.safetensors.index.json, or a folder holding either; a config.json beside it adds the architecture." };
        var command = new Command("estimate", "Exact parameters of a catalog model, a config.json or a safetensors checkpoint.");
        command.Options.Add(model);
        command.Options.Add(config);
        command.Options.Add(safetensors);
        command.SetAction(parseResult =>
        {
            var output = context.OutputFor(parseResult);
            var chosen = new object?[] { parseResult.GetValue(model), parseResult.GetValue(config), parseResult.GetValue(safetensors) }.Count(v => v is not null);
            if (chosen != 1)
            {
                return CliErrors.Report(output.Error, "estimate needs exactly one of --model ID, --hf-config FILE or --safetensors FILE.");
            }

            if (parseResult.GetValue(safetensors) is { } checkpointPath)
            {
                return WriteCheckpoint(SafetensorsCheckpoint.Read(checkpointPath), checkpointPath, output);
            }

            var spec = parseResult.GetValue(model) is { } id ? catalog.Get(id) : HuggingFaceConfig.Load(parseResult.GetValue(config)!.FullName);
            var source = parseResult.GetValue(config)?.FullName ?? spec.Id;
            Write(spec, source, checkpoint: null, output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static int WriteCheckpoint(SafetensorsCheckpoint checkpoint, string path, CliOutput output)
    {
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var configPath = Path.Combine(folder, "config.json");
        var spec = File.Exists(configPath) ? HuggingFaceConfig.Load(configPath) : null;
        if (spec is null)
        {
            if (output.Json)
            {
                output.WriteJson(new
                {
                    model = path,
                    parameters = checkpoint.Parameters.Count,
                    activeParameters = (long?)null,
                    countingConvention = "Stored elements of every tensor in the checkpoint, buffers (inv_freq, masks, position_ids) excluded; shared tensors are stored once.",
                    checkpoint = CheckpointJson(checkpoint, configMatches: null),
                });
            }
            else
            {
                WriteCheckpointText(checkpoint, output);
                output.Out.WriteLine("No config.json beside the checkpoint: family and architecture unknown.");
            }

            return ExitCodes.Success;
        }

        Write(spec, path, checkpoint, output);
        return ExitCodes.Success;
    }

    private static void Write(ModelSpec spec, string source, SafetensorsCheckpoint? checkpoint, CliOutput output)
    {
        var a = spec.Architecture;
        if (output.Json)
        {
            output.WriteJson(new
            {
                model = source,
                family = spec.Family,
                parameters = spec.Parameters.Count,
                activeParameters = a.IsMixtureOfExperts ? spec.ActiveParameters.Count : (long?)null,
                countingConvention = ModelSpec.CountingConvention,
                architecture = new
                {
                    kind = ModelsCommand.KindName(a.Kind),
                    layers = a.Layers,
                    decoderLayers = a.DecoderLayers,
                    hiddenSize = a.HiddenSize,
                    attentionHeads = a.AttentionHeads,
                    keyValueHeads = a.KeyValueHeads,
                    headDimension = a.HeadDimension,
                    feedForwardSize = a.FeedForwardSize,
                    gatedFeedForward = a.GatedFeedForward,
                    vocabularySize = a.VocabularySize,
                    maxPositions = a.MaxPositions,
                    tiedEmbeddings = a.TiedEmbeddings,
                    experts = a.Experts,
                    expertsPerToken = a.ExpertsPerToken,
                    slidingWindow = a.SlidingWindow,
                },
                checkpoint = checkpoint is null ? null : CheckpointJson(checkpoint, checkpoint.Parameters == spec.Parameters),
            });
            return;
        }

        var invariant = CultureInfo.InvariantCulture;
        output.Out.WriteLine($"model        {source}");
        output.Out.WriteLine($"family       {spec.Family} ({ModelsCommand.KindName(a.Kind)})");
        output.Out.WriteLine($"parameters   {spec.Parameters.ToString("N", invariant)} ({spec.Parameters.ToString("G", invariant)})");
        if (a.IsMixtureOfExperts)
        {
            output.Out.WriteLine($"active       {spec.ActiveParameters.ToString("N", invariant)} per token ({a.ExpertsPerToken} of {a.Experts} experts)");
        }

        output.Out.WriteLine($"shape        {a.Layers} layers{(a.DecoderLayers > 0 ? $" + {a.DecoderLayers} decoder layers" : string.Empty)}, hidden {a.HiddenSize}, {a.AttentionHeads} heads ({a.KeyValueHeads} KV) × {a.HeadDimension}, FFN {a.FeedForwardSize}{(a.GatedFeedForward ? " gated" : string.Empty)}, vocabulary {a.VocabularySize}{(a.TiedEmbeddings ? ", tied head" : string.Empty)}{(a.SlidingWindow is { } w ? $", window {w}" : string.Empty)}");
        output.Out.WriteLine($"counting     {ModelSpec.CountingConvention}");
        if (checkpoint is not null)
        {
            WriteCheckpointText(checkpoint, output);
            output.Out.WriteLine(checkpoint.Parameters == spec.Parameters
                ? "check        the checkpoint's tensors add up to the config's count"
                : $"check        the checkpoint stores {checkpoint.Parameters.ToString("N", invariant)} elements, the config describes {spec.Parameters.ToString("N", invariant)} (packed or partial checkpoint?)");
        }
    }

    private static object CheckpointJson(SafetensorsCheckpoint checkpoint, bool? configMatches) => new
    {
        files = checkpoint.Files.Length,
        tensors = checkpoint.Files.Sum(f => f.Tensors.Length),
        storedParameterElements = checkpoint.Parameters.Count,
        bufferElements = checkpoint.BufferElements,
        totalBytes = checkpoint.TotalBytes,
        bytesByDtype = checkpoint.BytesByDtype.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        matchesConfig = configMatches,
    };

    private static void WriteCheckpointText(SafetensorsCheckpoint checkpoint, CliOutput output)
    {
        var invariant = CultureInfo.InvariantCulture;
        output.Out.WriteLine($"checkpoint   {checkpoint.Files.Length} file(s), {checkpoint.Files.Sum(f => f.Tensors.Length)} tensors, {ByteText.Format(checkpoint.TotalBytes)} ({checkpoint.TotalBytes.ToString("N0", invariant)} bytes)");
        output.Out.WriteLine($"stored       {checkpoint.Parameters.ToString("N", invariant)} parameter elements; {checkpoint.BufferElements.ToString("N0", invariant)} buffer elements left out");
        output.Out.WriteLine($"dtypes       {string.Join(", ", checkpoint.BytesByDtype.Select(kv => $"{kv.Key} {ByteText.Format(kv.Value)}"))}");
    }
}
