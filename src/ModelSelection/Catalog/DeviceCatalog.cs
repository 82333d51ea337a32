using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using ModelSelection.Devices;

namespace ModelSelection.Catalog;

/// <summary>
/// A set of device profiles by id: the built-in catalog (<see cref="BuiltIn"/>) of 26 devices from H200 to Raspberry
/// Pi 4, or your own. The id <see cref="LocalId"/> is reserved for the probed machine (<see cref="ResolveAsync"/>).
/// </summary>
/// <remarks>
/// The built-in catalog is embedded JSON of vendor facts (<c>docs/device-sources.md</c>); every number keeps its source in
/// the profile's <see cref="DeviceProfile.Sources"/> and in <c>docs/device-sources.md</c>, and computed or third-party
/// figures are listed in <see cref="DeviceProfile.EstimatedFields"/>. Lookups ignore case. Immutable and thread-safe.
/// </remarks>
public sealed class DeviceCatalog
{
    /// <summary>The id that means "the machine this runs on", resolved by the local probe.</summary>
    public const string LocalId = "local";

    private static readonly Lazy<DeviceCatalog> BuiltInCatalog = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, DeviceProfile> _byId;

    /// <summary>Creates a catalog of the given profiles.</summary>
    /// <param name="devices">The profiles; ids unique ignoring case, and not <see cref="LocalId"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="devices"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two profiles share an id, or one is named <see cref="LocalId"/>.</exception>
    public DeviceCatalog(IEnumerable<DeviceProfile> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var byId = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var device in devices)
        {
            ArgumentNullException.ThrowIfNull(device, nameof(devices));
            if (string.Equals(device.Id, LocalId, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The device id '{LocalId}' is reserved for the probed machine.", nameof(devices));
            }

            if (!byId.TryAdd(device.Id, device))
            {
                throw new ArgumentException($"Device ids in a catalog must be unique (ignoring case); '{device.Id}' appears twice.", nameof(devices));
            }
        }

        _byId = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Devices = [.. byId.Values.OrderBy(d => d.Class).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>Gets the built-in catalog.</summary>
    public static DeviceCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>Gets the profiles, ordered by class, then id.</summary>
    public ImmutableArray<DeviceProfile> Devices { get; }

    /// <summary>Looks a profile up by id, ignoring case (not <see cref="LocalId"/>: use <see cref="ResolveAsync"/>).</summary>
    /// <param name="id">The id.</param>
    /// <param name="device">The profile, when found.</param>
    /// <returns><see langword="true"/> when the catalog has the id.</returns>
    public bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DeviceProfile? device)
    {
        device = null;
        return id is not null && _byId.TryGetValue(id, out device);
    }

    /// <summary>Gets a profile by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The catalog has no such id (the message lists the known ids), or <paramref name="id"/> is <see cref="LocalId"/>.</exception>
    public DeviceProfile Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_byId.TryGetValue(id, out var device))
        {
            return device;
        }

        var hint = string.Equals(id, LocalId, StringComparison.OrdinalIgnoreCase)
            ? "'local' is the probed machine: use ResolveAsync"
            : $"known ids: {string.Join(", ", Devices.Select(d => d.Id))}, and '{LocalId}' for this machine";
        throw new ArgumentException($"Unknown device id '{id}'; {hint}.", nameof(id));
    }

    /// <summary>Gets a profile by id, probing this machine when the id is <see cref="LocalId"/>.</summary>
    /// <param name="id">A catalog id or <c>local</c>.</param>
    /// <param name="probe">The probe for <c>local</c>; <see langword="null"/> uses <see cref="LocalDeviceProbe.Default"/> (cached per process).</param>
    /// <param name="cancellationToken">Cancels a probe.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The catalog has no such id.</exception>
    /// <exception cref="OperationCanceledException">The probe was cancelled.</exception>
    public Task<DeviceProfile> ResolveAsync(string id, ILocalDeviceProbe? probe = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return string.Equals(id, LocalId, StringComparison.OrdinalIgnoreCase)
            ? (probe ?? LocalDeviceProbe.Default).ProbeAsync(null, cancellationToken)
            : Task.FromResult(Get(id));
    }

    /// <summary>Returns a catalog with more profiles; one whose id is present replaces the old one.</summary>
    /// <param name="devices">The profiles to add or override.</param>
    /// <returns>The new catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="devices"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two of the new profiles share an id, or one is named <see cref="LocalId"/>.</exception>
    public DeviceCatalog With(IEnumerable<DeviceProfile> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var added = new DeviceCatalog(devices);
        return new DeviceCatalog(Devices.Where(d => !added._byId.ContainsKey(d.Id)).Concat(added.Devices));
    }

    /// <summary>Reads a catalog in the built-in catalog's JSON format (<c>{"devices": [...]}</c>, camelCase fields of <see cref="DeviceProfile"/>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The JSON is malformed or a profile is impossible; the message names the entry and the field.</exception>
    public static DeviceCatalog FromJson(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        var document = Internal.JsonText.Deserialize(json, CatalogJsonContext.Default.DeviceDocument, sourceName, "a device catalog");

        if (document?.Devices is not { } entries)
        {
            throw new ModelImportException(sourceName, "$.devices", "required key is missing; expected an array of devices");
        }

        var devices = new List<DeviceProfile>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            try
            {
                devices.Add(ToProfile(entries[i], sourceName, $"$.devices[{i}]"));
            }
            catch (ArgumentException exception)
            {
                throw new ModelImportException(sourceName, $"$.devices[{i}]", exception.Message.Split(" (Parameter")[0], exception);
            }
        }

        try
        {
            return new DeviceCatalog(devices);
        }
        catch (ArgumentException exception)
        {
            throw new ModelImportException(sourceName, "$.devices", exception.Message.Split(" (Parameter")[0], exception);
        }
    }

    private static DeviceProfile ToProfile(DeviceEntry e, string sourceName, string path)
    {
        if (string.IsNullOrWhiteSpace(e.Id))
        {
            throw new ModelImportException(sourceName, path + ".id", "required key is missing; expected the device id");
        }

        if (!DeviceClasses.TryParse(e.Class, out var deviceClass))
        {
            throw new ModelImportException(sourceName, path + ".class", $"expected one of {string.Join(", ", DeviceClasses.AllNames)}; found \"{e.Class}\"");
        }

        DeviceTier? tier = null;
        if (e.Tier is not null)
        {
            tier = DeviceTiers.TryParse(e.Tier, out var parsed) ? parsed : throw new ModelImportException(sourceName, path + ".tier", $"expected one of {string.Join(", ", DeviceTiers.AllNames)}; found \"{e.Tier}\"");
        }

        var profile = new DeviceProfile
        {
            Id = e.Id,
            DisplayName = e.Name ?? e.Id,
            Class = deviceClass,
            MemoryBytes = e.MemoryBytes ?? throw new ModelImportException(sourceName, path + ".memoryBytes", "required key is missing"),
            IsUnifiedMemory = e.IsUnifiedMemory,
            MemoryBandwidthBytesPerSecond = e.MemoryBandwidthBytesPerSecond ?? throw new ModelImportException(sourceName, path + ".memoryBandwidthBytesPerSecond", "required key is missing"),
            PeakFlops = Peaks(e.PeakFlops) ?? throw new ModelImportException(sourceName, path + ".peakFlops", "required key is missing"),
            SparsePeakFlops = Peaks(e.SparsePeakFlops),
            PowerWatts = e.PowerWatts,
            PricePerHourUsd = e.PricePerHourUsd,
            PriceAsOf = e.PriceAsOf,
            InterconnectBandwidthBytesPerSecond = e.InterconnectBandwidthBytesPerSecond,
            Sources = [.. e.Sources ?? []],
            Notes = e.Notes,
            EstimatedFields = [.. e.EstimatedFields ?? []],
        };
        profile = tier is { } stated ? profile with { Tier = stated } : profile;
        return e.UsableMemoryFraction is { } fraction ? profile with { UsableMemoryFraction = fraction } : profile;
    }

    private static PrecisionPeaks? Peaks(PeaksEntry? p) => p is null ? null : new PrecisionPeaks
    {
        Fp32 = p.Fp32, Tf32 = p.Tf32, Fp16 = p.Fp16, Bf16 = p.Bf16, Fp8 = p.Fp8, Int8 = p.Int8, Int4 = p.Int4,
    };

    private static DeviceCatalog LoadBuiltIn()
    {
        using var stream = typeof(DeviceCatalog).Assembly.GetManifestResourceStream("ModelSelection.Catalog.devices.json")
            ?? throw new InvalidOperationException("The built-in device catalog resource 'ModelSelection.Catalog.devices.json' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd(), "built-in device catalog");
    }
}
