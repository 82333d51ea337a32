using System.Globalization;
using FsCheck.Xunit;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests;

public class ParameterCountTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    [Theory]
    [InlineData("340M", 340_000_000L)]
    [InlineData("7.24B", 7_240_000_000L)]
    [InlineData("1.5T", 1_500_000_000_000L)]
    [InlineData("66,362,880", 66_362_880L)]
    [InlineData("66362880", 66_362_880L)]
    [InlineData("14.5 million", 14_500_000L)]
    [InlineData("14.5 Million", 14_500_000L)]
    [InlineData("110M parameters", 110_000_000L)]
    [InlineData("  7b  ", 7_000_000_000L)]
    [InlineData("7 billion", 7_000_000_000L)]
    [InlineData("70bn", 70_000_000_000L)]
    [InlineData("12K", 12_000L)]
    [InlineData("12k params", 12_000L)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("1000T", ParameterCount.MaxCount)]
    [InlineData("6.7384156165B", 6_738_415_617L)] // rounds half away from zero to a whole parameter
    public void Parse_InvariantCulture_ReadsCount(string text, long expected) =>
        Assert.Equal(expected, ParameterCount.Parse(text, Invariant).Count);

    [Theory]
    [InlineData("7,24B", 7_240_000_000L)]
    [InlineData("66.362.880", 66_362_880L)]
    [InlineData("14,5 Millionen", -1L)]
    public void Parse_German_UsesCommaAsDecimalSeparator(string text, long expected)
    {
        if (expected < 0)
        {
            Assert.Throws<FormatException>(() => ParameterCount.Parse(text, German));
            return;
        }

        Assert.Equal(expected, ParameterCount.Parse(text, German).Count);
    }

    [Theory]
    [InlineData(109_482_240L, "109M")]
    [InlineData(6_738_415_616L, "6.74B")]
    [InlineData(7_241_732_096L, "7.24B")]
    [InlineData(66_362_880L, "66.4M")]
    [InlineData(14_500_000L, "14.5M")]
    [InlineData(340_000_000L, "340M")]
    [InlineData(1_500_000_000_000L, "1.5T")]
    [InlineData(999_999_999L, "1B")]
    [InlineData(999_499_999L, "999M")]
    [InlineData(512L, "512")]
    [InlineData(0L, "0")]
    [InlineData(1_000L, "1K")]
    public void ToString_G_IsShortWithThreeSignificantDigits(long count, string expected) =>
        Assert.Equal(expected, ParameterCount.FromCount(count).ToString("G", Invariant));

    [Fact]
    public void ToString_FormatsNAndDAndPrecisionDigits()
    {
        var llama = ParameterCount.FromCount(6_738_415_616);
        Assert.Equal("6,738,415,616", llama.ToString("N", Invariant));
        Assert.Equal("6.738.415.616", llama.ToString("N", German));
        Assert.Equal("6738415616", llama.ToString("D", German));
        Assert.Equal("6.73842B", llama.ToString("G6", Invariant));
        Assert.Equal("6,74B", llama.ToString(null, German));
    }

    [Theory]
    [InlineData("X")]
    [InlineData("G0")]
    [InlineData("G16")]
    [InlineData("N2")]
    public void ToString_UnknownFormat_ThrowsFormatException(string format)
    {
        var exception = Assert.Throws<FormatException>(() => ParameterCount.FromCount(1).ToString(format, Invariant));
        Assert.Equal($"Parameter count format must be G, G1 to G15, N or D; was '{format}'.", exception.Message);
    }

    [Theory]
    [InlineData("", "'' is not a valid parameter count: the text is empty.")]
    [InlineData("   ", "'   ' is not a valid parameter count: the text is empty.")]
    [InlineData("abc", "'abc' is not a valid parameter count: no number was found.")]
    [InlineData("-3", "'-3' is not a valid parameter count: the value must be between 0 and 1E+15.")]
    [InlineData("-3M", "'-3M' is not a valid parameter count: the value must be between 0 and 1E+15.")]
    [InlineData("1001T", "'1001T' is not a valid parameter count: the value must be between 0 and 1E+15.")]
    [InlineData("1e30", "'1e30' is not a valid parameter count: the value must be between 0 and 1E+15.")]
    [InlineData("3.5", "'3.5' is not a valid parameter count: a count without a scale must be a whole number.")]
    [InlineData("7Q", "'7Q' is not a valid parameter count: 'Q' is not a known scale (use K, M, B, T, thousand, million, billion or trillion).")]
    [InlineData("7 GB", "'7 GB' is not a valid parameter count: 'GB' is not a known scale (use K, M, B, T, thousand, million, billion or trillion).")]
    [InlineData("1.2.3M", "'1.2.3M' is not a valid parameter count: '1.2.3' is not a number in the culture 'invariant'.")]
    public void Parse_Garbage_ThrowsFormatExceptionNamingTheProblem(string text, string message)
    {
        var exception = Assert.Throws<FormatException>(() => ParameterCount.Parse(text, Invariant));
        Assert.Equal(message, exception.Message);
        Assert.False(ParameterCount.TryParse(text, Invariant, out var result));
        Assert.Equal(ParameterCount.Zero, result);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ParameterCount.Parse(null!, Invariant));
        Assert.False(ParameterCount.TryParse(null, Invariant, out _));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(ParameterCount.MaxCount + 1)]
    [InlineData(long.MinValue)]
    public void FromCount_OutOfRange_ThrowsWithRuleAndValue(long count)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCount.FromCount(count));
        Assert.StartsWith($"Parameter count must be between 0 and 1E+15; was {count.ToString(Invariant)}.", exception.Message);
        Assert.Equal("count", exception.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.001)]
    [InlineData(1e10)]
    public void FromBillions_NonFiniteNegativeOrHuge_Throws(double billions)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCount.FromBillions(billions));
        Assert.StartsWith("Parameter count in billions must be a finite number between 0 and 1E+6;", exception.Message);
    }

    [Fact]
    public void Factories_ScaleAndRound()
    {
        Assert.Equal(66_400_000, ParameterCount.FromMillions(66.4).Count);
        Assert.Equal(7_240_000_000, ParameterCount.FromBillions(7.24).Count);
        Assert.Equal(1_500_000_000_000, ParameterCount.FromTrillions(1.5).Count);
        Assert.Equal(1_500, ParameterCount.FromThousands(1.5).Count);
        Assert.Equal(2, ParameterCount.FromThousands(0.0015).Count); // 1.5 parameters round away from zero
        Assert.Equal(6.738415616, ParameterCount.FromCount(6_738_415_616).ToBillions(), 12);
        Assert.Equal(66.36288, ParameterCount.FromCount(66_362_880).ToMillions(), 12);
    }

    [Fact]
    public void Arithmetic_OutOfRange_ThrowsNeverWraps()
    {
        var max = ParameterCount.MaxValue;
        Assert.Throws<ArgumentOutOfRangeException>(() => max + ParameterCount.FromCount(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCount.Zero - ParameterCount.FromCount(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => max * 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCount.FromCount(1) * -1);
        var huge = Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCount.FromCount(10_000_000_000) * 10_000_000_000);
        Assert.StartsWith("The product of parameter counts must be between 0 and 1E+15; was 100000000000000000000.", huge.Message);
    }

    [Fact]
    public void NonGenericCompareTo_WrongType_ThrowsArgumentException()
    {
        IComparable count = ParameterCount.FromCount(1);
        var exception = Assert.Throws<ArgumentException>(() => count.CompareTo(1L));
        Assert.StartsWith("Object must be of type ParameterCount; was System.Int64.", exception.Message);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_N_format_exactly(ParameterCount count, TestCulture culture) =>
        Assert.Equal(count, ParameterCount.Parse(count.ToString("N", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_D_format_exactly(ParameterCount count, TestCulture culture) =>
        Assert.Equal(count, ParameterCount.Parse(count.ToString("D", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_of_G_format_is_within_half_a_unit_in_the_third_significant_digit(ParameterCount count, TestCulture culture)
    {
        var parsed = ParameterCount.Parse(count.ToString(null, culture.Culture), culture.Culture);
        TestHelper.AssertRelativelyClose(count.Count, parsed.Count, 0.005);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_of_G15_format_round_trips_exactly(ParameterCount count, TestCulture culture) =>
        Assert.Equal(count, ParameterCount.Parse(count.ToString("G15", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void TryFormat_writes_what_ToString_returns(ParameterCount count, TestCulture culture)
    {
        TestHelper.AssertTryFormatMatchesToString(count, "G", culture.Culture);
        TestHelper.AssertTryFormatMatchesToString(count, "N", culture.Culture);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Equality_and_ordering_obey_their_laws(ParameterCount a, ParameterCount b)
    {
        TestHelper.AssertEqualityAndOrderingLaws(a, b);
        TestHelper.AssertEqualityAndOrderingLaws(a, ParameterCount.FromCount(a.Count));
        Assert.Equal(a.Count.CompareTo(b.Count), a.CompareTo(b));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Addition_is_commutative_with_zero_as_identity(ParameterCount a, ParameterCount b)
    {
        Assert.Equal(a, a + ParameterCount.Zero);
        if (a.Count + b.Count <= ParameterCount.MaxCount)
        {
            Assert.Equal(a + b, b + a);
            Assert.True(a + b >= a, "adding never decreases a count");
            Assert.Equal(a, a + b - b);
        }
        else
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => a + b);
        }
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Multiplication_is_exact_or_throws_never_wraps(ParameterCount a, ParameterCount factor)
    {
        var exact = (Int128)a.Count * factor.Count;
        if (exact <= ParameterCount.MaxCount)
        {
            Assert.Equal((long)exact, (a * factor.Count).Count);
        }
        else
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => a * factor.Count);
        }
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void FromMillions_of_ToMillions_is_within_one_parameter(ParameterCount a) =>
        Assert.InRange(ParameterCount.FromMillions(a.ToMillions()).Count - a.Count, -1, 1);
}
