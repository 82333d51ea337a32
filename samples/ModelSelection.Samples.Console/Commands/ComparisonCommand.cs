using System.CommandLine;
using System.Globalization;
using ModelSelection.Comparison;
using ModelSelection.Devices;
using ModelSelection.Samples.Plots;
using UnitsNet;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect compare</c>, also what <c>modelselect</c> prints with no command: large and small models on five
/// dimensions — performance, size, training time, computational requirements, use cases — on one device per tier,
/// with the choice per tier and, with <c>--plot</c>, the picture.
/// </summary>
internal sealed class ComparisonCommand(ModelComparer comparer, Catalog.DeviceCatalog devices, ILocalDeviceProbe probe) : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var command = new Command("compare", "Compare large and small models on performance, size, training time, compute and use cases, on one device per tier (what modelselect prints with no command).");
        var options = new ComparisonOptions(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(options, parseResult, context.OutputFor(parseResult), cancellationToken));
        return command;
    }

    /// <summary>Adds the comparison's options to the root command and makes the comparison its action.</summary>
    public void AttachTo(RootCommand root, CliContext context)
    {
        var options = new ComparisonOptions(root);
        root.SetAction((parseResult, cancellationToken) => RunAsync(options, parseResult, context.OutputFor(parseResult), cancellationToken));
    }

    private async Task<int> RunAsync(ComparisonOptions o, ParseResult parseResult, CliOutput output, CancellationToken cancellationToken)
    {
        var request = new ComparisonRequest();
        if (parseResult.GetValue(o.Models) is { } models)
        {
            request = request with { ModelIds = Split(models, "--models") };
        }

        var single = parseResult.GetValue(o.Device);
        var many = parseResult.GetValue(o.Devices);
        if (single is not null && many is not null)
        {
            return CliErrors.Report(output.Error, "--device names one device and --devices a list; give one of them, not both.");
        }

        if ((many ?? single) is { } list)
        {
            var ids = Split(list, single is null ? "--devices" : "--device");
            var local = ids.Where(id => string.Equals(id, Catalog.DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase)).ToList();
            request = request with { DeviceIds = [.. ids.Except(local, StringComparer.OrdinalIgnoreCase)] };
            if (local.Count > 0)
            {
                request = request with { Devices = [await devices.ResolveAsync(Catalog.DeviceCatalog.LocalId, probe, cancellationToken).ConfigureAwait(false)] };
            }
        }

        if (parseResult.GetValue(o.Task) is { } task)
        {
            request = request with { Task = ModelTasks.TryParse(task, out var t) ? t : throw new FormatException($"--task must be one of {string.Join(", ", ModelTasks.AllNames)}; was '{task}'.") };
        }

        if (parseResult.GetValue(o.Budget) is { } budget)
        {
            var duration = Duration.TryParse(budget, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw new FormatException($"--budget must be a duration such as 100ms or 0.5s; was '{budget}'.");
            request = request with { LatencyBudget = duration.Seconds > 0 && double.IsFinite(duration.Seconds) && duration.Seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(UnitConversions.ToSeconds(duration)) : throw new FormatException($"--budget must be a positive duration such as 100ms; was '{budget}'.") };
        }

        if (parseResult.GetValue(o.Precision) is { } precision)
        {
            request = request with { Precision = NumericPrecision.TryParse(precision, CultureInfo.InvariantCulture, out var p) ? p : throw new FormatException($"--precision must be a weight format such as fp16, int8 or q4_k_m; was '{precision}'.") };
        }

        if (parseResult.GetValue(o.Sequence) is { } sequence)
        {
            request = request with { SequenceLength = sequence is >= 1 and <= 1 << 20 ? sequence : throw new FormatException($"--seq must be between 1 and 1048576 tokens; was {sequence}.") };
        }

        if (parseResult.GetValue(o.FineTuneDevice) is { } fineTuneDevice)
        {
            request = request with { FineTuningDeviceId = fineTuneDevice };
        }

        var plot = parseResult.GetValue(o.Plot);
        if (plot is not null && Path.GetExtension(plot).ToLowerInvariant() is not ".svg" and not ".png")
        {
            return CliErrors.Report(output.Error, $"--plot must name a .svg or .png file; was '{plot}'.");
        }

        var result = comparer.Compare(request);
        if (plot is not null)
        {
            ComparisonPlot.Save(result, plot);
        }

        if (output.Json)
        {
            output.WriteJson(ComparisonJson.Document(result, plot));
        }
        else
        {
            ComparisonText.Write(output.Out, result, plot);
        }

        return ExitCodes.Success;
    }

    private static string[] Split(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length > 0 ? parts : throw new FormatException($"{option} must list at least one id, comma-separated; was '{text}'.");
    }

    /// <summary>The comparison's options, created for one command (the root and <c>compare</c> each get their own).</summary>
    private sealed class ComparisonOptions
    {
        public ComparisonOptions(Command command)
        {
            foreach (var option in new Option[] { Models, Devices, Device, Task, Budget, Precision, Sequence, FineTuneDevice, Plot })
            {
                command.Options.Add(option);
            }
        }

        public Option<string?> Models { get; } = new("--models") { Description = "Model ids, comma-separated (default: BERT-large/base, RoBERTa-large/base, Transformer-XL, DistilBERT, MobileBERT, TinyBERT-6L/4L)." };

        public Option<string?> Devices { get; } = new("--devices") { Description = "Device ids, comma-separated (default: one per tier: nvidia-a100-80gb-sxm, nvidia-rtx-4090, apple-m3, qualcomm-snapdragon-8-gen-3, raspberry-pi-5-8gb); 'local' probes this machine." };

        public Option<string?> Device { get; } = new("--device") { Description = "One device id instead of the tiers, e.g. raspberry-pi-5-8gb ('local' probes this machine)." };

        public Option<string?> Task { get; } = new("--task") { Description = $"Task compared on ({string.Join(", ", ModelTasks.AllNames)}; default classification)." };

        public Option<string?> Budget { get; } = new("--budget") { Description = "Real-time budget for one request, e.g. 100ms (default 100ms)." };

        public Option<string?> Precision { get; } = new("--precision") { Description = "Weight format every model is compared at (default fp16)." };

        public Option<int?> Sequence { get; } = new("--seq") { Description = "Tokens of one request (default 128)." };

        public Option<string?> FineTuneDevice { get; } = new("--fine-tune-device") { Description = "Device the SST-2-sized fine-tuning job is timed on (default nvidia-a100-80gb-sxm)." };

        public Option<string?> Plot { get; } = new("--plot") { Description = "Also draw the comparison to FILE.svg or FILE.png (quality against latency per device, and against size)." };
    }
}
