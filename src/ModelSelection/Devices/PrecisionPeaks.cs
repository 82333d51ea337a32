using ModelSelection.Internal;

namespace ModelSelection.Devices;

/// <summary>
/// A device's peak <b>dense</b> throughput per compute precision, in FLOP/s (or OP/s for integers); <see langword="null"/>
/// means the device has no hardware path for that precision.
/// </summary>
/// <remarks>
/// <para>
/// Dense means without 2:4 structured sparsity: vendor figures quoted "with sparsity" are twice these. Block-quantised
/// weight formats compute in their <see cref="NumericPrecision.ComputePrecision"/>, so a GPTQ model uses the fp16
/// peak and a GGUF model the int8 peak.
/// </para>
/// <para>
/// Each precision's peak is that of the engine a runtime actually uses for it on this device, so one field means one
/// thing: on GPUs the tensor-core rate; on Apple SoCs fp32/fp16 are the GPU (what Metal, and so llama.cpp, runs for
/// every format; Apple GPUs run fp16 at the fp32 rate) and int8 is the Neural Engine (what Core ML runs quantised
/// models on; before A17/M4 its figure is fp16-rate); on phone SoCs fp32/fp16 are the GPU (what GPU delegates run)
/// and int8 the NPU only where its vendor publishes a figure; on CPUs the vector or matrix units (AVX-512, AMX, NEON,
/// dot-product). Only vendor-published figures, unless <see cref="DeviceProfile.EstimatedFields"/> lists the field
/// with how it was derived.
/// </para>
/// <para>
/// When the device lacks a precision, <see cref="Resolve(NumericPrecision)"/> falls back in a fixed order — int4 →
/// int8 → fp16 → bf16 → fp32; fp8 → fp16 → bf16 → fp32; fp16 → bf16 → fp32; bf16 → fp16 → fp32; tf32 → fp32 —
/// always to a wider format the device does support (weights are dequantised, never requantised), and reports that
/// it did. Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed record PrecisionPeaks
{
    private readonly double? _fp32, _tf32, _fp16, _bf16, _fp8, _int8, _int4;

    /// <summary>Gets the fp32 peak in FLOP/s, or <see langword="null"/>.</summary>
    public double? Fp32 { get => _fp32; init => _fp32 = Check(value, nameof(Fp32)); }

    /// <summary>Gets the tf32 tensor peak in FLOP/s, or <see langword="null"/>.</summary>
    public double? Tf32 { get => _tf32; init => _tf32 = Check(value, nameof(Tf32)); }

    /// <summary>Gets the fp16 peak in FLOP/s (fp32 accumulate on GeForce), or <see langword="null"/>.</summary>
    public double? Fp16 { get => _fp16; init => _fp16 = Check(value, nameof(Fp16)); }

    /// <summary>Gets the bf16 peak in FLOP/s, or <see langword="null"/>.</summary>
    public double? Bf16 { get => _bf16; init => _bf16 = Check(value, nameof(Bf16)); }

    /// <summary>Gets the fp8 peak in FLOP/s (e4m3 and e5m2 alike), or <see langword="null"/>.</summary>
    public double? Fp8 { get => _fp8; init => _fp8 = Check(value, nameof(Fp8)); }

    /// <summary>Gets the int8 peak in OP/s, or <see langword="null"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int8 is the name of the precision, not a type.")]
    public double? Int8 { get => _int8; init => _int8 = Check(value, nameof(Int8)); }

    /// <summary>Gets the int4 peak in OP/s, or <see langword="null"/>.</summary>
    public double? Int4 { get => _int4; init => _int4 = Check(value, nameof(Int4)); }

    /// <summary>Gets whether at least one precision is supported.</summary>
    public bool Any => _fp32 is not null || _tf32 is not null || _fp16 is not null || _bf16 is not null || _fp8 is not null || _int8 is not null || _int4 is not null;

    /// <summary>Gets the peak for a compute precision exactly as stored (no fallback).</summary>
    /// <param name="precision">A plain compute precision; block formats are read through their compute precision.</param>
    /// <returns>The peak, or <see langword="null"/> when unsupported.</returns>
    public FlopRate? Get(NumericPrecision precision)
    {
        // Codes of the plain formats in NumericPrecision's table: fp32 0, tf32 1, fp16 2, bf16 3, fp8 4-5, int8 6, int4 7.
        double? value = precision.ComputePrecision.Code switch
        {
            0 => _fp32,
            1 => _tf32,
            2 => _fp16,
            3 => _bf16,
            4 or 5 => _fp8,
            6 => _int8,
            7 => _int4,
            _ => null,
        };
        return value is { } v ? FlopRate.FromFlopsPerSecond(v) : null;
    }

    /// <summary>Finds the precision the device computes a format in: its compute precision, or the first supported fallback.</summary>
    /// <param name="requested">The requested precision (a weight format or a compute precision).</param>
    /// <returns>The resolution, or <see langword="null"/> when neither the precision nor any fallback is supported.</returns>
    public PrecisionResolution? Resolve(NumericPrecision requested)
    {
        var compute = requested.ComputePrecision;
        foreach (var candidate in (NumericPrecision[])FallbackOrder(compute))
        {
            if (Get(candidate) is { } rate)
            {
                return new PrecisionResolution(requested, candidate, rate, candidate != compute);
            }
        }

        return null;
    }

    private static readonly NumericPrecision[] Int4Order = [NumericPrecision.Int4, NumericPrecision.Int8, NumericPrecision.Fp16, NumericPrecision.Bf16, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Int8Order = [NumericPrecision.Int8, NumericPrecision.Fp16, NumericPrecision.Bf16, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Fp8E4M3Order = [NumericPrecision.Fp8E4M3, NumericPrecision.Fp16, NumericPrecision.Bf16, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Fp8E5M2Order = [NumericPrecision.Fp8E5M2, NumericPrecision.Fp16, NumericPrecision.Bf16, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Fp16Order = [NumericPrecision.Fp16, NumericPrecision.Bf16, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Bf16Order = [NumericPrecision.Bf16, NumericPrecision.Fp16, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Tf32Order = [NumericPrecision.Tf32, NumericPrecision.Fp32];
    private static readonly NumericPrecision[] Fp32Order = [NumericPrecision.Fp32];

    /// <summary>Gets the documented fallback order for a compute precision, starting with itself.</summary>
    /// <param name="compute">The compute precision.</param>
    /// <returns>The order.</returns>
    public static IReadOnlyList<NumericPrecision> FallbackOrder(NumericPrecision compute) => compute.ComputePrecision.Code switch
    {
        7 => Int4Order,
        6 => Int8Order,
        4 => Fp8E4M3Order,
        5 => Fp8E5M2Order,
        2 => Fp16Order,
        3 => Bf16Order,
        1 => Tf32Order,
        _ => Fp32Order,
    };

    private static double? Check(double? value, string field) =>
        value is { } v && (!double.IsFinite(v) || v <= 0)
            ? throw new ArgumentOutOfRangeException(field, v, $"Peak {field} FLOP/s must be a finite number greater than 0, or null when unsupported; was {Guard.Show(v)}.")
            : value;
}
