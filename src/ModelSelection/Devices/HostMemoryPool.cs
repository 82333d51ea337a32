using ModelSelection.Internal;

namespace ModelSelection.Devices;

/// <summary>
/// The second memory pool of a machine whose accelerator has its own memory: the host's RAM, its bandwidth and the
/// CPU's peaks, where a runtime that offloads by layer (llama.cpp's <c>--gpu-layers</c>) keeps and computes the layers
/// that do not fit on the device. A unified-memory SoC has one pool and no host pool.
/// </summary>
/// <remarks>Immutable and thread-safe; every property validates itself when set.</remarks>
public sealed record HostMemoryPool
{
    private readonly long _memoryBytes;
    private readonly double _bandwidth;
    private readonly double _usable = 0.9;

    /// <summary>Gets the host's memory in bytes, 1 or more.</summary>
    public required long MemoryBytes { get => _memoryBytes; init => _memoryBytes = Guard.InRange(value, 1, long.MaxValue, "Host memory bytes"); }

    /// <summary>Gets the share of <see cref="MemoryBytes"/> the model may use (the OS and other programs keep the rest), in (0, 1]; 0.9 by default.</summary>
    public double UsableMemoryFraction
    {
        get => _usable;
        init => _usable = double.IsFinite(value) && value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(UsableMemoryFraction), value, $"Host usable memory fraction must be greater than 0 and at most 1; was {Guard.Show(value)}.");
    }

    /// <summary>Gets the host memory's peak bandwidth in bytes per second (dual-channel DDR5-5600: 89.6e9), greater than 0.</summary>
    public required double BandwidthBytesPerSecond
    {
        get => _bandwidth;
        init => _bandwidth = double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(BandwidthBytesPerSecond), value, $"Host memory bandwidth must be a positive number of bytes per second; was {Guard.Show(value)}.");
    }

    /// <summary>Gets the CPU's peak FLOP/s per precision (the host computes the layers it holds).</summary>
    public required PrecisionPeaks PeakFlops { get; init => field = value ?? throw new ArgumentNullException(nameof(PeakFlops)); }

    /// <summary>Gets the bytes a model may use: ⌊<see cref="MemoryBytes"/> × <see cref="UsableMemoryFraction"/>⌋.</summary>
    public long UsableMemoryBytes => (long)Math.Floor(_memoryBytes * _usable);
}
