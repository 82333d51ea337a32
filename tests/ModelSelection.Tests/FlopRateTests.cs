using System.Globalization;
using FsCheck.Xunit;
using ModelSelection.Tests.Generators;
using UnitsNet;

namespace ModelSelection.Tests;

public class FlopRateTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("312 TFLOP/s", 312e12)]
    [InlineData("312 TFLOPS", 312e12)]
    [InlineData("312TFLOPs/s", 312e12)]
    [InlineData("1.979 PFLOP/s", 1.979e15)]
    [InlineData("19.5 Tflop/s", 19.5e12)]
    [InlineData("3.12e14", 3.12e14)]
    [InlineData("40 G", 40e9)]
    public void Parse_InvariantCulture_ReadsRate(string text, double expected) =>
        Assert.Equal(expected, FlopRate.Parse(text, Invariant).FlopsPerSecond, expected * 1e-15);

    [Theory]
    [InlineData(312e12, "312 TFLOP/s")]
    [InlineData(1.979e15, "1.979 PFLOP/s")]
    [InlineData(19.5e12, "19.5 TFLOP/s")]
    [InlineData(0.0, "0 FLOP/s")]
    [InlineData(2e18, "2e18 FLOP/s")]
    public void ToString_G_UsesSiPrefixes(double rate, string expected) =>
        Assert.Equal(expected, FlopRate.FromFlopsPerSecond(rate).ToString("G", Invariant));

    [Theory]
    [InlineData("", "the text is empty")]
    [InlineData("fast", "no number was found")]
    [InlineData("19.5 tflop/s", "'t' is not a known SI prefix (use k, M, G, T, P, E, Z or Y)")]
    [InlineData("-5 TFLOP/s", "the value must be a finite number that is 0 or more")]
    [InlineData("5 TB/s", "'TB/s' is not a known SI prefix (use k, M, G, T, P, E, Z or Y)")]
    public void Parse_Garbage_ThrowsFormatExceptionNamingTheProblem(string text, string problem)
    {
        var exception = Assert.Throws<FormatException>(() => FlopRate.Parse(text, Invariant));
        Assert.Equal($"'{text}' is not a valid FLOP rate: {problem}.", exception.Message);
        Assert.False(FlopRate.TryParse(text, Invariant, out _));
    }

    [Fact]
    public void Factories_And_Arithmetic()
    {
        Assert.Equal(312e12, FlopRate.FromTeraflopsPerSecond(312).FlopsPerSecond);
        Assert.Equal(40e9, FlopRate.FromGigaflopsPerSecond(40).FlopsPerSecond);
        Assert.Equal(1e15, FlopRate.FromPetaflopsPerSecond(1).FlopsPerSecond);
        Assert.Equal(312, FlopRate.FromTeraflopsPerSecond(312).ToTeraflopsPerSecond());
        Assert.Equal(624e12, (FlopRate.FromTeraflopsPerSecond(312) + FlopRate.FromTeraflopsPerSecond(312)).FlopsPerSecond);
        Assert.Equal(156e12, (FlopRate.FromTeraflopsPerSecond(312) * 0.5).FlopsPerSecond);

        // A100 fp16 dense peak for one hour: 312e12 × 3600 = 1.1232e18 FLOPs.
        var hour = FlopRate.FromTeraflopsPerSecond(312) * Duration.FromHours(1);
        Assert.Equal(1.1232e18, hour.Flops, 1e3);
        Assert.Equal(2e12, FlopRate.FromFlopsAndDuration(FlopCount.FromTeraflops(4), Duration.FromSeconds(2)).FlopsPerSecond);
    }

    [Fact]
    public void InvalidInputs_ThrowWithRuleAndValue()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => FlopRate.FromTeraflopsPerSecond(-1));
        Assert.StartsWith("TFLOP/s rate must be a finite number that is 0 or more; was -1.", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopRate.FromFlopsPerSecond(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopRate.FromFlopsAndDuration(FlopCount.FromFlops(1), Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopRate.FromTeraflopsPerSecond(1) * Duration.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopRate.FromFlopsPerSecond(double.MaxValue) * 2.0);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_R_format_exactly(FlopRate rate, TestCulture culture) =>
        Assert.Equal(rate, FlopRate.Parse(rate.ToString("R", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_of_G_format_is_within_half_a_unit_in_the_fourth_significant_digit(FlopRate rate, TestCulture culture) =>
        TestHelper.AssertRelativelyClose(rate.FlopsPerSecond, FlopRate.Parse(rate.ToString(null, culture.Culture), culture.Culture).FlopsPerSecond, 5e-4);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Equality_and_ordering_obey_their_laws(FlopRate a, FlopRate b) =>
        TestHelper.AssertEqualityAndOrderingLaws(a, b);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Flops_over_a_longer_time_are_never_fewer(FlopRate rate, Seconds a, Seconds b)
    {
        var (shorter, longer) = a.Value <= b.Value ? (a.Value, b.Value) : (b.Value, a.Value);
        Assert.True(rate * Duration.FromSeconds(longer) >= rate * Duration.FromSeconds(shorter));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Rate_from_flops_and_duration_inverts_multiplication(FlopRate rate, Seconds time)
    {
        var flops = rate * Duration.FromSeconds(time.Value);
        TestHelper.AssertRelativelyClose(rate.FlopsPerSecond, FlopRate.FromFlopsAndDuration(flops, Duration.FromSeconds(time.Value)).FlopsPerSecond, 1e-12);
    }
}
