namespace ModelSelection.Devices;

/// <summary>The names of device tiers (<c>cloud</c>, <c>desktop</c>, <c>laptop</c>, <c>mobile</c>, <c>embedded</c>) and the tier a device class implies when a device states none.</summary>
public static class DeviceTiers
{
    private static readonly (DeviceTier Tier, string Name)[] Names =
    [
        (DeviceTier.Cloud, "cloud"), (DeviceTier.Desktop, "desktop"), (DeviceTier.Laptop, "laptop"), (DeviceTier.Mobile, "mobile"), (DeviceTier.Embedded, "embedded"),
    ];

    /// <summary>Gets every tier name, for messages.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>Gets the lower-case name of a tier, e.g. <c>embedded</c>.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public static string ToName(DeviceTier tier)
    {
        foreach (var (value, name) in Names)
        {
            if (value == tier)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(tier), tier, $"Tier must be one of {string.Join(", ", AllNames)}; was {(int)tier}.");
    }

    /// <summary>Reads a tier from its name or its enum name, ignoring case.</summary>
    /// <param name="name">The name, e.g. <c>laptop</c>.</param>
    /// <param name="tier">The tier, when known.</param>
    /// <returns><see langword="true"/> when the name is a known tier.</returns>
    public static bool TryParse(string? name, out DeviceTier tier)
    {
        foreach (var (value, text) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(name, value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                tier = value;
                return true;
            }
        }

        tier = default;
        return false;
    }

    /// <summary>
    /// The tier a device class implies: datacenter GPUs and server CPUs are cloud, consumer GPUs desktop, Apple SoCs
    /// laptop, phone SoCs mobile, edge GPUs, edge CPUs and NPUs embedded. A device whose class says less than that
    /// (a laptop CPU in the edge-CPU class, a desktop Apple Ultra) states its tier.
    /// </summary>
    /// <param name="deviceClass">The class.</param>
    /// <returns>The tier.</returns>
    public static DeviceTier Default(DeviceClass deviceClass) => deviceClass switch
    {
        DeviceClass.DatacenterGpu or DeviceClass.ServerCpu => DeviceTier.Cloud,
        DeviceClass.ConsumerGpu => DeviceTier.Desktop,
        DeviceClass.AppleSoc => DeviceTier.Laptop,
        DeviceClass.PhoneSoc => DeviceTier.Mobile,
        _ => DeviceTier.Embedded,
    };
}
