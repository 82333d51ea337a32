using System.Globalization;
using UnitsNet;

namespace ModelSelection.Devices;

/// <summary>
/// A device described or overridden from configuration (<c>appsettings.json</c>) or code: every property is optional
/// and settable, so it binds with <c>Microsoft.Extensions.Configuration</c>. Over a base profile it changes only the
/// fields it sets; without one it must describe a whole device.
/// </summary>
/// <remarks>
/// Sizes may be given as exact numbers (<see cref="MemoryBytes"/>, <see cref="MemoryBandwidthBytesPerSecond"/>) or
/// as UnitsNet text (<see cref="Memory"/> <c>"24 GiB"</c>, <see cref="MemoryBandwidth"/> <c>"1008 GB/s"</c>), not both.
/// <see cref="Validate(DeviceProfile?)"/> lists every problem, naming the device and the field.
/// </remarks>
public sealed class DeviceProfileOptions
{
    /// <summary>Gets or sets the id (required for a new device; for an override, the id of the device to override).</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets the class: <c>datacenter-gpu</c>, <c>consumer-gpu</c>, <c>apple-soc</c>, <c>edge-gpu</c>, <c>edge-cpu</c>, <c>npu</c>, <c>phone-soc</c>, <c>server-cpu</c>.</summary>
    public string? Class { get; set; }

    /// <summary>Gets or sets where the device is deployed: <c>cloud</c>, <c>desktop</c>, <c>laptop</c>, <c>mobile</c> or <c>embedded</c>; <see langword="null"/> keeps the basis's, or what the class implies.</summary>
    public string? Tier { get; set; }

    /// <summary>Gets or sets the memory capacity in bytes.</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>Gets or sets the memory capacity as text, e.g. <c>"24 GiB"</c> (binary prefixes are 2³⁰).</summary>
    public string? Memory { get; set; }

    /// <summary>Gets or sets the usable fraction of memory, in (0, 1].</summary>
    public double? UsableMemoryFraction { get; set; }

    /// <summary>Gets or sets whether the memory is shared with the CPU and the OS.</summary>
    public bool? IsUnifiedMemory { get; set; }

    /// <summary>Gets or sets the memory bandwidth in bytes per second.</summary>
    public double? MemoryBandwidthBytesPerSecond { get; set; }

    /// <summary>Gets or sets the memory bandwidth as text, e.g. <c>"1008 GB/s"</c> (10⁹ bytes per second).</summary>
    public string? MemoryBandwidth { get; set; }

    /// <summary>Gets or sets dense peaks per precision.</summary>
    public PrecisionPeaksOptions? PeakFlops { get; set; }

    /// <summary>Gets or sets the power under load in watts.</summary>
    public double? PowerWatts { get; set; }

    /// <summary>Gets or sets the price per device-hour in US dollars.</summary>
    public decimal? PricePerHourUsd { get; set; }

    /// <summary>Gets or sets when the price was taken.</summary>
    public string? PriceAsOf { get; set; }

    /// <summary>Gets or sets the compute efficiency, in (0, 1].</summary>
    public double? ComputeEfficiency { get; set; }

    /// <summary>Gets or sets the memory efficiency, in (0, 1].</summary>
    public double? MemoryEfficiency { get; set; }

    /// <summary>Gets or sets the fixed per-call overhead in seconds.</summary>
    public double? FixedOverheadSeconds { get; set; }

    /// <summary>Gets or sets the runtime memory overhead in bytes.</summary>
    public long? RuntimeOverheadBytes { get; set; }

    /// <summary>Gets or sets the interconnect bandwidth in bytes per second, per direction (half a vendor's bidirectional figure).</summary>
    public double? InterconnectBandwidthBytesPerSecond { get; set; }

    /// <summary>Gets or sets notes.</summary>
    public string? Notes { get; set; }

    /// <summary>Gets or sets the host memory pool beside the device (system RAM for llama.cpp's layer offload); not for unified memory.</summary>
    public HostMemoryPoolOptions? Host { get; set; }

    /// <summary>Gets the sources of the numbers set here; appended to the base profile's.</summary>
    public IList<string> Sources { get; } = [];

    /// <summary>Lists every problem these options have, alone (a new device) or over <paramref name="basis"/> (an override).</summary>
    /// <param name="basis">The profile to override, or <see langword="null"/> for a new device.</param>
    /// <returns>One sentence per problem, naming the device and the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(DeviceProfile? basis = null)
    {
        var errors = new List<string>();
        Build(basis, errors);
        return errors;
    }

    /// <summary>Builds the profile: <paramref name="basis"/> with the fields set here, or a new device.</summary>
    /// <param name="basis">The profile to override, or <see langword="null"/> for a new device.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DeviceProfile ToProfile(DeviceProfile? basis = null)
    {
        var errors = new List<string>();
        var profile = Build(basis, errors);
        return errors.Count == 0 && profile is not null
            ? profile
            : throw new ArgumentException(string.Join(" ", errors), nameof(basis));
    }

    private DeviceProfile? Build(DeviceProfile? basis, List<string> errors)
    {
        var id = Id ?? basis?.Id;
        var name = $"Device '{id ?? "(unnamed)"}'";
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add($"{name}: Id is required for a new device.");
        }

        DeviceClass? deviceClass = basis?.Class;
        if (Class is not null)
        {
            if (DeviceClasses.TryParse(Class, out var parsed))
            {
                deviceClass = parsed;
            }
            else
            {
                errors.Add($"{name}: Class must be one of {string.Join(", ", DeviceClasses.AllNames)}; was '{Class}'.");
            }
        }
        else if (basis is null)
        {
            errors.Add($"{name}: Class is required for a new device.");
        }

        DeviceTier? tier = null;
        if (Tier is not null)
        {
            if (DeviceTiers.TryParse(Tier, out var parsedTier))
            {
                tier = parsedTier;
            }
            else
            {
                errors.Add($"{name}: Tier must be one of {string.Join(", ", DeviceTiers.AllNames)}; was '{Tier}'.");
            }
        }

        var memory = Either(MemoryBytes, Memory, nameof(MemoryBytes), nameof(Memory), name, errors, text => UnitConversions.ToBytes(Information.Parse(text, CultureInfo.InvariantCulture))) ?? basis?.MemoryBytes;
        if (memory is null && basis is null && MemoryBytes is null && Memory is null)
        {
            errors.Add($"{name}: MemoryBytes (or Memory) is required for a new device.");
        }

        var bandwidth = Either(MemoryBandwidthBytesPerSecond, MemoryBandwidth, nameof(MemoryBandwidthBytesPerSecond), nameof(MemoryBandwidth), name, errors, text => UnitConversions.ToBytesPerSecond(BitRate.Parse(text, CultureInfo.InvariantCulture))) ?? basis?.MemoryBandwidthBytesPerSecond;
        if (bandwidth is null && basis is null && MemoryBandwidthBytesPerSecond is null && MemoryBandwidth is null)
        {
            errors.Add($"{name}: MemoryBandwidthBytesPerSecond (or MemoryBandwidth) is required for a new device.");
        }

        PrecisionPeaks? peaks = null;
        try
        {
            peaks = Peaks(basis?.PeakFlops);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            errors.Add($"{name}: {exception.Message.Split(" (Parameter")[0]}");
        }

        if (peaks is null && basis is null && PeakFlops is null)
        {
            errors.Add($"{name}: PeakFlops is required for a new device (at least one precision).");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        // Each assignment validates itself; collect every failure rather than stopping at the first.
        var profile = basis ?? new DeviceProfile
        {
            Id = id!,
            Class = deviceClass!.Value,
            MemoryBytes = 1,
            MemoryBandwidthBytesPerSecond = 1,
            PeakFlops = new PrecisionPeaks { Fp32 = 1 },
        };
        profile = Apply(profile, errors, p => p with { Id = id! });
        profile = Apply(profile, errors, p => p with { Class = deviceClass!.Value });
        profile = tier is { } stated ? Apply(profile, errors, p => p with { Tier = stated }) : profile;
        profile = Apply(profile, errors, p => p with { MemoryBytes = memory!.Value });
        profile = Apply(profile, errors, p => p with { MemoryBandwidthBytesPerSecond = bandwidth!.Value });
        profile = Apply(profile, errors, p => p with { PeakFlops = peaks ?? p.PeakFlops });
        if (DisplayName is not null) { profile = Apply(profile, errors, p => p with { DisplayName = DisplayName }); }
        if (UsableMemoryFraction is { } fraction) { profile = Apply(profile, errors, p => p with { UsableMemoryFraction = fraction }); }
        if (IsUnifiedMemory is { } unified) { profile = Apply(profile, errors, p => p with { IsUnifiedMemory = unified }); }
        if (PowerWatts is not null) { profile = Apply(profile, errors, p => p with { PowerWatts = PowerWatts }); }
        if (PricePerHourUsd is not null) { profile = Apply(profile, errors, p => p with { PricePerHourUsd = PricePerHourUsd }); }
        if (PriceAsOf is not null) { profile = Apply(profile, errors, p => p with { PriceAsOf = PriceAsOf }); }
        if (ComputeEfficiency is { } compute) { profile = Apply(profile, errors, p => p with { ComputeEfficiency = compute }); }
        if (MemoryEfficiency is { } memoryEfficiency) { profile = Apply(profile, errors, p => p with { MemoryEfficiency = memoryEfficiency }); }
        if (FixedOverheadSeconds is { } overhead) { profile = Apply(profile, errors, p => p with { FixedOverheadSeconds = overhead }); }
        if (RuntimeOverheadBytes is { } runtime) { profile = Apply(profile, errors, p => p with { RuntimeOverheadBytes = runtime }); }
        if (InterconnectBandwidthBytesPerSecond is not null) { profile = Apply(profile, errors, p => p with { InterconnectBandwidthBytesPerSecond = InterconnectBandwidthBytesPerSecond }); }
        if (Notes is not null) { profile = Apply(profile, errors, p => p with { Notes = Notes }); }
        if (Host is { } host)
        {
            profile = Apply(profile, errors, p => p with { Host = host.ToPool(p.Id) });
        }
        if (Sources.Count > 0) { profile = profile with { Sources = [.. profile.Sources, .. Sources] }; }
        return errors.Count == 0 ? profile : null;
    }

    private static DeviceProfile Apply(DeviceProfile profile, List<string> errors, Func<DeviceProfile, DeviceProfile> change)
    {
        try
        {
            return change(profile);
        }
        catch (ArgumentException exception)
        {
            errors.Add(exception.Message.Split(" (Parameter")[0]);
            return profile;
        }
    }

    /// <summary>A value given as a number or as UnitsNet text (not both); a problem is added to <paramref name="errors"/>.</summary>
    internal static T? Either<T>(T? number, string? text, string numberField, string textField, string name, List<string> errors, Func<string, T> parse)
        where T : struct
    {
        if (number is not null && text is not null)
        {
            errors.Add($"{name}: set {numberField} or {textField}, not both.");
            return null;
        }

        if (text is null)
        {
            return number;
        }

        try
        {
            return parse(text);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or UnitsNet.UnitNotFoundException or UnitsNet.AmbiguousUnitParseException)
        {
            errors.Add($"{name}: {textField} must be a size with a unit such as \"24 GiB\" or \"1008 GB/s\"; was '{text}'.");
            return null;
        }
    }

    private PrecisionPeaks? Peaks(PrecisionPeaks? basis)
    {
        if (PeakFlops is not { } p)
        {
            return basis;
        }

        var start = p.ReplaceAll || basis is null ? new PrecisionPeaks() : basis;
        return start with
        {
            Fp32 = p.Fp32 ?? start.Fp32,
            Tf32 = p.Tf32 ?? start.Tf32,
            Fp16 = p.Fp16 ?? start.Fp16,
            Bf16 = p.Bf16 ?? start.Bf16,
            Fp8 = p.Fp8 ?? start.Fp8,
            Int8 = p.Int8 ?? start.Int8,
            Int4 = p.Int4 ?? start.Int4,
        };
    }
}
