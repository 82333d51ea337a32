using System.CommandLine;
using System.Globalization;
using ModelSelection.Comparison;
using ModelSelection.Samples.Plots;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect compare</c>, also what <c>modelselect</c> prints with no command: large and small models on five
/// dimensions — performance, size, training time, computational requirements, use cases — on one device per tier,
/// with the choice per tier and, with <c>--plot</c>, the picture.
/// </summary>
internal sealed class ComparisonCommand : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var command = new Command("compare", "Compare large and small models on performance, size, training time, compute and use cases, on one device per tier (what modelselect prints with no command).");
        var options = new ComparisonOptions(command, context);
        context.SetExamples(command, "modelselect compare", "modelselect compare --device raspberry-pi-5-8gb --budget 50ms", "modelselect compare --devices apple-m3,local --plot compare.png", "modelselect compare --task text-generation --json");
        command.SetAction((parseResult, cancellationToken) => RunAsync(options, parseResult, context, cancellationToken));
        return command;
    }

    /// <summary>Adds the comparison's options to the root command and makes the comparison its action.</summary>
    public static void AttachTo(RootCommand root, CliContext context)
    {
        var options = new ComparisonOptions(root, context);
        context.SetExamples(root, "modelselect", "modelselect select --device nvidia-rtx-4090 --new-tokens 128 --max-tpot 50ms", "modelselect estimate --model meta-llama/Llama-2-7b-hf --device local", "modelselect <command> --help");
        root.SetAction((parseResult, cancellationToken) => RunAsync(options, parseResult, context, cancellationToken));
    }

    private static async Task<int> RunAsync(ComparisonOptions o, ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var output = context.OutputFor(parseResult);
        var request = new ComparisonRequest();
        if (parseResult.GetValue(o.Models) is { } models)
        {
            request = request with { ModelIds = Split(models, "--models") };
        }

        var single = parseResult.GetValue(o.Device);
        var many = parseResult.GetValue(o.Devices);
        if ((many ?? single) is { } list)
        {
            var ids = Split(list, single is null ? "--devices" : "--device");
            var local = ids.Where(id => string.Equals(id, Catalog.DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase)).ToList();
            request = request with { DeviceIds = [.. ids.Except(local, StringComparer.OrdinalIgnoreCase)] };
            if (local.Count > 0)
            {
                request = request with { Devices = [await context.ResolveDeviceAsync(parseResult, output, Catalog.DeviceCatalog.LocalId, cancellationToken).ConfigureAwait(false)] };
            }
        }

        if (parseResult.GetValue(o.Task) is { } task)
        {
            request = request with { Task = ModelTasks.TryParse(task, out var t) ? t : throw new FormatException($"--task must be one of {string.Join(", ", ModelTasks.AllNames)}; was '{task}'.") };
        }

        if (parseResult.GetValue(o.Budget) is { } budget)
        {
            request = request with { LatencyBudget = budget };
        }

        if (parseResult.GetValue(o.Precision) is { } precision)
        {
            request = request with { Precision = precision };
        }

        if (parseResult.GetValue(o.Sequence) is { } sequence)
        {
            request = request with { SequenceLength = sequence };
        }

        if (parseResult.GetValue(o.FineTuneDevice) is { } fineTuneDevice)
        {
            request = request with { FineTuningDeviceId = fineTuneDevice };
        }

        var plot = parseResult.GetValue(o.Plot);
        var comparer = context.Get<ModelComparer>(parseResult);
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
            ComparisonText.Write(output, result, plot);
        }

        return ExitCodes.Success;
    }

    private static string[] Split(string text, string option)
    {
        var parts = CliOptions.Ids(text);
        return parts.Length > 0 ? parts : throw new FormatException($"{option} must list at least one id, comma-separated; was '{text}'.");
    }

    /// <summary>The comparison's options, created for one command (the root and <c>compare</c> each get their own).</summary>
    private sealed class ComparisonOptions
    {
        public ComparisonOptions(Command command, CliContext context)
        {
            foreach (var option in new Option[] { Models, Devices, Device, Task, Budget, Precision, Sequence, FineTuneDevice, Plot })
            {
                command.Options.Add(option);
            }

            CliCompletions.ModelIds(Models, context);
            CliCompletions.DeviceIds(Devices, context);
            CliCompletions.DeviceIds(Device, context);
            CliCompletions.DeviceIds(FineTuneDevice, context);
            CliCompletions.Precisions(Precision);
            Task.CompletionSources.Add([.. ModelTasks.AllNames]);
            command.Validators.Add(result =>
            {
                if (result.Given(Device) && result.Given(Devices))
                {
                    result.AddError("--device names one device and --devices a list; give one of them, not both.");
                }
            });
            Plot.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } plot && Path.GetExtension(plot).ToLowerInvariant() is not ".svg" and not ".png")
                {
                    result.AddError($"--plot must name a .svg or .png file; was '{plot}'.");
                }
            });
        }

        public Option<string?> Models { get; } = new("--models") { Description = "Model ids, comma-separated. Default: BERT-large/base, RoBERTa-large/base, Transformer-XL, DistilBERT, MobileBERT, TinyBERT-6L/4L.", HelpName = "ID,ID…" };

        public Option<string?> Devices { get; } = new("--devices") { Description = "A list of device ids, comma-separated; 'local' measures this machine. Default: one per tier (nvidia-a100-80gb-sxm, nvidia-rtx-4090, apple-m3, qualcomm-snapdragon-8-gen-3, raspberry-pi-5-8gb).", HelpName = "ID,ID…" };

        public Option<string?> Device { get; } = new("--device") { Description = "One device id instead of the tiers, e.g. raspberry-pi-5-8gb; 'local' measures this machine.", HelpName = "ID" };

        public Option<string?> Task { get; } = new("--task") { Description = "Task compared on. Default: classification.", HelpName = string.Join("|", ModelTasks.AllNames) };

        public Option<TimeSpan?> Budget { get; } = CliOptions.Duration("--budget", "Real-time budget for one request, e.g. 100ms. Default: 100ms.");

        public Option<NumericPrecision?> Precision { get; } = CliOptions.Parsed("--precision", "One weight format every model is compared at. Default: fp16.", "FORMAT", text => NumericPrecision.Parse(text, CultureInfo.InvariantCulture));

        public Option<int?> Sequence { get; } = CliOptions.Count("--seq", "Tokens of one request. Default: 128.", 1, 1 << 20);

        public Option<string?> FineTuneDevice { get; } = new("--fine-tune-device") { Description = "Device the SST-2-sized fine-tuning job is timed on. Default: nvidia-a100-80gb-sxm.", HelpName = "ID" };

        public Option<string?> Plot { get; } = new("--plot") { Description = "Also draw the comparison to FILE.svg or FILE.png (quality against latency per device, and against size).", HelpName = "FILE" };
    }
}
