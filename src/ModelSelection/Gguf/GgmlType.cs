namespace ModelSelection.Gguf;

/// <summary>
/// A ggml tensor type as a GGUF file stores it (<c>enum ggml_type</c> in llama.cpp's <c>ggml/include/ggml.h</c>; the
/// numbers are the file's). Retired numbers (4, 5, 31–33, 36–38) are not defined: a file that uses them is refused.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "The names are llama.cpp's own (Q4_K, IQ2_XXS): users search for them.")]
public enum GgmlType
{
    /// <summary>32-bit float.</summary>
    F32 = 0,

    /// <summary>16-bit IEEE float.</summary>
    F16 = 1,

    /// <summary>Blocks of 32 4-bit weights with an fp16 scale (18 bytes).</summary>
    Q4_0 = 2,

    /// <summary>Blocks of 32 4-bit weights with an fp16 scale and minimum (20 bytes).</summary>
    Q4_1 = 3,

    /// <summary>Blocks of 32 5-bit weights with an fp16 scale (22 bytes).</summary>
    Q5_0 = 6,

    /// <summary>Blocks of 32 5-bit weights with an fp16 scale and minimum (24 bytes).</summary>
    Q5_1 = 7,

    /// <summary>Blocks of 32 8-bit weights with an fp16 scale (34 bytes).</summary>
    Q8_0 = 8,

    /// <summary>Blocks of 32 8-bit weights with an fp16 scale and sum (36 bytes).</summary>
    Q8_1 = 9,

    /// <summary>2-bit K-quant super-blocks of 256 (84 bytes).</summary>
    Q2_K = 10,

    /// <summary>3-bit K-quant super-blocks of 256 (110 bytes).</summary>
    Q3_K = 11,

    /// <summary>4-bit K-quant super-blocks of 256 (144 bytes).</summary>
    Q4_K = 12,

    /// <summary>5-bit K-quant super-blocks of 256 (176 bytes).</summary>
    Q5_K = 13,

    /// <summary>6-bit K-quant super-blocks of 256 (210 bytes).</summary>
    Q6_K = 14,

    /// <summary>8-bit K-quant super-blocks of 256 (292 bytes; intermediate results).</summary>
    Q8_K = 15,

    /// <summary>2.0625-bit i-quant (66 bytes per 256).</summary>
    IQ2_XXS = 16,

    /// <summary>2.3125-bit i-quant (74 bytes per 256).</summary>
    IQ2_XS = 17,

    /// <summary>3.0625-bit i-quant (98 bytes per 256).</summary>
    IQ3_XXS = 18,

    /// <summary>1.5625-bit i-quant (50 bytes per 256).</summary>
    IQ1_S = 19,

    /// <summary>Non-linear 4-bit in blocks of 32 (18 bytes).</summary>
    IQ4_NL = 20,

    /// <summary>3.4375-bit i-quant (110 bytes per 256).</summary>
    IQ3_S = 21,

    /// <summary>2.5625-bit i-quant (82 bytes per 256).</summary>
    IQ2_S = 22,

    /// <summary>Non-linear 4.25-bit (136 bytes per 256).</summary>
    IQ4_XS = 23,

    /// <summary>8-bit integer.</summary>
    I8 = 24,

    /// <summary>16-bit integer.</summary>
    I16 = 25,

    /// <summary>32-bit integer.</summary>
    I32 = 26,

    /// <summary>64-bit integer.</summary>
    I64 = 27,

    /// <summary>64-bit float.</summary>
    F64 = 28,

    /// <summary>1.75-bit i-quant (56 bytes per 256).</summary>
    IQ1_M = 29,

    /// <summary>bfloat16.</summary>
    BF16 = 30,

    /// <summary>Ternary 1.6875-bit (54 bytes per 256).</summary>
    TQ1_0 = 34,

    /// <summary>Ternary 2.0625-bit (66 bytes per 256).</summary>
    TQ2_0 = 35,

    /// <summary>MXFP4: blocks of 32 E2M1 values with an E8M0 scale (17 bytes).</summary>
    MXFP4 = 39,

    /// <summary>NVFP4: blocks of 64 E2M1 values with four UE4M3 scales (36 bytes).</summary>
    NVFP4 = 40,

    /// <summary>1-bit: blocks of 128 signs with an fp16 scale (18 bytes).</summary>
    Q1_0 = 41,

    /// <summary>2-bit: blocks of 64 with an fp16 scale (18 bytes).</summary>
    Q2_0 = 42,
}
