using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Planning;
using UnitsNet;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect plan</c>: a pre-training plan from a compute budget (or devices × hours) and an optional data set,
/// or with <c>--fine-tune</c> the choice of a candidate to fine-tune on a data set within memory, time and money.
/// </summary>
internal sealed class PlanCommand(ModelCatalog models, DeviceCatalog devices, ILocalDeviceProbe probe) : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var budget = new Option<string?>("--compute-budget") { Description = "Training compute in FLOPs, e.g. 1e21 or '5.76e23 FLOP'." };
        var device = new Option<string?>("--device") { Description = "Device id (with --devices and --hours, or for --fine-tune); 'local' probes this machine." };
        var deviceCount = new Option<int>("--devices") { Description = "Devices (default 1).", DefaultValueFactory = _ => 1 };
        var hours = new Option<double?>("--hours") { Description = "Wall-clock hours on the devices (budget = devices × 16-bit peak × hours × utilisation)." };
        var utilization = new Option<double>("--utilization") { Description = "Model-FLOPs utilisation in (0, 1] (default 0.4).", DefaultValueFactory = _ => 0.4 };
        var price = new Option<decimal?>("--price-per-hour") { Description = "Price per device-hour in USD (default: the device's list price)." };
        var budgetUsd = new Option<decimal?>("--budget-usd") { Description = "Money to spend in USD, with --device (and its price or --price-per-hour): budget = money ÷ price × 16-bit peak × utilisation." };
        var datasetTokens = new Option<string?>("--dataset-tokens") { Description = "Unique training tokens available, e.g. 300B." };
        var fineTune = new Option<bool>("--fine-tune") { Description = "Plan fine-tuning of --candidates instead of pre-training." };
        var candidates = new Option<string?>("--candidates") { Description = "Fine-tuning: candidate model ids, comma-separated." };
        var examples = new Option<long?>("--dataset-examples") { Description = "Fine-tuning: training examples." };
        var tokensPerExample = new Option<int>("--tokens-per-example") { Description = "Fine-tuning: tokens per example, also the sequence length (default 512).", DefaultValueFactory = _ => 512 };
        var epochs = new Option<double>("--epochs") { Description = "Fine-tuning: passes over the data (default 1).", DefaultValueFactory = _ => 1 };
        var maxHours = new Option<double?>("--max-hours") { Description = "Fine-tuning: time limit in hours." };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "Fine-tuning: money limit in USD." };
        var trainingOptions = new TrainingOptions();
        var benchmark = new Option<string?>("--benchmark") { Description = "Fine-tuning: rank by this published score (default: fastest first)." };
        var batch = new Option<int>("--batch") { Description = "Fine-tuning: micro-batch per device (default 1).", DefaultValueFactory = _ => 1 };
        var command = new Command("plan", "Plan pre-training from a compute budget and data (Chinchilla, Muennighoff), or --fine-tune: choose a candidate whose fine-tuning fits memory, time and money.");
        foreach (var option in new Option[] { budget, device, deviceCount, hours, utilization, price, budgetUsd, datasetTokens, fineTune, candidates, examples, tokensPerExample, epochs, maxHours, maxCost, benchmark, batch })
        {
            command.Options.Add(option);
        }

        trainingOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            DeviceProfile? profile = parseResult.GetValue(device) is { } id ? await devices.ResolveAsync(id, probe, cancellationToken).ConfigureAwait(false) : null;
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
                var result = FineTuningPlanner.Plan(request, models);
                if (output.Json)
                {
                    output.WriteJson(SelectionJson.Result(result, Training));
                }
                else
                {
                    output.Out.WriteLine(result.Choice is { } c ? $"choice     {c.Model.Id} ({Hours(c)} of training, {UnitConversions.FormatBytes(c.Memory.TotalBytes)} per device)" : "choice     none");
                    output.Out.WriteLine($"why        {result.Explanation}");
                    foreach (var r in result.Ranked)
                    {
                        output.Out.WriteLine($"  ok       {r.Model.Id,-50} {Hours(r),12} {Cost(r),12} {UnitConversions.FormatBytes(r.Memory.TotalBytes),12}  {r.Flops.Total.ToString("G", CultureInfo.InvariantCulture)}");
                    }

                    foreach (var r in result.Rejected)
                    {
                        output.Out.WriteLine($"  rejected {r.Candidate.Model.Id,-50} {string.Join("; ", r.Reasons.Select(x => $"{x.Code}: {x.Message}"))}");
                    }
                }

                return result.Choice is null ? ExitCodes.NoCandidate : ExitCodes.Success;
            }

            ComputeBudget computeBudget;
            if (parseResult.GetValue(budget) is { } text)
            {
                computeBudget = ComputeBudget.Parse(text, CultureInfo.InvariantCulture);
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

            var dataset = parseResult.GetValue(datasetTokens) is { } tokens ? DatasetSize.Parse(tokens, CultureInfo.InvariantCulture) : (DatasetSize?)null;
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
                output.Out.WriteLine("sizes under this budget (parameters, tokens seen, predicted loss):");
                foreach (var o in plan.Comparison)
                {
                    output.Out.WriteLine($"  {ParameterCount.FromCount((long)o.Parameters).ToString("G", CultureInfo.InvariantCulture),8}  {DatasetSize.FromTokens((long)o.Tokens).ToString("G", CultureInfo.InvariantCulture),16}  {o.PredictedLoss.ToString("F3", CultureInfo.InvariantCulture)}{(o.Epochs is { } e ? $"  ({e.ToString("0.##", CultureInfo.InvariantCulture)} epochs)" : string.Empty)}");
                }

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
