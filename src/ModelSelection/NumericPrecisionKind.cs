namespace ModelSelection;

/// <summary>How a <see cref="NumericPrecision"/> stores numbers.</summary>
public enum NumericPrecisionKind
{
    /// <summary>A floating-point format stored element by element (fp32, tf32, fp16, bf16, fp8).</summary>
    FloatingPoint = 0,

    /// <summary>A plain integer format (int8, int4); per-channel scales are negligible and not counted.</summary>
    PlainInteger = 1,

    /// <summary>
    /// A block- or group-quantised weight format (GPTQ, AWQ, NF4, GGUF): low-bit integers plus a scale (and
    /// sometimes a zero point) per block, counted in the effective bits per weight.
    /// </summary>
    BlockQuantized = 2,
}
