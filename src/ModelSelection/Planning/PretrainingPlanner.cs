using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Devices;

namespace ModelSelection.Planning;

/// <summary>Plans pre-training from a compute budget (and a data set): how large a model to train, on how many tokens, for how long.</summary>
/// <remarks>Pure functions; thread-safe. Laws and sources: <see cref="ScalingLaws"/> and <c>docs/planning.md</c>.</remarks>
public static class PretrainingPlanner
{
    private static readonly double[] ComparisonFactors = [0.25, 0.5, 1, 2, 4];

    /// <summary>The largest budget planned for: 1e30 FLOPs, over a thousand times the largest published training runs, and within <see cref="ParameterCount.MaxCount"/> for every compared size.</summary>
    public const double MaxBudgetFlops = 1e30;

    /// <summary>Plans for a budget.</summary>
    /// <param name="budget">The training compute; greater than 0.</param>
    /// <param name="dataset">The unique tokens available, or <see langword="null"/> for unlimited data.</param>
    /// <param name="device">The device, for time and cost; <see langword="null"/> for none.</param>
    /// <param name="deviceCount">Devices, 1 or more.</param>
    /// <param name="utilization">Model-FLOPs utilisation in (0, 1]; 0.4 is typical of large runs.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The budget is zero or above <see cref="MaxBudgetFlops"/>, the data set empty, or another argument is out of range.</exception>
    public static PretrainingPlan Plan(ComputeBudget budget, DatasetSize? dataset = null, DeviceProfile? device = null, int deviceCount = 1, double utilization = 0.4)
    {
        Internal.Guard.FinitePositive(budget.Flops, "Compute budget in FLOPs", nameof(budget));
        if (budget.Flops > MaxBudgetFlops)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget.Flops, string.Create(CultureInfo.InvariantCulture,
                $"Compute budget for planning must be at most {MaxBudgetFlops:0e0} FLOPs (far past any measured run, and beyond it the compared sizes leave ParameterCount's range); was {budget.Flops:0.###e0}."));
        }

        Internal.Guard.InRange(deviceCount, 1, 1_000_000, "Device count");
        Internal.Guard.Utilization(utilization);
        if (dataset is { Tokens: 0 })
        {
            throw new ArgumentOutOfRangeException(nameof(dataset), 0, "A data set for planning must hold at least 1 token; was 0.");
        }

        var (n, d) = ScalingLaws.ComputeOptimal(budget);
        var unique = dataset?.Tokens;
        var advice = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Compute-optimal: {Short(n)} parameters on {Short(d)} tokens (D ≈ 20·N, C ≈ 6·N·D; Hoffmann et al. 2022)."),
        };

        SizeOption? limited = null;
        if (unique is { } u && u < d)
        {
            // Repeat the data up to the point where repetition stops being cheap (~4 epochs), then spend the rest
            // of the budget on parameters: N = C / (6 · tokens seen).
            var epochs = Math.Min(d / u, ScalingLaws.CheapEpochs);
            var seen = epochs * u;
            var parameters = budget.Flops / (ScalingLaws.FlopsPerParameterPerToken * seen);
            limited = new SizeOption(parameters, seen, epochs, ScalingLaws.PredictedLoss(parameters, ScalingLaws.EffectiveTokens(u, epochs)));
            advice.Add(string.Create(CultureInfo.InvariantCulture,
                $"Data-limited: {Short(u)} unique tokens are {u / d:P0} of the optimal {Short(d)}. Repeat them for {epochs:0.##} epochs ({Short(seen)} tokens seen, worth {Short(ScalingLaws.EffectiveTokens(u, epochs))} unique) and train {Short(parameters)} parameters. Up to about 4 epochs repeated data is almost as good as new; beyond about 16 it adds little (Muennighoff et al. 2023)."));
            if (d / u > ScalingLaws.CheapEpochs)
            {
                advice.Add("More than 4 epochs would be needed to reach the optimum: collect more data, or accept the larger model trained on less; extra epochs past ~16 are close to worthless (Muennighoff et al. 2023).");
            }
        }

        var comparison = ComparisonFactors.Select(f =>
        {
            var parameters = n * f;
            var tokens = budget.Flops / (ScalingLaws.FlopsPerParameterPerToken * parameters);
            double? epochs = unique is { } uu ? Math.Max(1, tokens / uu) : null;
            var effective = unique is { } uniq && tokens > uniq ? ScalingLaws.EffectiveTokens(uniq, tokens / uniq) : tokens;
            return new SizeOption(parameters, tokens, epochs, ScalingLaws.PredictedLoss(parameters, effective));
        }).ToImmutableArray();
        advice.Add("Under the same budget a smaller model sees more tokens: compare the predicted losses of the sizes listed (Chinchilla's fit, Approach 3).");
        advice.Add(string.Create(CultureInfo.InvariantCulture,
            $"Fine-tuning a pre-trained model instead costs about 6·N·D for its N parameters and the task's D tokens (about 4·N·D with LoRA): this budget would fully fine-tune a 7B model on {Short(budget.Flops / (ScalingLaws.FlopsPerParameterPerToken * 7e9))} tokens or a 1B model on {Short(budget.Flops / (ScalingLaws.FlopsPerParameterPerToken * 1e9))} tokens (FineTuningPlanner, modelselect plan --fine-tune)."));

        double? hours = null, cost = null;
        if (device is not null)
        {
            var peak = device.PeakFlops.Resolve(NumericPrecision.Bf16)?.Peak
                ?? throw new ArgumentException($"Device '{device.Id}' has no 16-bit or fp32 compute path for training.", nameof(device));
            hours = budget.ToDeviceHours(peak, utilization) / deviceCount;
            cost = device.PricePerHourUsd is { } price ? hours * deviceCount * (double)price : null;
            advice.Add(string.Create(CultureInfo.InvariantCulture, $"On {deviceCount} × {device.Id} at {utilization:P0} model-FLOPs utilisation of the 16-bit peak: {hours:0.#} hours{(cost is { } c ? $", ${c:N0}" : string.Empty)}."));
        }

        return new PretrainingPlan(budget, n, d, ScalingLaws.PredictedLoss(n, d), dataset, limited, comparison, hours, cost, [.. advice]);
    }

    private static string Short(double count) => count >= 1e12 ? (count / 1e12).ToString("0.##", CultureInfo.InvariantCulture) + "T"
        : count >= 1e9 ? (count / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B"
        : count >= 1e6 ? (count / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
        : count.ToString("0", CultureInfo.InvariantCulture);
}
