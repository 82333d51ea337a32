using System.Globalization;
using FsCheck.Xunit;
using ModelSelection.Tests.Generators;
using UnitsNet;

namespace ModelSelection.Tests;

public class DatasetSizeTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("1.4T tokens", 1_400_000_000_000L)]
    [InlineData("1.4T", 1_400_000_000_000L)]
    [InlineData("300B tokens", 300_000_000_000L)]
    [InlineData("15 trillion tokens", 15_000_000_000_000L)]
    [InlineData("2,000,000 tokens", 2_000_000L)]
    [InlineData("1 token", 1L)]
    public void Parse_InvariantCulture_ReadsTokens(string text, long expected) =>
        Assert.Equal(expected, DatasetSize.Parse(text, Invariant).Tokens);

    [Theory]
    [InlineData(1_400_000_000_000L, "G", "1.4T tokens")]
    [InlineData(300_000_000_000L, "G", "300B tokens")]
    [InlineData(1_400_000_000_000L, "N", "1,400,000,000,000 tokens")]
    [InlineData(512L, "G", "512 tokens")]
    public void ToString_FormatsShortAndFull(long tokens, string format, string expected) =>
        Assert.Equal(expected, DatasetSize.FromTokens(tokens).ToString(format, Invariant));

    [Theory]
    [InlineData("", "the text is empty")]
    [InlineData("many tokens", "no number was found")]
    [InlineData("5 lots of tokens", "'lots of' is not a known scale (use K, M, B, T, thousand, million, billion or trillion)")]
    [InlineData("-5 tokens", "the value must be between 0 and 1E+18")]
    [InlineData("2.5 tokens", "a count without a scale must be a whole number")]
    public void Parse_Garbage_ThrowsFormatExceptionNamingTheProblem(string text, string problem)
    {
        var exception = Assert.Throws<FormatException>(() => DatasetSize.Parse(text, Invariant));
        Assert.Equal($"'{text}' is not a valid dataset size: {problem}.", exception.Message);
    }

    [Fact]
    public void Factories_FromExamplesBytesAndInformation()
    {
        // SQuAD v1.1 has 87,599 training examples; at 384 tokens each that is 33,638,016 tokens.
        Assert.Equal(33_638_016L, DatasetSize.FromExamples(87_599, 384).Tokens);
        Assert.Equal(250L, DatasetSize.FromBytes(1_000, 0.25).Tokens);
        Assert.Equal(268_435_456L, DatasetSize.FromInformation(Information.FromGibibytes(1), DatasetSize.TypicalTokensPerByteOfEnglishText).Tokens);
        Assert.Equal(4_000L, UnitConversions.ToBytes(DatasetSize.FromTokens(1_000).ToInformation(0.25)));
        Assert.Equal(3_000L, DatasetSize.FromTokens(1_000).Repeat(3).Tokens);
        Assert.Equal(1_500L, DatasetSize.FromTokens(1_000).Repeat(1.5).Tokens);
    }

    [Fact]
    public void InvalidInputs_ThrowWithRuleAndValue()
    {
        var examples = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromExamples(-1, 10));
        Assert.StartsWith("Number of examples must be between 0 and 1E+18; was -1.", examples.Message);
        var perExample = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromExamples(10, double.NaN));
        Assert.StartsWith("Tokens per example must be a finite number that is 0 or more; was NaN.", perExample.Message);
        var perByte = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromBytes(10, 0));
        Assert.StartsWith("Tokens per byte must be a finite number greater than 0; was 0.", perByte.Message);
        var product = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromExamples(1_000_000_000_000_000_000, 2));
        Assert.StartsWith("Examples × tokens per example must be between 0 and 1E+18 tokens; was 2E+18.", product.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromTokens(DatasetSize.MaxTokens) + DatasetSize.FromTokens(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromTokens(1).Repeat(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromInformation(Information.FromBytes(-1), 0.25));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_N_format_exactly(DatasetSize size, TestCulture culture) =>
        Assert.Equal(size, DatasetSize.Parse(size.ToString("N", culture.Culture), culture.Culture));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_of_G_format_is_within_half_a_unit_in_the_third_significant_digit(DatasetSize size, TestCulture culture) =>
        TestHelper.AssertRelativelyClose(size.Tokens, DatasetSize.Parse(size.ToString(null, culture.Culture), culture.Culture).Tokens, 0.005);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Equality_and_ordering_obey_their_laws(DatasetSize a, DatasetSize b) =>
        TestHelper.AssertEqualityAndOrderingLaws(a, b);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Addition_is_commutative_and_monotonic(DatasetSize a, DatasetSize b)
    {
        if (a.Tokens + b.Tokens > DatasetSize.MaxTokens)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => a + b);
            return;
        }

        Assert.Equal(a + b, b + a);
        Assert.True(a + b >= a);
        Assert.Equal(a, a + DatasetSize.Zero);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Examples_times_whole_tokens_per_example_is_exact(int examples, byte tokensPerExample)
    {
        var n = Math.Abs((long)examples);
        Assert.Equal(n * tokensPerExample, DatasetSize.FromExamples(n, tokensPerExample).Tokens);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Text_size_round_trips_through_Information_within_one_byte_of_tokens(DatasetSize size)
    {
        if (size.Tokens > 1_000_000_000_000_000L)
        {
            return; // 4 bytes per token would exceed long.MaxValue bytes.
        }

        var back = DatasetSize.FromInformation(size.ToInformation(0.25), 0.25);
        Assert.InRange(back.Tokens - size.Tokens, 0, 1);
    }
}
