using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection;

/// <summary>
/// A numeric precision for weights, activations or the KV cache: a plain format (fp32, tf32, fp16, bf16, fp8
/// e4m3/e5m2, int8, int4) or a named quantisation format with its effective bits per weight, scale overhead included.
/// </summary>
/// <remarks>
/// <para>
/// Effective bits per weight (sources in <c>docs/quantities.md</c>): GPTQ and AWQ int4 with group size 128 store a
/// 16-bit scale and a 4-bit zero point per 128 weights, 4 + 16/128 + 4/128 = 4.15625; bitsandbytes NF4 stores a
/// 32-bit absmax per block of 64, 4 + 32/64 = 4.5, and with double quantisation an 8-bit absmax per block plus a
/// 32-bit one per 256 blocks, 4 + 8/64 + 32/(64·256) = 4.126953125; GGUF Q4_0 is a 16-bit scale per 32 weights,
/// 4.5, Q8_0 8.5, Q6_K 6.5625; the mixed files Q4_K_M and Q5_K_M average 4.89 and 5.70 bits per weight over
/// Llama-3.1-8B (llama.cpp <c>tools/quantize/README.md</c>).
/// </para>
/// <para>
/// tf32 is a compute mode of fp32 tensors: it stores 32 bits. Block-quantised formats compute in fp16 (GPTQ, AWQ,
/// NF4: weights are dequantised for the matrix multiply) or int8 (GGUF: llama.cpp multiplies against activations
/// quantised to 8 bits); see <see cref="ComputePrecision"/>.
/// </para>
/// <para>
/// Ordered by effective bits per weight, then by name. The default value is <see cref="Fp32"/>. This type is
/// immutable and thread-safe.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.NumericPrecisionJsonConverter))]
public readonly struct NumericPrecision : IEquatable<NumericPrecision>, IComparable<NumericPrecision>, IComparable, System.Numerics.IComparisonOperators<NumericPrecision, NumericPrecision, bool>, ISpanFormattable, IParsable<NumericPrecision>
{
    private const byte Fp32Code = 0, Tf32Code = 1, Fp16Code = 2, Bf16Code = 3, Fp8E4M3Code = 4, Fp8E5M2Code = 5, Int8Code = 6, Int4Code = 7;

    private static readonly PrecisionDescriptor[] Descriptors =
    [
        new("fp32", 32, 1, NumericPrecisionKind.FloatingPoint, Fp32Code, "IEEE 754 single precision, 32 bits.", ["float32", "float", "f32", "single", "full"], 0),
        new("tf32", 32, 1, NumericPrecisionKind.FloatingPoint, Tf32Code, "TensorFloat-32: fp32 storage, tensor-core math with a 10-bit mantissa.", ["tensorfloat32"]),
        new("fp16", 16, 1, NumericPrecisionKind.FloatingPoint, Fp16Code, "IEEE 754 half precision, 16 bits.", ["float16", "half", "f16"], 1),
        new("bf16", 16, 1, NumericPrecisionKind.FloatingPoint, Bf16Code, "bfloat16: fp32's exponent with a 7-bit mantissa, 16 bits.", ["bfloat16"], 32),
        new("fp8-e4m3", 8, 1, NumericPrecisionKind.FloatingPoint, Fp8E4M3Code, "8-bit float, 4 exponent and 3 mantissa bits (OCP FP8 E4M3).", ["fp8", "e4m3", "float8e4m3fn", "float8e4m3", "f8e4m3"]),
        new("fp8-e5m2", 8, 1, NumericPrecisionKind.FloatingPoint, Fp8E5M2Code, "8-bit float, 5 exponent and 2 mantissa bits (OCP FP8 E5M2).", ["e5m2", "float8e5m2", "f8e5m2"]),
        new("int8", 8, 1, NumericPrecisionKind.PlainInteger, Int8Code, "8-bit integers with per-channel scales (scales not counted).", ["i8", "w8a8"]),
        new("int4", 4, 1, NumericPrecisionKind.PlainInteger, Int4Code, "4-bit integers with per-channel scales (scales not counted).", ["i4"]),
        new("gptq-int4-g128", 133, 32, NumericPrecisionKind.BlockQuantized, Fp16Code, "GPTQ 4-bit weights, group size 128, fp16 scale and 4-bit zero point per group: 4 + 16/128 + 4/128 bits.", ["gptq", "gptqint4", "gptq4bit"]),
        new("awq-int4-g128", 133, 32, NumericPrecisionKind.BlockQuantized, Fp16Code, "AWQ 4-bit weights, group size 128, fp16 scale and 4-bit zero point per group: 4 + 16/128 + 4/128 bits.", ["awq", "awqint4"]),
        new("nf4", 9, 2, NumericPrecisionKind.BlockQuantized, Fp16Code, "bitsandbytes 4-bit NormalFloat, blocks of 64 with an fp32 absmax: 4 + 32/64 bits.", ["bnbnf4"]),
        new("nf4-dq", 2113, 512, NumericPrecisionKind.BlockQuantized, Fp16Code, "NF4 with double quantisation (QLoRA): 8-bit absmax per 64 weights plus an fp32 constant per 256 blocks: 4 + 8/64 + 32/16384 bits.", ["nf4doublequant", "nf4doublequantization", "qlora"]),
        new("q4_0", 9, 2, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q4_0: blocks of 32 4-bit weights with an fp16 scale: 4 + 16/32 bits.", ["ggufq40"], 2),
        new("q8_0", 17, 2, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q8_0: blocks of 32 8-bit weights with an fp16 scale: 8 + 16/32 bits.", ["ggufq80"], 7),
        new("q4_k_m", 489, 100, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q4_K_M: a mix of Q4_K and Q6_K tensors; 4.89 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", ["ggufq4km", "q4_k"], 15),
        new("q5_k_m", 57, 10, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q5_K_M: a mix of Q5_K and Q6_K tensors; 5.70 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", ["ggufq5km", "q5_k"], 17),
        new("q6_k", 105, 16, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q6_K: 6-bit weights in 256-weight super-blocks with 8-bit sub-block scales and an fp16 scale: 6.5625 bits.", ["ggufq6k"], 18),
        new("q4_1", 5, 1, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q4_1: blocks of 32 4-bit weights with an fp16 scale and minimum: 4 + 32/32 bits.", [], 3),
        new("q5_0", 11, 2, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q5_0: blocks of 32 5-bit weights with an fp16 scale: 5 + 16/32 bits.", [], 8),
        new("q5_1", 6, 1, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q5_1: blocks of 32 5-bit weights with an fp16 scale and minimum: 5 + 32/32 bits.", [], 9),
        new("q2_k", 31593, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q2_K: a mix of Q2_K, Q3_K and Q4_K tensors; 3.1593 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 10),
        new("q2_k_s", 29697, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q2_K_S: mostly Q2_K with Q4_K in the first feed-forward downs; 2.9697 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 21),
        new("q3_k_s", 36429, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q3_K_S: Q3_K tensors; 3.6429 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 11),
        new("q3_k_m", 4, 1, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q3_K_M: a mix of Q3_K, Q4_K and Q5_K tensors; 3.74 GiB for Llama-3-8B, 4.00 bits per weight (llama.cpp tools/quantize/quantize.cpp).", ["q3_k"], 12),
        new("q3_k_l", 42979, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q3_K_L: Q3_K with Q5_K value and feed-forward-down tensors; 4.2979 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 13),
        new("q4_k_s", 46672, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q4_K_S: Q4_K with Q5_K in the first layers; 4.6672 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 14),
        new("q5_k_s", 55704, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF Q5_K_S: Q5_K tensors; 5.5704 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 16),
        new("iq1_s", 20042, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ1_S (importance matrix needed); 2.0042 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 24),
        new("iq1_m", 2146, 1000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ1_M (importance matrix needed); 2.1460 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 31),
        new("iq2_xxs", 23824, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ2_XXS (importance matrix needed); 2.3824 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 19),
        new("iq2_xs", 25882, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ2_XS (importance matrix needed); 2.5882 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 20),
        new("iq2_s", 27403, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ2_S (importance matrix needed); 2.7403 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 28),
        new("iq2_m", 29294, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ2_M (importance matrix needed); 2.9294 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 29),
        new("iq3_xxs", 32548, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ3_XXS (importance matrix needed); 3.2548 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 23),
        new("iq3_xs", 34977, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ3_XS; 3.4977 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 22),
        new("iq3_s", 36606, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ3_S; 3.6606 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 26),
        new("iq3_m", 37628, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ3_M; 3.7628 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 27),
        new("iq4_xs", 44597, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ4_XS: non-linear 4-bit; 4.4597 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 30),
        new("iq4_nl", 46818, 10000, NumericPrecisionKind.BlockQuantized, Int8Code, "GGUF IQ4_NL: non-linear 4-bit in blocks of 32; 4.6818 bits per weight over Llama-3.1-8B (llama.cpp quantize README).", [], 25),
    ];

    private static readonly FrozenDictionary<string, byte> ByName = BuildNameIndex();

    private static readonly NumericPrecision[] AllPrecisions = Enumerable.Range(0, Descriptors.Length).Select(i => new NumericPrecision((byte)i)).ToArray();

    private readonly byte _code;

    private NumericPrecision(byte code) => _code = code;

    /// <summary>Gets IEEE 754 single precision (32 bits). This is the default value.</summary>
    public static NumericPrecision Fp32 => new(Fp32Code);

    /// <summary>Gets TensorFloat-32: fp32 storage (32 bits) computed on tensor cores with a 10-bit mantissa.</summary>
    public static NumericPrecision Tf32 => new(Tf32Code);

    /// <summary>Gets IEEE 754 half precision (16 bits).</summary>
    public static NumericPrecision Fp16 => new(Fp16Code);

    /// <summary>Gets bfloat16 (16 bits).</summary>
    public static NumericPrecision Bf16 => new(Bf16Code);

    /// <summary>Gets 8-bit floating point with 4 exponent and 3 mantissa bits (the usual fp8 for weights and activations).</summary>
    public static NumericPrecision Fp8E4M3 => new(Fp8E4M3Code);

    /// <summary>Gets 8-bit floating point with 5 exponent and 2 mantissa bits (used for gradients).</summary>
    public static NumericPrecision Fp8E5M2 => new(Fp8E5M2Code);

    /// <summary>Gets 8-bit integers.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int8 is the name of the precision, not a type.")]
    public static NumericPrecision Int8 => new(Int8Code);

    /// <summary>Gets 4-bit integers.</summary>
    public static NumericPrecision Int4 => new(Int4Code);

    /// <summary>Gets GPTQ int4 with group size 128: 4.15625 bits per weight.</summary>
    public static NumericPrecision GptqInt4Group128 => new(8);

    /// <summary>Gets AWQ int4 with group size 128: 4.15625 bits per weight.</summary>
    public static NumericPrecision AwqInt4Group128 => new(9);

    /// <summary>Gets bitsandbytes NF4 (block 64): 4.5 bits per weight.</summary>
    public static NumericPrecision Nf4 => new(10);

    /// <summary>Gets NF4 with double quantisation (QLoRA): 4.126953125 bits per weight.</summary>
    public static NumericPrecision Nf4DoubleQuant => new(11);

    /// <summary>Gets GGUF Q4_0: 4.5 bits per weight.</summary>
    public static NumericPrecision GgufQ40 => new(12);

    /// <summary>Gets GGUF Q8_0: 8.5 bits per weight.</summary>
    public static NumericPrecision GgufQ80 => new(13);

    /// <summary>Gets GGUF Q4_K_M: 4.89 bits per weight on average.</summary>
    public static NumericPrecision GgufQ4KM => new(14);

    /// <summary>Gets GGUF Q5_K_M: 5.70 bits per weight on average.</summary>
    public static NumericPrecision GgufQ5KM => new(15);

    /// <summary>Gets GGUF Q6_K: 6.5625 bits per weight.</summary>
    public static NumericPrecision GgufQ6K => new(16);

    /// <summary>Gets llama.cpp's file type (<c>llama_ftype</c>, the <c>general.file_type</c> of a GGUF file) this format names, or <see langword="null"/> for formats GGUF does not name (tf32, fp8, int8, GPTQ, AWQ, NF4).</summary>
    public int? GgufFileType => Descriptor.GgufFileType >= 0 ? Descriptor.GgufFileType : null;

    /// <summary>Gets whether this is one of llama.cpp's quantised file types (Q4_0 … Q8_0, the K-quants, the IQ types), whose tensors follow llama.cpp's per-tensor recipe.</summary>
    public bool IsGgufQuantized => Descriptor.GgufFileType >= 0 && Kind == NumericPrecisionKind.BlockQuantized;

    /// <summary>Gets the format that names a llama.cpp file type (<c>general.file_type</c>), or <see langword="null"/> when no known format does.</summary>
    /// <param name="fileType">The <c>llama_ftype</c> value, e.g. 15 for Q4_K_M.</param>
    /// <returns>The format, or <see langword="null"/>.</returns>
    public static NumericPrecision? FromGgufFileType(int fileType)
    {
        for (var i = 0; i < Descriptors.Length; i++)
        {
            if (Descriptors[i].GgufFileType == fileType && fileType >= 0)
            {
                return new NumericPrecision((byte)i);
            }
        }

        return null;
    }

    /// <summary>Gets every known precision, in declaration order (fp32 first).</summary>
    public static IReadOnlyList<NumericPrecision> All => AllPrecisions;

    /// <summary>Gets the canonical name, e.g. <c>fp16</c>, <c>fp8-e4m3</c>, <c>gptq-int4-g128</c>, <c>q4_k_m</c>.</summary>
    public string Name => Descriptor.Name;

    /// <summary>Gets what the format is and where its bits per weight come from.</summary>
    public string Description => Descriptor.Description;

    /// <summary>Gets how the format stores numbers.</summary>
    public NumericPrecisionKind Kind => Descriptor.Kind;

    /// <summary>Gets the effective bits per stored element, scale and zero-point overhead included (e.g. 4.15625 for GPTQ int4 g128).</summary>
    public double BitsPerWeight => (double)Descriptor.BitsNumerator / Descriptor.BitsDenominator;

    /// <summary>Gets the precision the arithmetic runs in: itself for plain formats, fp16 for GPTQ/AWQ/NF4, int8 for GGUF.</summary>
    public NumericPrecision ComputePrecision => new(Descriptor.ComputeCode);

    private PrecisionDescriptor Descriptor => Descriptors[_code];

    /// <summary>Gets the index of the format in the descriptor table (for table lookups on hot paths).</summary>
    internal int Code => _code;

    /// <summary>Gets the number of known formats.</summary>
    internal static int Count => Descriptors.Length;

    /// <summary>Gets the numerator of the exact bits per weight (e.g. 133 for 133/32 = 4.15625).</summary>
    internal int BitsPerWeightNumerator() => Descriptor.BitsNumerator;

    /// <summary>Gets the denominator of the exact bits per weight (e.g. 32 for 133/32 = 4.15625).</summary>
    internal int BitsPerWeightDenominator() => Descriptor.BitsDenominator;

    /// <summary>Gets the bytes that a number of weights occupy in this format: <c>⌈count × bits / 8⌉</c>, exact for plain formats; for GGUF mixes (Q4_K_M, …) the format's average bits, where a model's estimate follows llama.cpp's per-tensor recipe instead.</summary>
    /// <param name="count">The number of weights.</param>
    /// <returns>The bytes, rounded up to a whole byte.</returns>
    public long GetWeightBytes(ParameterCount count)
    {
        // count ≤ 10^15 and numerators reach 46,818 (IQ4_NL's 4.6818 bits): the product is taken in 128 bits.
        var bits = (Int128)count.Count * Descriptor.BitsNumerator;
        var denominator = 8L * Descriptor.BitsDenominator;
        return (long)((bits + denominator - 1) / denominator);
    }

    /// <summary>Gets the size that a number of weights occupy in this format, as a UnitsNet <see cref="Information"/> in bytes.</summary>
    /// <param name="count">The number of weights.</param>
    /// <returns>The size; see <see cref="GetWeightBytes(ParameterCount)"/>.</returns>
    public Information GetWeightSize(ParameterCount count) => UnitConversions.ToInformation(GetWeightBytes(count));

    /// <inheritdoc/>
    public bool Equals(NumericPrecision other) => _code == other._code;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NumericPrecision other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _code;

    /// <summary>Compares by effective bits per weight, then by name (ordinal).</summary>
    /// <param name="other">The other precision.</param>
    /// <returns>Negative, zero or positive as this precision is narrower, the same or wider.</returns>
    public int CompareTo(NumericPrecision other)
    {
        var a = (long)Descriptor.BitsNumerator * other.Descriptor.BitsDenominator;
        var b = (long)other.Descriptor.BitsNumerator * Descriptor.BitsDenominator;
        return a != b ? a.CompareTo(b) : string.CompareOrdinal(Name, other.Name);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="NumericPrecision"/>.</exception>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        NumericPrecision other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(NumericPrecision)}; was {obj.GetType()}.", nameof(obj)),
    };

    /// <summary>Gets the canonical name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    /// <summary>Formats the precision.</summary>
    /// <param name="format"><c>G</c> or empty: the canonical name (<c>fp16</c>); <c>B</c>: the name and the bits per weight (<c>q4_k_m (4.89 bits)</c>).</param>
    /// <param name="formatProvider">The culture for the bits; <see langword="null"/> for the current culture.</param>
    /// <returns>The text.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not G or B.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "G" or "g" => Name,
        "B" or "b" => $"{Name} ({BitsPerWeight.ToString("0.######", formatProvider)} bits)",
        _ => throw new FormatException($"Numeric precision format must be G or B; was '{format}'."),
    };

    /// <inheritdoc cref="ToString(string?, IFormatProvider?)"/>
    /// <param name="destination">The span to write to.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">The format; see <see cref="ToString(string?, IFormatProvider?)"/>.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns><see langword="true"/> when the text fitted in <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SpanFormatting.TryCopy(ToString(format.IsEmpty ? null : format.ToString(), provider), destination, out charsWritten);

    /// <summary>Parses a precision from its name or a common spelling: <c>fp16</c>, <c>float16</c>, <c>half</c>, <c>bfloat16</c>, <c>Q4_K_M</c>, <c>gptq</c>, <c>nf4</c>.</summary>
    /// <param name="s">The name; case, hyphens, underscores, dots and spaces are ignored.</param>
    /// <param name="provider">Not used; names are culture-invariant.</param>
    /// <returns>The precision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> names no known precision; the message lists the known ones.</exception>
    public static NumericPrecision Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var result)
            ? result
            : throw new FormatException($"'{s}' is not a known numeric precision; known: {string.Join(", ", Descriptors.Select(d => d.Name))}.");
    }

    /// <summary>Parses a precision from its name or a common spelling; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The name.</param>
    /// <returns>The precision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> names no known precision.</exception>
    public static NumericPrecision Parse(string s) => Parse(s, null);

    /// <summary>Tries to parse a precision; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The name.</param>
    /// <param name="provider">Not used.</param>
    /// <param name="result">The precision, or <see cref="Fp32"/> when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> named a known precision.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NumericPrecision result)
    {
        result = Fp32;
        if (s is null || !ByName.TryGetValue(Normalize(s), out var code))
        {
            return false;
        }

        result = new NumericPrecision(code);
        return true;
    }

    /// <summary>Compares two precisions for equality.</summary>
    /// <param name="left">The first precision.</param>
    /// <param name="right">The second precision.</param>
    /// <returns><see langword="true"/> when they are the same format.</returns>
    public static bool operator ==(NumericPrecision left, NumericPrecision right) => left.Equals(right);

    /// <summary>Compares two precisions for inequality.</summary>
    /// <param name="left">The first precision.</param>
    /// <param name="right">The second precision.</param>
    /// <returns><see langword="true"/> when they are different formats.</returns>
    public static bool operator !=(NumericPrecision left, NumericPrecision right) => !left.Equals(right);

    /// <summary>Tells whether the first precision is narrower (see <see cref="CompareTo(NumericPrecision)"/>).</summary>
    /// <param name="left">The first precision.</param>
    /// <param name="right">The second precision.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> orders first.</returns>
    public static bool operator <(NumericPrecision left, NumericPrecision right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether the first precision is wider (see <see cref="CompareTo(NumericPrecision)"/>).</summary>
    /// <param name="left">The first precision.</param>
    /// <param name="right">The second precision.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> orders last.</returns>
    public static bool operator >(NumericPrecision left, NumericPrecision right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether the first precision orders first or equal.</summary>
    /// <param name="left">The first precision.</param>
    /// <param name="right">The second precision.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> orders first or they are equal.</returns>
    public static bool operator <=(NumericPrecision left, NumericPrecision right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether the first precision orders last or equal.</summary>
    /// <param name="left">The first precision.</param>
    /// <param name="right">The second precision.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> orders last or they are equal.</returns>
    public static bool operator >=(NumericPrecision left, NumericPrecision right) => left.CompareTo(right) >= 0;

    private static string Normalize(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 64)];
        var length = 0;
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, 64)))
        {
            if (c is not ('-' or '_' or '.' or ' '))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return name.Length > 64 ? string.Empty : new string(buffer[..length]);
    }

    private static FrozenDictionary<string, byte> BuildNameIndex()
    {
        var index = new Dictionary<string, byte>(StringComparer.Ordinal);
        for (var i = 0; i < Descriptors.Length; i++)
        {
            index.Add(Normalize(Descriptors[i].Name), (byte)i);
            foreach (var alias in Descriptors[i].Aliases)
            {
                index.Add(Normalize(alias), (byte)i);
            }
        }

        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
