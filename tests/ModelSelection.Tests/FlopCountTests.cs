using System.Globalization;
using FsCheck.Xunit;
using ModelSelection.Tests.Generators;
using UnitsNet;

namespace ModelSelection.Tests;

public class FlopCountTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    [Theory]
    [InlineData("22.35 GFLOP", 22.35e9)]
    [InlineData("22.35GFLOP", 22.35e9)]
    [InlineData("1.7 TFLOPs", 1.7e12)]
    [InlineData("1700.06 GFLOPs", 1700.06e9)]
    [InlineData("1e21", 1e21)]
    [InlineData("5.76e23 FLOP", 5.76e23)]
    [InlineData("5.76E+23 flops", 5.76e23)]
    [InlineData("3 PFLOP", 3e15)]
    [InlineData("2 EFLOP", 2e18)]
    [InlineData("1 kFLOP", 1e3)]
    [InlineData("1 KFLOP", 1e3)]
    [InlineData("312 G", 312e9)]
    [InlineData("0", 0.0)]
    [InlineData("1,000,000 FLOP", 1e6)]
    public void Parse_InvariantCulture_ReadsFlops(string text, double expected) =>
        Assert.Equal(expected, FlopCount.Parse(text, Invariant).Flops, expected * 1e-15);

    [Fact]
    public void Parse_German_UsesCommaAsDecimalSeparator() =>
        Assert.Equal(22.35e9, FlopCount.Parse("22,35 GFLOP", German).Flops, 1.0);

    [Theory]
    [InlineData(22.35e9, "22.35 GFLOP")]
    [InlineData(22_353_100_800.0, "22.35 GFLOP")]
    [InlineData(1_700_060_000_000.0, "1.7 TFLOP")]
    [InlineData(312e12, "312 TFLOP")]
    [InlineData(512.0, "512 FLOP")]
    [InlineData(0.0, "0 FLOP")]
    [InlineData(999.96e9, "1 TFLOP")]
    [InlineData(5.76e23, "5.76e23 FLOP")]
    [InlineData(1e21, "1e21 FLOP")]
    [InlineData(9.99999e20, "1e21 FLOP")]
    [InlineData(0.004928156, "0.004928 FLOP")]
    [InlineData(0.0001234567, "1.235e-4 FLOP")]
    public void ToString_G_UsesSiPrefixesThenScientific(double flops, string expected) =>
        Assert.Equal(expected, FlopCount.FromFlops(flops).ToString("G", Invariant));

    [Fact]
    public void ToString_FormatsRAndDigitsAndCulture()
    {
        var bert = FlopCount.FromFlops(22_353_100_800);
        Assert.Equal("22353100800 FLOP", bert.ToString("R", Invariant));
        Assert.Equal("22.3531 GFLOP", bert.ToString("G6", Invariant));
        Assert.Equal("22,35 GFLOP", bert.ToString("G", German));
        Assert.Throws<FormatException>(() => bert.ToString("N", Invariant));
        Assert.Throws<FormatException>(() => bert.ToString("R2", Invariant));
    }

    [Theory]
    [InlineData("", "the text is empty")]
    [InlineData("GFLOP", "no number was found")]
    [InlineData("-1 GFLOP", "the value must be a finite number that is 0 or more")]
    [InlineData("1 mFLOP", "'m' is not a known SI prefix (use k, M, G, T, P, E, Z or Y)")]
    [InlineData("1 GB", "'GB' is not a known SI prefix (use k, M, G, T, P, E, Z or Y)")]
    [InlineData("1e400", "'1e400' is not a finite number in the culture 'invariant'")]
    [InlineData("1e300 YFLOP", "the value must be a finite number that is 0 or more")]
    [InlineData("NaN", "no number was found")]
    public void Parse_Garbage_ThrowsFormatExceptionNamingTheProblem(string text, string problem)
    {
        var exception = Assert.Throws<FormatException>(() => FlopCount.Parse(text, Invariant));
        Assert.Equal($"'{text}' is not a valid FLOP count: {problem}.", exception.Message);
        Assert.False(FlopCount.TryParse(text, Invariant, out _));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    public void FromFlops_Invalid_ThrowsWithRuleAndValue(double flops)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => FlopCount.FromFlops(flops));
        Assert.StartsWith($"FLOP count must be a finite number that is 0 or more; was {flops.ToString("R", Invariant)}.", exception.Message);
    }

    [Fact]
    public void DivideByRate_GivesDuration()
    {
        // bert-base at (1, 128): 22.35 GFLOP on an A100's 312 TFLOP/s dense fp16 peak = 71.6 µs at full efficiency.
        Duration time = FlopCount.FromGigaflops(22.35) / FlopRate.FromTeraflopsPerSecond(312);
        Assert.Equal(22.35e9 / 312e12, time.Seconds, 1e-15);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopCount.FromFlops(1) / FlopRate.Zero);
        Assert.Equal(2.0, FlopCount.FromFlops(6).DivideBy(FlopCount.FromFlops(3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopCount.FromFlops(6).DivideBy(FlopCount.Zero));
    }

    [Fact]
    public void Arithmetic_NonFiniteOrNegative_Throws()
    {
        var big = FlopCount.FromFlops(double.MaxValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => big + big);
        Assert.Throws<ArgumentOutOfRangeException>(() => big * 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopCount.Zero - FlopCount.FromFlops(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopCount.FromFlops(1) * -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => FlopCount.FromFlops(1) * double.NaN);
        Assert.Equal(3e12, (FlopCount.FromTeraflops(1) * 3).Flops);
        Assert.Equal(1e15, FlopCount.FromPetaflops(1).Flops);
        Assert.Equal(1.5, FlopCount.FromTeraflops(1.5).ToTeraflops());
        Assert.Equal(1500, FlopCount.FromTeraflops(1.5).ToGigaflops());
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_R_format_exactly(FlopCount flops, TestCulture culture) =>
        Assert.Equal(flops, FlopCount.Parse(flops.ToString("R", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_of_G_format_is_within_half_a_unit_in_the_fourth_significant_digit(FlopCount flops, TestCulture culture)
    {
        var parsed = FlopCount.Parse(flops.ToString("G", culture.Culture), culture.Culture);
        TestHelper.AssertRelativelyClose(flops.Flops, parsed.Flops, 5e-4);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void TryFormat_writes_what_ToString_returns(FlopCount flops, TestCulture culture) =>
        TestHelper.AssertTryFormatMatchesToString(flops, "G", culture.Culture);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Equality_and_ordering_obey_their_laws(FlopCount a, FlopCount b) =>
        TestHelper.AssertEqualityAndOrderingLaws(a, b);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Addition_is_commutative_monotonic_with_zero_as_identity(FlopCount a, FlopCount b)
    {
        Assert.Equal(a + b, b + a);
        Assert.Equal(a, a + FlopCount.Zero);
        Assert.True(a + b >= a);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Multiplying_by_a_larger_factor_never_gives_fewer_flops(FlopCount a, Utilization f) =>
        Assert.True(a * (1 + f.Value) >= a * f.Value);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Dividing_by_a_rate_and_multiplying_back_recovers_the_count(FlopCount flops, FlopRate rate)
    {
        if (rate == FlopRate.Zero)
        {
            return;
        }

        var recovered = rate * (flops / rate);
        TestHelper.AssertRelativelyClose(flops.Flops, recovered.Flops, 1e-12);
    }
}
