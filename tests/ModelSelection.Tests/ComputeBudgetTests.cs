using System.Globalization;
using FsCheck.Xunit;
using ModelSelection.Tests.Generators;
using UnitsNet;

namespace ModelSelection.Tests;

public class ComputeBudgetTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly FlopRate A100Bf16 = FlopRate.FromTeraflopsPerSecond(312);

    [Fact]
    public void FromDevices_IsPeakTimesCountTimesSecondsTimesUtilization()
    {
        // 8 A100s (312 TFLOP/s dense bf16) for 24 h at 40 % MFU: 312e12 × 8 × 86,400 × 0.4 = 8.626176e19 FLOPs.
        var budget = ComputeBudget.FromDevices(A100Bf16, 8, Duration.FromHours(24), 0.4);
        Assert.Equal(8.626176e19, budget.Flops, 8.626176e19 * 1e-15);
    }

    [Fact]
    public void FromSpend_BuysDeviceHours()
    {
        // $10,000 at $2 per A100-hour = 5,000 device-hours; × 3,600 s × 312e12 × 0.5 = 2.808e21 FLOPs.
        var budget = ComputeBudget.FromSpend(10_000m, 2m, A100Bf16, 0.5);
        Assert.Equal(2.808e21, budget.Flops, 2.808e21 * 1e-15);
        Assert.Equal(5_000, budget.ToDeviceHours(A100Bf16, 0.5), 1e-9);
    }

    [Fact]
    public void ToDuration_IsBudgetOverEffectiveRate()
    {
        // Chinchilla: 5.76e23 FLOPs on 1,000 A100s at 40 % MFU: 5.76e23 / (312e15 × 0.4) = 4,615,384.6 s ≈ 53.4 days.
        var chinchilla = ComputeBudget.Parse("5.76e23 FLOPs", Invariant);
        var time = chinchilla.ToDuration(A100Bf16 * 1000, 0.4);
        Assert.Equal(5.76e23 / (312e15 * 0.4), time.Seconds, 1e-6);
        Assert.Equal(5.76e23, chinchilla.ToFlopCount().Flops);
        Assert.Equal("5.76e23 FLOP", chinchilla.ToString("G", Invariant));
        Assert.Equal(1e21, ComputeBudget.FromFlopCount(FlopCount.FromFlops(1e21)).Flops);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    public void Utilization_OutsideZeroToOne_ThrowsWithRuleAndValue(double utilization)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromThroughput(A100Bf16, Duration.FromHours(1), utilization));
        Assert.StartsWith($"Utilization must be greater than 0 and at most 1; was {utilization.ToString("R", Invariant)}.", exception.Message);
        Assert.Equal("utilization", exception.ParamName);
    }

    [Fact]
    public void InvalidInputs_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromDevices(A100Bf16, 0, Duration.FromHours(1), 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromThroughput(A100Bf16, Duration.FromHours(-1), 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromSpend(-1m, 2m, A100Bf16, 0.5));
        var price = Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromSpend(1m, 0m, A100Bf16, 0.5));
        Assert.StartsWith("Price per device-hour in USD must be greater than 0; was 0.", price.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromSpend(decimal.MaxValue, 1e-28m, FlopRate.FromFlopsPerSecond(double.MaxValue), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromFlops(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeBudget.FromFlops(1).ToDuration(FlopRate.Zero, 0.5));
        var parse = Assert.Throws<FormatException>(() => ComputeBudget.Parse("lots", Invariant));
        Assert.Equal("'lots' is not a valid compute budget: no number was found.", parse.Message);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Budget_of_a_run_is_rate_times_seconds_times_utilization(FlopRate rate, Seconds time, Utilization utilization)
    {
        var budget = ComputeBudget.FromThroughput(rate, Duration.FromSeconds(time.Value), utilization.Value);
        TestHelper.AssertRelativelyClose(rate.FlopsPerSecond * time.Value * utilization.Value, budget.Flops, 1e-12);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void ToDuration_inverts_FromThroughput(FlopRate rate, Seconds time, Utilization utilization)
    {
        if (rate == FlopRate.Zero)
        {
            return;
        }

        var budget = ComputeBudget.FromThroughput(rate, Duration.FromSeconds(time.Value), utilization.Value);
        TestHelper.AssertRelativelyClose(time.Value, budget.ToDuration(rate, utilization.Value).Seconds, 1e-12);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void More_devices_or_higher_utilization_never_shrink_the_budget(FlopRate rate, Seconds time, Utilization u, byte devices)
    {
        var count = devices + 1;
        var duration = Duration.FromSeconds(time.Value);
        Assert.True(ComputeBudget.FromDevices(rate, count + 1, duration, u.Value) >= ComputeBudget.FromDevices(rate, count, duration, u.Value));
        Assert.True(ComputeBudget.FromDevices(rate, count, duration, 1.0) >= ComputeBudget.FromDevices(rate, count, duration, u.Value));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_R_format_exactly(ComputeBudget budget, TestCulture culture) =>
        Assert.Equal(budget, ComputeBudget.Parse(budget.ToString("R", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Equality_and_ordering_obey_their_laws(ComputeBudget a, ComputeBudget b)
    {
        TestHelper.AssertEqualityAndOrderingLaws(a, b);
        Assert.Equal(a + b, b + a);
        Assert.True(a + b >= a);
    }
}
