using System.Globalization;
using UnitsNet;

namespace ModelSelection.Devices;

/// <summary>
/// A host memory pool as configuration binds it (<c>ModelSelection:Devices:…:Host</c>): the system RAM beside a GPU,
/// its bandwidth and the CPU's peaks, for llama.cpp's layer offload. Sizes and rates may be given as numbers or as
/// UnitsNet text (<c>"64 GiB"</c>, <c>"51.2 GB/s"</c>).
/// </summary>
public sealed class HostMemoryPoolOptions
{
    /// <summary>Gets or sets the host memory in bytes (or use <see cref="Memory"/>).</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>Gets or sets the host memory as text, e.g. <c>64 GiB</c>.</summary>
    public string? Memory { get; set; }

    /// <summary>Gets or sets the share of it a model may use (default 0.9).</summary>
    public double? UsableMemoryFraction { get; set; }

    /// <summary>Gets or sets the bandwidth in bytes per second (or use <see cref="Bandwidth"/>).</summary>
    public double? BandwidthBytesPerSecond { get; set; }

    /// <summary>Gets or sets the bandwidth as text, e.g. <c>51.2 GB/s</c>.</summary>
    public string? Bandwidth { get; set; }

    /// <summary>Gets or sets the CPU's peak FLOP/s per precision (at least fp32).</summary>
    public PrecisionPeaksOptions? PeakFlops { get; set; }

    /// <summary>Builds the pool.</summary>
    /// <param name="device">The device's name, for messages.</param>
    /// <returns>The pool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A size, rate or peak is missing, given twice, unparsable or out of range; the message names each.</exception>
    public HostMemoryPool ToPool(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var errors = new List<string>();
        var name = $"Device '{device}'";
        var memory = DeviceProfileOptions.Either(MemoryBytes, Memory, "Host.MemoryBytes", "Host.Memory", name, errors, text => UnitConversions.ToBytes(Information.Parse(text, CultureInfo.InvariantCulture)));
        var bandwidth = DeviceProfileOptions.Either(BandwidthBytesPerSecond, Bandwidth, "Host.BandwidthBytesPerSecond", "Host.Bandwidth", name, errors, text => UnitConversions.ToBytesPerSecond(BitRate.Parse(text, CultureInfo.InvariantCulture)));
        if (memory is null && MemoryBytes is null && Memory is null)
        {
            errors.Add($"Device '{device}': Host.MemoryBytes (or Host.Memory) is required.");
        }

        if (bandwidth is null && BandwidthBytesPerSecond is null && Bandwidth is null)
        {
            errors.Add($"Device '{device}': Host.BandwidthBytesPerSecond (or Host.Bandwidth) is required.");
        }

        if (PeakFlops is not { } p || new[] { p.Fp32, p.Tf32, p.Fp16, p.Bf16, p.Fp8, p.Int8, p.Int4 }.All(v => v is null))
        {
            errors.Add($"Device '{device}': Host.PeakFlops is required (at least Fp32).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        try
        {
            var pool = new HostMemoryPool
            {
                MemoryBytes = memory!.Value,
                BandwidthBytesPerSecond = bandwidth!.Value,
                PeakFlops = new PrecisionPeaks { Fp32 = PeakFlops!.Fp32, Tf32 = PeakFlops.Tf32, Fp16 = PeakFlops.Fp16, Bf16 = PeakFlops.Bf16, Fp8 = PeakFlops.Fp8, Int8 = PeakFlops.Int8, Int4 = PeakFlops.Int4 },
            };
            return UsableMemoryFraction is { } fraction ? pool with { UsableMemoryFraction = fraction } : pool;
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"Device '{device}': Host: {exception.Message.Split(" (Parameter")[0]}", exception);
        }
    }
}
