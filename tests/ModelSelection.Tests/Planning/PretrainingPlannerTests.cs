using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Planning;

namespace ModelSelection.Tests.Planning;

/// <summary>The pre-training plan: the compute-optimal point, the data-limited advice, the size comparison, time and cost.</summary>
public class PretrainingPlannerTests
{
    /// <summary>Budgets from 1e15 to 1e30 FLOPs, log-uniform.</summary>
    private static Gen<double> Budgets() => Gen.Choose(1500, 3000).Select(e => Math.Pow(10, e / 100.0));

    [Fact]
    public void Plan_WithoutData_GivesTheOptimumAndAComparisonThatSpendsTheSameBudget()
    {
        var plan = PretrainingPlanner.Plan(ComputeBudget.FromFlops(5.76e23));
        Assert.InRange(plan.OptimalParameters, 69e9, 70e9);
        Assert.Null(plan.DataLimited);
        Assert.Null(plan.Hours);
        Assert.Equal(5, plan.Comparison.Length);
        Assert.All(plan.Comparison, o => Assert.Equal(5.76e23, 6 * o.Parameters * o.Tokens, 5.76e23 * 1e-9));
        Assert.Contains(plan.Comparison, o => o.Parameters < plan.OptimalParameters && o.Tokens > plan.OptimalTokens);
        Assert.Contains(plan.Advice, a => a.Contains("Hoffmann et al. 2022", StringComparison.Ordinal));
        // Fine-tuning advice: 5.76e23 / (6 · 7e9) = 1.37e13 tokens for a 7B model.
        Assert.Contains(plan.Advice, a => a.StartsWith("Fine-tuning", StringComparison.Ordinal) && a.Contains("7B model on 13.71T tokens", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_WithTooLittleData_RecommendsAtMostFourEpochsAndSpendsTheRestOnParameters()
    {
        // 300B unique tokens against an optimum of 1.3856T: 4.62 epochs would be needed; the plan caps at 4
        // (Muennighoff et al.): 1.2T tokens seen, N = 5.76e23 / (6 · 1.2e12) = 80e9.
        var plan = PretrainingPlanner.Plan(ComputeBudget.FromFlops(5.76e23), DatasetSize.FromTokens(300_000_000_000));
        var limited = Assert.IsType<SizeOption>(plan.DataLimited);
        Assert.Equal(4, limited.Epochs);
        Assert.Equal(1.2e12, limited.Tokens, 1e3);
        Assert.Equal(80e9, limited.Parameters, 1e3);
        Assert.Contains(plan.Advice, a => a.Contains("Muennighoff et al. 2023", StringComparison.Ordinal) && a.Contains("4 epochs", StringComparison.Ordinal));
        Assert.Contains(plan.Advice, a => a.StartsWith("More than 4 epochs", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_WithEnoughData_HasNoDataLimitedAdvice()
    {
        var plan = PretrainingPlanner.Plan(ComputeBudget.FromFlops(5.76e23), DatasetSize.FromTokens(2_000_000_000_000));
        Assert.Null(plan.DataLimited);
        Assert.DoesNotContain(plan.Advice, a => a.StartsWith("Data-limited", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_OnDevices_GivesHoursAndCost()
    {
        // A100 80GB: 312 TFLOP/s bf16 dense (datasheet), $3.4309 per GPU-hour (catalog, docs/device-sources.md).
        // 1e22 FLOPs on 8 GPUs at 50 %: 1e22 / (8 · 312e12 · 0.5) = 8.0128e6 s = 2225.8 h; cost 2225.8 · 8 · 3.4309 = $61,091.
        var a100 = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm");
        var plan = PretrainingPlanner.Plan(ComputeBudget.FromFlops(1e22), device: a100, deviceCount: 8, utilization: 0.5);
        Assert.Equal(2225.8, plan.Hours!.Value, 0.1);
        Assert.Equal(61_091.5, plan.CostUsd!.Value, 1.0);
    }

    [Fact]
    public void Plan_RejectsBadInputWithTheRuleAndTheValue()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => PretrainingPlanner.Plan(ComputeBudget.Zero));
        Assert.Contains("greater than 0", zero.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ArgumentOutOfRangeException>(() => PretrainingPlanner.Plan(ComputeBudget.FromFlops(1e20), DatasetSize.FromTokens(0)));
        Assert.Contains("at least 1 token", empty.Message, StringComparison.Ordinal);
        var utilization = Assert.Throws<ArgumentOutOfRangeException>(() => PretrainingPlanner.Plan(ComputeBudget.FromFlops(1e20), utilization: 1.5));
        Assert.Contains("1.5", utilization.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PretrainingPlanner.Plan(ComputeBudget.FromFlops(1e20), deviceCount: 0));
        var huge = Assert.Throws<ArgumentOutOfRangeException>(() => PretrainingPlanner.Plan(ComputeBudget.FromFlops(1e31)));
        Assert.Contains("at most 1e30", huge.Message, StringComparison.Ordinal);
        Assert.Contains("1e31", huge.Message, StringComparison.Ordinal);
        Assert.Equal(5, PretrainingPlanner.Plan(ComputeBudget.FromFlops(PretrainingPlanner.MaxBudgetFlops)).Comparison.Length);
    }

    [Property(MaxTest = 1000)]
    public Property SixTimesParametersTimesTokens_IsTheBudget() =>
        Prop.ForAll(Budgets().ToArbitrary(), c =>
        {
            var (n, d) = ScalingLaws.ComputeOptimal(ComputeBudget.FromFlops(c));
            return Math.Abs((6 * n * d / c) - 1) < 1e-12 && Math.Abs((d / n) - 20) < 1e-9;
        });

    [Property(MaxTest = 1000)]
    public Property MoreBudget_NeverGivesASmallerModelOrFewerTokens() =>
        Prop.ForAll(Budgets().ToArbitrary(), Budgets().ToArbitrary(), (a, b) =>
        {
            var (low, high) = a <= b ? (a, b) : (b, a);
            var small = PretrainingPlanner.Plan(ComputeBudget.FromFlops(low));
            var large = PretrainingPlanner.Plan(ComputeBudget.FromFlops(high));
            return large.OptimalParameters >= small.OptimalParameters && large.OptimalTokens >= small.OptimalTokens;
        });

    [Property(MaxTest = 1000)]
    public Property WithFixedData_MoreBudgetNeverLowersTheEpochsAndNeverBelowOne() =>
        Prop.ForAll(Budgets().ToArbitrary(), Budgets().ToArbitrary(), Gen.Choose(600, 1400).Select(e => (long)Math.Pow(10, e / 100.0)).ToArbitrary(), (a, b, unique) =>
        {
            var (low, high) = a <= b ? (a, b) : (b, a);
            var data = DatasetSize.FromTokens(unique);
            var small = PretrainingPlanner.Plan(ComputeBudget.FromFlops(low), data);
            var large = PretrainingPlanner.Plan(ComputeBudget.FromFlops(high), data);
            var smallEpochs = small.DataLimited?.Epochs ?? 1;
            var largeEpochs = large.DataLimited?.Epochs ?? 1;
            var comparisonEpochs = small.Comparison.Concat(large.Comparison).Select(o => o.Epochs!.Value);
            return smallEpochs >= 1 && largeEpochs >= smallEpochs && largeEpochs <= ScalingLaws.CheapEpochs && comparisonEpochs.All(e => e >= 1);
        });
}
