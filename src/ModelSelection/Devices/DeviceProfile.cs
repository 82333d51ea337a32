using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection.Devices;

/// <summary>
/// What the library knows about a device: memory (and how much of it a model may use), bandwidth, dense peak
/// throughput per precision, power, price, efficiencies, per-call overhead, runtime memory overhead and interconnect.
/// </summary>
/// <remarks>
/// <para>
/// Bytes are exact integers (vendor "GB" of GPU and unified memory is GiB: 2³⁰); bandwidth is bytes per second
/// (vendor "GB/s" is 10⁹ B/s); peaks are dense FLOP/s. Optional fields left unset take the defaults of the
/// <see cref="Class"/> (see <c>docs/devices.md</c>): usable memory fraction, compute and memory efficiency, fixed
/// per-call overhead and runtime overhead.
/// </para>
/// <para>
/// Every property validates itself when set, and the message names the device id and the field, so a profile can
/// never hold an impossible value — also not through a <c>with</c> expression. Set <see cref="Id"/> first in an
/// object initializer so messages can name it. Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed record DeviceProfile
{
    private readonly string _id = string.Empty;
    private readonly string? _displayName;
    private readonly long _memoryBytes;
    private readonly double? _usableMemoryFraction;
    private readonly double _bandwidth;
    private readonly PrecisionPeaks _peaks = new();
    private readonly PrecisionPeaks? _sparse;
    private readonly double? _power;
    private readonly decimal? _price;
    private readonly double? _computeEfficiency;
    private readonly double? _memoryEfficiency;
    private readonly double? _fixedOverhead;
    private readonly long? _runtimeOverhead;
    private readonly double? _interconnect;
    private readonly string? _vendor;
    private readonly string _derivedVendor = string.Empty;
    private readonly DeviceTier? _tier;

    /// <summary>Gets the id, e.g. <c>nvidia-a100-80gb-sxm</c>; <c>local</c> is the probed machine.</summary>
    public required string Id
    {
        get => _id;
        init
        {
            _id = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException($"Device id must not be empty; was '{value}'.", nameof(Id));
            var dash = value.IndexOf('-', StringComparison.Ordinal);
            _derivedVendor = (dash > 0 ? value[..dash] : value).ToLowerInvariant();
        }
    }

    /// <summary>
    /// Gets the vendor, lower case (<c>nvidia</c>, <c>apple</c>, <c>qualcomm</c>, <c>amd</c>, <c>intel</c>): what a
    /// runtime's <see cref="Runtimes.RuntimeProfile.Vendors"/> is matched against (CUDA engines run only on NVIDIA). When
    /// not set, the id's first dash-separated segment.
    /// </summary>
    public string Vendor
    {
        get => _vendor ?? _derivedVendor;
        init => _vendor = string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();
    }

    /// <summary>Gets the display name; the id when not set.</summary>
    public string DisplayName { get => _displayName ?? _id; init => _displayName = value; }

    /// <summary>Gets the class, which supplies the defaults of unset fields.</summary>
    public required DeviceClass Class { get; init; }

    /// <summary>Gets where the device is deployed (cloud, desktop, laptop, mobile, embedded): what it states, else what its <see cref="Class"/> implies (<see cref="DeviceTiers.Default"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not a defined tier.</exception>
    public DeviceTier Tier
    {
        get => _tier ?? DeviceTiers.Default(Class);
        init => _tier = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Tier), value, $"Tier must be one of {string.Join(", ", DeviceTiers.AllNames)}; was {(int)value}.");
    }

    /// <summary>Gets the memory capacity in bytes (GPU memory, unified memory, or RAM for CPUs); greater than 0.</summary>
    public required long MemoryBytes
    {
        get => _memoryBytes;
        init => _memoryBytes = value > 0 ? value : throw Fail(nameof(MemoryBytes), "must be greater than 0", value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Gets the fraction of <see cref="MemoryBytes"/> a model may use, in (0, 1]; the class default when not set.</summary>
    public double UsableMemoryFraction
    {
        get => _usableMemoryFraction ?? DeviceClassDefaults.UsableMemoryFraction(Class);
        init => _usableMemoryFraction = Fraction(value, nameof(UsableMemoryFraction));
    }

    /// <summary>Gets the usable memory in bytes: ⌊memory × usable fraction⌋.</summary>
    public long UsableMemoryBytes => (long)Math.Floor(_memoryBytes * UsableMemoryFraction);

    /// <summary>Gets whether the compute engine shares its memory with the CPU and the OS (Apple, Jetson, phones, CPUs).</summary>
    public bool IsUnifiedMemory { get; init; }

    /// <summary>Gets the peak memory bandwidth in bytes per second; greater than 0.</summary>
    public required double MemoryBandwidthBytesPerSecond
    {
        get => _bandwidth;
        init => _bandwidth = double.IsFinite(value) && value > 0 ? value : throw Fail(nameof(MemoryBandwidthBytesPerSecond), "must be a finite number greater than 0", Guard.Show(value));
    }

    /// <summary>Gets the dense peak throughput per precision; at least one precision must be supported.</summary>
    public required PrecisionPeaks PeakFlops
    {
        get => _peaks;
        init => _peaks = value is { Any: true } ? value : throw Fail(nameof(PeakFlops), "must support at least one precision", value is null ? "null" : "none");
    }

    /// <summary>Gets the vendor's peaks with 2:4 structured sparsity, where published (for reference; estimates use <see cref="PeakFlops"/>).</summary>
    public PrecisionPeaks? SparsePeakFlops { get => _sparse; init => _sparse = value; }

    /// <summary>Gets the power draw under load in watts (TDP or measured), or <see langword="null"/> when unknown.</summary>
    public double? PowerWatts
    {
        get => _power;
        init => _power = value is not { } v || (double.IsFinite(v) && v > 0) ? value : throw Fail(nameof(PowerWatts), "must be a finite number greater than 0, or null when unknown", Guard.Show(v));
    }

    /// <summary>Gets the price of one device for one hour in US dollars, or <see langword="null"/> when it has no list price.</summary>
    public decimal? PricePerHourUsd
    {
        get => _price;
        init => _price = value is not { } v || v >= 0 ? value : throw Fail(nameof(PricePerHourUsd), "must be 0 or more, or null when unknown", v.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Gets when the price was taken (ISO date or year), since prices drift.</summary>
    public string? PriceAsOf { get; init; }

    /// <summary>
    /// Gets the host's memory pool beside the device's own (a PC: GPU memory plus system RAM), where a runtime that
    /// offloads by layer keeps the layers that do not fit; <see langword="null"/> for one pool (unified memory, or not
    /// known). A unified-memory device cannot have one.
    /// </summary>
    public HostMemoryPool? Host
    {
        get;
        init => field = value is not null && IsUnifiedMemory
            ? throw new ArgumentException($"Device '{_id}' has unified memory: it has one memory pool, so it cannot have a separate host pool.", nameof(Host))
            : value;
    }

    /// <summary>Gets the fraction of peak FLOP/s real kernels sustain, in (0, 1]; the class default when not set.</summary>
    public double ComputeEfficiency
    {
        get => _computeEfficiency ?? DeviceClassDefaults.ComputeEfficiency(Class);
        init => _computeEfficiency = Fraction(value, nameof(ComputeEfficiency));
    }

    /// <summary>Gets the fraction of peak bandwidth real kernels sustain, in (0, 1]; the class default when not set.</summary>
    public double MemoryEfficiency
    {
        get => _memoryEfficiency ?? DeviceClassDefaults.MemoryEfficiency(Class);
        init => _memoryEfficiency = Fraction(value, nameof(MemoryEfficiency));
    }

    /// <summary>Gets the fixed latency added to every call in seconds (dispatch, launches); the class default when not set.</summary>
    public double FixedOverheadSeconds
    {
        get => _fixedOverhead ?? DeviceClassDefaults.FixedOverheadSeconds(Class);
        init => _fixedOverhead = double.IsFinite(value) && value >= 0 ? value : throw Fail(nameof(FixedOverheadSeconds), "must be a finite number that is 0 or more", Guard.Show(value));
    }

    /// <summary>Gets the memory the runtime takes before the model, in bytes (CUDA context, allocator); the class default when not set.</summary>
    public long RuntimeOverheadBytes
    {
        get => _runtimeOverhead ?? DeviceClassDefaults.RuntimeOverheadBytes(Class);
        init => _runtimeOverhead = value >= 0 ? value : throw Fail(nameof(RuntimeOverheadBytes), "must be 0 or more", value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Gets the device-to-device bandwidth in bytes per second <b>per direction</b> (NVLink, PCIe) for multi-device use,
    /// or <see langword="null"/>: the rate one link sends while it receives as fast, which is what a ring all-reduce
    /// moves. Vendors quote both directions together: NVLink 3 on the A100 "600 GB/s" is 300 GB/s here, NVLink 4 on the
    /// H100 450 GB/s, PCIe 4.0 ×16 32 GB/s.
    /// </summary>
    public double? InterconnectBandwidthBytesPerSecond
    {
        get => _interconnect;
        init => _interconnect = value is not { } v || (double.IsFinite(v) && v > 0) ? value : throw Fail(nameof(InterconnectBandwidthBytesPerSecond), "must be a finite number greater than 0, or null", Guard.Show(v));
    }

    /// <summary>Gets where the numbers come from.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>Gets the caveats (dense vs sparse, GiB vs GB, power modes).</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the fields whose values are computed or third-party rather than vendor-published, each with why.</summary>
    public ImmutableArray<string> EstimatedFields { get; init; } = [];

    /// <summary>Gets how measured fields were measured (the local probe), or <see langword="null"/> for published figures.</summary>
    public string? Measurement { get; init; }

    /// <summary>Gets the memory capacity as a UnitsNet <see cref="Information"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Information Memory => UnitConversions.ToInformation(_memoryBytes);

    /// <summary>Gets the usable memory as a UnitsNet <see cref="Information"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Information UsableMemory => UnitConversions.ToInformation(UsableMemoryBytes);

    /// <summary>Gets the memory bandwidth as a UnitsNet <see cref="BitRate"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BitRate MemoryBandwidth => UnitConversions.ToBitRate(_bandwidth);

    /// <summary>Gets the fixed per-call overhead as a UnitsNet <see cref="Duration"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Duration FixedOverhead => UnitConversions.ToDuration(FixedOverheadSeconds);

    /// <summary>Gets whether <paramref name="field"/> (a property name) holds a computed or third-party value.</summary>
    /// <param name="field">The property name, e.g. <c>PeakFlops.Int8</c>.</param>
    /// <returns><see langword="true"/> when an <see cref="EstimatedFields"/> entry starts with it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is <see langword="null"/>.</exception>
    public bool IsEstimated(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return EstimatedFields.Any(e => e.StartsWith(field, StringComparison.Ordinal));
    }

    /// <summary>
    /// Derives the profile of <paramref name="count"/> identical devices used together (a node): memory, bandwidth,
    /// peaks, power and price multiply; efficiencies, per-call overhead and interconnect stay per device.
    /// </summary>
    /// <param name="count">The devices, 1 to 1024.</param>
    /// <returns>The node's profile, id <c>{id}x{count}</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    public DeviceProfile AsNode(int count)
    {
        Guard.InRange(count, 1, 1024, "Device count");
        if (count == 1)
        {
            return this;
        }

        if (_memoryBytes > long.MaxValue / count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Device '{_id}': {count} devices of {_memoryBytes} bytes exceed the largest memory size a profile holds.");
        }

        double? Times(double? v) => v * count;
        return this with
        {
            Id = $"{_id}x{count}",
            DisplayName = $"{count} × {DisplayName}",
            MemoryBytes = _memoryBytes * count,
            MemoryBandwidthBytesPerSecond = _bandwidth * count,
            PeakFlops = new PrecisionPeaks { Fp32 = Times(_peaks.Fp32), Tf32 = Times(_peaks.Tf32), Fp16 = Times(_peaks.Fp16), Bf16 = Times(_peaks.Bf16), Fp8 = Times(_peaks.Fp8), Int8 = Times(_peaks.Int8), Int4 = Times(_peaks.Int4) },
            SparsePeakFlops = null,
            PowerWatts = Times(_power),
            PricePerHourUsd = _price * count,
            RuntimeOverheadBytes = RuntimeOverheadBytes * count,
        };
    }

    /// <inheritdoc/>
    public bool Equals(DeviceProfile? other) =>
        other is not null
        && _id == other._id && DisplayName == other.DisplayName && Class == other.Class && _memoryBytes == other._memoryBytes
        && UsableMemoryFraction.Equals(other.UsableMemoryFraction) && IsUnifiedMemory == other.IsUnifiedMemory
        && _bandwidth.Equals(other._bandwidth) && _peaks == other._peaks && _sparse == other._sparse
        && _power == other._power && _price == other._price && PriceAsOf == other.PriceAsOf
        && ComputeEfficiency.Equals(other.ComputeEfficiency) && MemoryEfficiency.Equals(other.MemoryEfficiency)
        && FixedOverheadSeconds.Equals(other.FixedOverheadSeconds) && RuntimeOverheadBytes == other.RuntimeOverheadBytes
        && _interconnect == other._interconnect && Sources.SequenceEqual(other.Sources) && Notes == other.Notes
        && EstimatedFields.SequenceEqual(other.EstimatedFields) && Measurement == other.Measurement && Vendor == other.Vendor && Host == other.Host;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_id, Class, _memoryBytes, _bandwidth);

    private ArgumentOutOfRangeException Fail(string field, string rule, string value) =>
        new(field, $"Device '{(_id.Length == 0 ? "(unnamed)" : _id)}': {field} {rule}; was {value}.");

    private double Fraction(double value, string field) =>
        double.IsFinite(value) && value > 0 && value <= 1 ? value : throw Fail(field, "must be greater than 0 and at most 1", Guard.Show(value));
}
