using System.Globalization;
using FsCheck.Xunit;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests;

public class NumericPrecisionTests
{
    [Theory]
    [InlineData("fp32", "fp32")]
    [InlineData("float32", "fp32")]
    [InlineData("float", "fp32")]
    [InlineData("tf32", "tf32")]
    [InlineData("fp16", "fp16")]
    [InlineData("float16", "fp16")]
    [InlineData("half", "fp16")]
    [InlineData("HALF", "fp16")]
    [InlineData("bf16", "bf16")]
    [InlineData("bfloat16", "bf16")]
    [InlineData("fp8", "fp8-e4m3")]
    [InlineData("float8_e4m3fn", "fp8-e4m3")]
    [InlineData("F8_E5M2", "fp8-e5m2")]
    [InlineData("int8", "int8")]
    [InlineData("int4", "int4")]
    [InlineData("gptq", "gptq-int4-g128")]
    [InlineData("GPTQ-Int4-G128", "gptq-int4-g128")]
    [InlineData("awq", "awq-int4-g128")]
    [InlineData("nf4", "nf4")]
    [InlineData("nf4-dq", "nf4-dq")]
    [InlineData("qlora", "nf4-dq")]
    [InlineData("q4_0", "q4_0")]
    [InlineData("Q8_0", "q8_0")]
    [InlineData("q4_k_m", "q4_k_m")]
    [InlineData("Q4_K_M", "q4_k_m")]
    [InlineData("gguf-q5_k_m", "q5_k_m")]
    [InlineData("q6_k", "q6_k")]
    public void Parse_CommonSpellings_GivesCanonicalName(string text, string name) =>
        Assert.Equal(name, NumericPrecision.Parse(text, CultureInfo.InvariantCulture).Name);

    [Theory]
    // Effective bits per weight, derived from each format's block layout (formulas.md, llama.cpp quantize README).
    [InlineData("fp32", 32.0)]
    [InlineData("tf32", 32.0)]
    [InlineData("bf16", 16.0)]
    [InlineData("fp8-e4m3", 8.0)]
    [InlineData("int4", 4.0)]
    [InlineData("gptq-int4-g128", 4.0 + (16.0 / 128) + (4.0 / 128))]
    [InlineData("awq-int4-g128", 4.0 + (16.0 / 128) + (4.0 / 128))]
    [InlineData("nf4", 4.0 + (32.0 / 64))]
    [InlineData("nf4-dq", 4.0 + (8.0 / 64) + (32.0 / (64 * 256)))]
    [InlineData("q4_0", ((32 * 4) + 16) / 32.0)]
    [InlineData("q8_0", ((32 * 8) + 16) / 32.0)]
    [InlineData("q4_k_m", 4.89)]
    [InlineData("q5_k_m", 5.70)]
    [InlineData("q6_k", 6.5625)]
    public void BitsPerWeight_MatchesTheFormatsLayout(string name, double bits) =>
        Assert.Equal(bits, NumericPrecision.Parse(name).BitsPerWeight, 12);

    [Fact]
    public void GetWeightBytes_Fp16IsTwoBytesPerParameterExactly()
    {
        // Llama-2-7B: 6,738,415,616 parameters → 13,476,831,232 bytes at fp16 (the checkpoint index's total_size,
        // 13,476,839,424, adds the 8,192 bytes of rotary inv_freq buffers: public-configs/README.md).
        var llama = ParameterCount.FromCount(6_738_415_616);
        Assert.Equal(13_476_831_232L, NumericPrecision.Fp16.GetWeightBytes(llama));
        Assert.Equal(13_476_839_424L - 8_192L, NumericPrecision.Bf16.GetWeightBytes(llama));
        Assert.Equal(26_953_662_464L, NumericPrecision.Fp32.GetWeightBytes(llama));
        Assert.Equal(3_369_207_808L, NumericPrecision.Int4.GetWeightBytes(llama));
        Assert.Equal(13_476_831_232L, (long)UnitConversions.ToBytes(NumericPrecision.Fp16.GetWeightSize(llama)));
    }

    [Fact]
    public void GetWeightBytes_RoundsUpToWholeBytes()
    {
        Assert.Equal(1L, NumericPrecision.Int4.GetWeightBytes(ParameterCount.FromCount(1)));
        Assert.Equal(3L, NumericPrecision.GptqInt4Group128.GetWeightBytes(ParameterCount.FromCount(5))); // 5 × 4.15625 / 8 = 2.6
        Assert.Equal(0L, NumericPrecision.Nf4.GetWeightBytes(ParameterCount.Zero));
        Assert.Equal(8_500_000_000_000_000L / 8, NumericPrecision.GgufQ80.GetWeightBytes(ParameterCount.MaxValue));
    }

    [Fact]
    public void Properties_DescribeTheFormat()
    {
        Assert.Equal(NumericPrecisionKind.FloatingPoint, NumericPrecision.Bf16.Kind);
        Assert.Equal(NumericPrecisionKind.PlainInteger, NumericPrecision.Int8.Kind);
        Assert.Equal(NumericPrecisionKind.BlockQuantized, NumericPrecision.GgufQ4KM.Kind);
        Assert.Equal(NumericPrecision.Fp16, NumericPrecision.GptqInt4Group128.ComputePrecision);
        Assert.Equal(NumericPrecision.Fp16, NumericPrecision.Nf4DoubleQuant.ComputePrecision);
        Assert.Equal(NumericPrecision.Int8, NumericPrecision.GgufQ6K.ComputePrecision);
        Assert.Equal(NumericPrecision.Tf32, NumericPrecision.Tf32.ComputePrecision);
        Assert.Equal(NumericPrecision.Fp32, default);
        Assert.Equal(39, NumericPrecision.All.Count);
        Assert.Equal("q4_k_m (4.89 bits)", NumericPrecision.GgufQ4KM.ToString("B", CultureInfo.InvariantCulture));
        Assert.Equal("q4_k_m (4,89 bits)", NumericPrecision.GgufQ4KM.ToString("B", CultureInfo.GetCultureInfo("de-DE")));
        Assert.Throws<FormatException>(() => NumericPrecision.Fp16.ToString("X", null));
        Assert.All(NumericPrecision.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(NumericPrecision.GgufQ40, NumericPrecision.Parse("q4_0"));
        Assert.Equal(NumericPrecision.GgufQ5KM, NumericPrecision.Parse("q5_k_m"));
        Assert.Equal(NumericPrecision.Fp8E5M2, NumericPrecision.Parse("e5m2"));
        Assert.Equal(NumericPrecision.AwqInt4Group128, NumericPrecision.Parse("awq-int4"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fp64")]
    [InlineData("int3")]
    [InlineData("q4_k_x")]
    [InlineData("a-very-long-name-that-is-longer-than-sixty-four-characters-and-should-not-crash")]
    public void Parse_Unknown_ThrowsFormatExceptionListingKnownNames(string text)
    {
        var exception = Assert.Throws<FormatException>(() => NumericPrecision.Parse(text, null));
        Assert.Equal($"'{text}' is not a known numeric precision; known: fp32, tf32, fp16, bf16, fp8-e4m3, fp8-e5m2, int8, int4, gptq-int4-g128, awq-int4-g128, nf4, nf4-dq, q4_0, q8_0, q4_k_m, q5_k_m, q6_k, q4_1, q5_0, q5_1, q2_k, q2_k_s, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q5_k_s, iq1_s, iq1_m, iq2_xxs, iq2_xs, iq2_s, iq2_m, iq3_xxs, iq3_xs, iq3_s, iq3_m, iq4_xs, iq4_nl.", exception.Message);
        Assert.False(NumericPrecision.TryParse(text, null, out var result));
        Assert.Equal(NumericPrecision.Fp32, result);
        Assert.Throws<ArgumentNullException>(() => NumericPrecision.Parse(null!, null));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Parse_round_trips_the_name(NumericPrecision precision)
    {
        Assert.Equal(precision, NumericPrecision.Parse(precision.ToString()));
        Assert.Equal(precision, NumericPrecision.Parse(precision.Name.ToUpperInvariant().Replace('-', '_')));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Equality_and_ordering_obey_their_laws_and_order_by_bits(NumericPrecision a, NumericPrecision b)
    {
        TestHelper.AssertEqualityAndOrderingLaws(a, b);
        if (a.BitsPerWeight < b.BitsPerWeight)
        {
            Assert.True(a < b);
        }
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Weight_bytes_are_params_times_bits_over_eight_rounded_up(ParameterCount count, NumericPrecision precision)
    {
        // Independent derivation in decimal arithmetic (exact for these fractions: every denominator divides 10^k·2^m).
        var exact = (decimal)count.Count * (decimal)precision.BitsPerWeight / 8m;
        Assert.Equal((long)decimal.Ceiling(exact), precision.GetWeightBytes(count));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Weight_bytes_never_decrease_with_more_parameters_or_a_wider_precision(ParameterCount a, ParameterCount b, NumericPrecision p, NumericPrecision q)
    {
        var (small, large) = a <= b ? (a, b) : (b, a);
        Assert.True(p.GetWeightBytes(small) <= p.GetWeightBytes(large));
        var (narrow, wide) = p <= q ? (p, q) : (q, p);
        Assert.True(narrow.GetWeightBytes(a) <= wide.GetWeightBytes(a));
    }
}
