using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Planning;
using Spectre.Console;
using UnitsNet;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect plan</c>: a pre-training plan from a compute budget (or devices × hours) and an optional data set,
/// or with <c>--fine-tune</c> the choice of a candidate to fine-tune on a data set within memory, time and money.
/// </summary>
internal sealed class PlanCommand : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var budget = CliOptions.Parsed("--compute-budget", "Training compute in FLOPs, e.g. 1e21 or '5.76e23 FLOP'; or give --device with --hours or --budget-usd instead.", "FLOPS", text => ComputeBudget.Parse(text, CultureInfo.InvariantCulture));
        var device = new Option<string?>("--device") { Description = "One device id (with --device-count and --hours or --budget-usd, or for --fine-tune); 'local' measures this machine.", HelpName = "ID" };
        var deviceCount = CliOptions.Count("--device-count", "How many of --device: a count (the device itself is --device).", 1, 1_000_000, 1, "--devices");
        var hours = CliOptions.Number("--hours", "Wall-clock hours on the devices: budget = devices × 16-bit peak × hours × utilisation.", "H");
        var utilization = CliOptions.Number("--utilization", "Model-FLOPs utilisation, in (0, 1].", "U", 0.4, 0, 1);
        var price = CliOptions.Money("--price-per-hour", "Price per device-hour in US dollars. Default: the device's list price.");
        var budgetUsd = CliOptions.Money("--budget-usd", "Money to spend in US dollars, with --device (and its price or --price-per-hour): budget = money ÷ price × 16-bit peak × utilisation.", allowZero: false);
        var datasetTokens = CliOptions.Parsed("--dataset-tokens", "Unique training tokens available, e.g. 300B.", "TOKENS", text => DatasetSize.Parse(text, CultureInfo.InvariantCulture));
        var fineTune = new Option<bool>("--fine-tune") { Description = "Plan fine-tuning of --candidates instead of pre-training." };
        var candidates = new Option<string?>("--candidates") { Description = "Fine-tuning: candidate model ids, comma-separated.", HelpName = "ID,ID…" };
        var examples = new Option<long?>("--dataset-examples") { Description = "Fine-tuning: training examples (1 or more).", HelpName = "N" };
        var tokensPerExample = CliOptions.Count("--tokens-per-example", "Fine-tuning: tokens per example, also the sequence length.", 1, InferenceWorkload.MaxTokens, 512);
        var epochs = CliOptions.Number("--epochs", "Fine-tuning: passes over the data.", "N", 1, 0, 1e6);
        var maxHours = CliOptions.Number("--max-hours", "Fine-tuning: time limit in hours.", "H");
        var maxCost = CliOptions.Money("--max-cost", "Fine-tuning: money limit in US dollars.");
        var trainingOptions = new TrainingOptions();
        var benchmark = new Option<string?>("--benchmark") { Description = "Fine-tuning: rank by this published score. Default: fastest first.", HelpName = "ID" };
        var batch = CliOptions.Count("--batch", "Fine-tuning: micro-batch per device.", 1, InferenceWorkload.MaxBatch, 1);
        var command = new Command("plan", "Plan pre-training from a compute budget and data (Chinchilla, Muennighoff), or --fine-tune: choose a candidate whose fine-tuning fits memory, time and money.");
        foreach (var option in new Option[] { budget, device, deviceCount, hours, utilization, price, budgetUsd, datasetTokens, fineTune, candidates, examples, tokensPerExample, epochs, maxHours, maxCost, benchmark, batch })
        {
            command.Options.Add(option);
        }

        trainingOptions.AddTo(command, fineTune);
        examples.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is < 1 and var n)
            {
                result.AddError($"--dataset-examples must be 1 or more; was {n}.");
            }
        });
        CliCompletions.DeviceIds(device, context);
        CliCompletions.ModelIds(candidates, context);
        CliRules.NotTogether(command, budget, hours, "both set the compute budget; give --compute-budget FLOPS, or --device ID --device-count N --hours H");
        CliRules.NotTogether(command, budget, budgetUsd, "both set the compute budget; give --compute-budget FLOPS, or --device ID --budget-usd USD");
        CliRules.NotTogether(command, hours, budgetUsd, "both set the compute budget; give --hours H or --budget-usd USD");
        foreach (var option in new Option[] { candidates, examples, tokensPerExample, epochs, maxHours, maxCost, benchmark, batch })
        {
            CliRules.OnlyWith(command, option, fineTune);
        }

        foreach (var option in new Option[] { budget, hours, budgetUsd, datasetTokens })
        {
            CliRules.OnlyWithout(command, option, fineTune, "--fine-tune plans from --dataset-examples, --epochs and --device, not from a pre-training budget");
        }

        CliRules.OnlyWith(command, hours, device, "the budget is --device-count × the device's peak × hours");
        CliRules.OnlyWith(command, budgetUsd, device, "money buys hours of a device");
        CliRules.OnlyWith(command, price, device);
        context.SetExamples(
            command,
            "modelselect plan --compute-budget 5.76e23 --dataset-tokens 300B",
            "modelselect plan --device nvidia-h100-sxm-80gb --device-count 64 --hours 720",
            "modelselect plan --device nvidia-a100-80gb-sxm --budget-usd 50000 --dataset-tokens 1T --json",
            "modelselect plan --fine-tune --candidates meta-llama/Llama-2-7b-hf,TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T --dataset-examples 50000 --device nvidia-a100-80gb-sxm --lora-rank 16");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            DeviceProfile? profile = parseResult.GetValue(device) is { } id ? await context.ResolveDeviceAsync(parseResult, output, id, cancellationToken).ConfigureAwait(false) : null;
            if (profile is not null && parseResult.GetValue(price) is { } p)
            {
                profile = profile with { PricePerHourUsd = p };
            }

            if (parseResult.GetValue(fineTune))
            {
                if (profile is null || parseResult.GetValue(candidates) is not { } list || parseResult.GetValue(examples) is not { } count)
                {
                    return CliErrors.Report(output.Error, "plan --fine-tune needs --candidates, --dataset-examples and --device.");
                }

                var request = new FineTuningRequest
                {
                    CandidateIds = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Dataset = DatasetSize.FromExamples(count, parseResult.GetValue(tokensPerExample)),
                    Epochs = parseResult.GetValue(epochs),
                    Device = profile,
                    DeviceCount = parseResult.GetValue(deviceCount),
                    Utilization = parseResult.GetValue(utilization),
                    Training = trainingOptions.Apply(parseResult, new TrainingWorkload { Batch = parseResult.GetValue(batch), SequenceLength = parseResult.GetValue(tokensPerExample) }),
                    MaxHours = parseResult.GetValue(maxHours),
                    MaxCostUsd = parseResult.GetValue(maxCost),
                    Benchmark = parseResult.GetValue(benchmark),
                };
                var result = FineTuningPlanner.Plan(request, context.Get<ModelCatalog>(parseResult));
                if (output.Json)
                {
                    output.WriteJson(SelectionJson.Result(result, Training));
                }
                else
                {
                    output.MarkupLine("choice     " + (result.Choice is { } c ? CliTable.Verdict($"{c.Model.Id} ({Hours(c)} of training, {UnitConversions.FormatBytes(c.Memory.TotalBytes)} per device)", good: true) : CliTable.Verdict("none", good: false)));
                    output.Out.WriteLine($"why        {result.Explanation}");
                    var table = CliTable.Create("", "candidate", ">time", ">cost", ">memory", ">FLOPs / reasons");
                    foreach (var r in result.Ranked)
                    {
                        table.MarkupRow(CliTable.Verdict("ok", good: true), Markup.Escape(r.Model.Id), Markup.Escape(Hours(r)), Markup.Escape(Cost(r)), Markup.Escape(UnitConversions.FormatBytes(r.Memory.TotalBytes)), Markup.Escape(r.Flops.Total.ToString("G", CultureInfo.InvariantCulture)));
                    }

                    foreach (var r in result.Rejected)
                    {
                        table.MarkupRow(CliTable.Verdict("rejected", good: false), Markup.Escape(r.Candidate.Model.Id), string.Empty, string.Empty, string.Empty, Markup.Escape(string.Join("; ", r.Reasons.Select(x => $"{x.Code}: {x.Message}"))));
                    }

                    output.Write(table);
                }

                return result.Choice is null ? ExitCodes.NoCandidate : ExitCodes.Success;
            }

            ComputeBudget computeBudget;
            if (parseResult.GetValue(budget) is { } given)
            {
                computeBudget = given;
            }
            else if (profile is not null && (parseResult.GetValue(hours) is not null || parseResult.GetValue(budgetUsd) is not null))
            {
                var peak = profile.PeakFlops.Resolve(NumericPrecision.Bf16)?.Peak ?? throw new ArgumentException($"Device '{profile.Id}' has no 16-bit or fp32 compute path for training.");
                if (parseResult.GetValue(hours) is { } h)
                {
                    computeBudget = ComputeBudget.FromDevices(peak, parseResult.GetValue(deviceCount), Duration.FromHours(h), parseResult.GetValue(utilization));
                }
                else
                {
                    var pricePerHour = profile.PricePerHourUsd
                        ?? throw new ArgumentException($"Device '{profile.Id}' has no price per hour: give --price-per-hour with --budget-usd.");
                    computeBudget = ComputeBudget.FromSpend(parseResult.GetValue(budgetUsd)!.Value, pricePerHour, peak, parseResult.GetValue(utilization));
                }
            }
            else
            {
                return CliErrors.Report(output.Error, "plan needs --compute-budget FLOPS, or --device ID with --devices N --hours H or --budget-usd USD.");
            }

            var dataset = parseResult.GetValue(datasetTokens);
            var plan = PretrainingPlanner.Plan(computeBudget, dataset, profile, parseResult.GetValue(deviceCount), parseResult.GetValue(utilization));
            if (output.Json)
            {
                output.WriteJson(new
                {
                    computeBudgetFlops = plan.Budget.Flops,
                    computeOptimal = new { parameters = plan.OptimalParameters, tokens = plan.OptimalTokens, predictedLoss = plan.PredictedLoss },
                    datasetTokens = plan.Dataset?.Tokens,
                    dataLimited = plan.DataLimited is { } d ? new { parameters = d.Parameters, tokens = d.Tokens, epochs = d.Epochs, predictedLoss = d.PredictedLoss } : null,
                    comparison = plan.Comparison.Select(o => new { parameters = o.Parameters, tokens = o.Tokens, epochs = o.Epochs, predictedLoss = o.PredictedLoss }).ToArray(),
                    hours = plan.Hours,
                    costUsd = plan.CostUsd,
                    advice = plan.Advice.ToArray(),
                });
            }
            else
            {
                output.Out.WriteLine($"budget     {plan.Budget.ToString("G", CultureInfo.InvariantCulture)}");
                output.Out.WriteLine($"optimal    {ParameterCount.FromCount((long)plan.OptimalParameters).ToString("G", CultureInfo.InvariantCulture)} parameters on {DatasetSize.FromTokens((long)plan.OptimalTokens).ToString("G", CultureInfo.InvariantCulture)}, predicted loss {plan.PredictedLoss.ToString("F3", CultureInfo.InvariantCulture)}");
                output.Out.WriteLine("sizes under this budget:");
                var sizes = CliTable.Create(">parameters", ">tokens seen", ">predicted loss", ">epochs");
                foreach (var o in plan.Comparison)
                {
                    sizes.Row(ParameterCount.FromCount((long)o.Parameters).ToString("G", CultureInfo.InvariantCulture), DatasetSize.FromTokens((long)o.Tokens).ToString("G", CultureInfo.InvariantCulture), o.PredictedLoss.ToString("F3", CultureInfo.InvariantCulture), o.Epochs is { } e ? e.ToString("0.##", CultureInfo.InvariantCulture) : "—");
                }

                output.Write(sizes);

                foreach (var line in plan.Advice)
                {
                    output.Out.WriteLine("advice     " + line);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, object?> Training(SelectionCandidate c)
    {
        var json = SelectionJson.Candidate(c);
        json["memory"] = new { weightsBytes = c.Memory.WeightsBytes, gradientsBytes = c.Memory.GradientsBytes, optimizerStatesBytes = c.Memory.OptimizerStatesBytes, activationsBytes = c.Memory.ActivationsBytes, overheadBytes = c.Memory.OverheadBytes, totalBytes = c.Memory.TotalBytes };
        json["flops"] = c.Flops.Total.Flops;
        json["hours"] = c.Performance?.LatencySeconds / 3600;
        json["costUsd"] = c.Performance?.CostUsd;
        json["energyJoules"] = c.Performance?.EnergyJoules;
        return json;
    }

    private static string Hours(SelectionCandidate c) => c.Performance is { } p ? (p.LatencySeconds / 3600).ToString("0.##", CultureInfo.InvariantCulture) + " h" : "—";

    private static string Cost(SelectionCandidate c) => c.Performance?.CostUsd is { } cost ? "$" + cost.ToString("F2", CultureInfo.InvariantCulture) : "no price";
}
