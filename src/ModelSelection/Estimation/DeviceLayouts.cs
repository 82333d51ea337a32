namespace ModelSelection.Estimation;

/// <summary>The names of device layouts as the console, configuration and JSON output write them (<c>tensor-parallel</c>, <c>pipeline-parallel</c>, <c>replicas</c>).</summary>
public static class DeviceLayouts
{
    private static readonly (DeviceLayout Layout, string Name, string Short)[] Names =
    [
        (DeviceLayout.TensorParallel, "tensor-parallel", "tp"), (DeviceLayout.PipelineParallel, "pipeline-parallel", "pp"), (DeviceLayout.Replicas, "replicas", "dp"),
    ];

    /// <summary>Gets every layout name, for messages.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>Gets the kebab-case name of a layout.</summary>
    /// <param name="layout">The layout.</param>
    /// <returns>The name, e.g. <c>tensor-parallel</c>.</returns>
    public static string ToName(DeviceLayout layout)
    {
        foreach (var (value, text, _) in Names)
        {
            if (value == layout)
            {
                return text;
            }
        }

        return ((int)layout).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a layout from its name, its short name (<c>tp</c>, <c>pp</c>, <c>dp</c>) or its enum name, ignoring case.</summary>
    /// <param name="name">The name.</param>
    /// <param name="layout">The layout, when known.</param>
    /// <returns><see langword="true"/> when the name is a known layout.</returns>
    public static bool TryParse(string? name, out DeviceLayout layout)
    {
        foreach (var (value, text, brief) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(name, brief, StringComparison.OrdinalIgnoreCase) || string.Equals(name, value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                layout = value;
                return true;
            }
        }

        layout = default;
        return false;
    }
}
