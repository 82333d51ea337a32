namespace ModelSelection.Devices;

/// <summary>The names of device classes as the catalog, configuration and JSON output write them (<c>datacenter-gpu</c>, …).</summary>
public static class DeviceClasses
{
    private static readonly (DeviceClass Class, string Name)[] Names =
    [
        (DeviceClass.DatacenterGpu, "datacenter-gpu"), (DeviceClass.ConsumerGpu, "consumer-gpu"), (DeviceClass.AppleSoc, "apple-soc"),
        (DeviceClass.EdgeGpu, "edge-gpu"), (DeviceClass.EdgeCpu, "edge-cpu"), (DeviceClass.Npu, "npu"),
        (DeviceClass.PhoneSoc, "phone-soc"), (DeviceClass.ServerCpu, "server-cpu"),
    ];

    /// <summary>Gets the kebab-case name of a class, e.g. <c>datacenter-gpu</c>.</summary>
    /// <param name="deviceClass">The class.</param>
    /// <returns>The name.</returns>
    public static string ToName(DeviceClass deviceClass) => Names.First(n => n.Class == deviceClass).Name;

    /// <summary>Reads a class from its kebab-case name or its enum name, ignoring case.</summary>
    /// <param name="name">The name, e.g. <c>edge-gpu</c> or <c>EdgeGpu</c>.</param>
    /// <param name="deviceClass">The class, when known.</param>
    /// <returns><see langword="true"/> when the name is a known class.</returns>
    public static bool TryParse(string? name, out DeviceClass deviceClass)
    {
        foreach (var (value, text) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(name, value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                deviceClass = value;
                return true;
            }
        }

        deviceClass = default;
        return false;
    }

    /// <summary>Gets every class name, for messages.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names.Select(n => n.Name)];
}
