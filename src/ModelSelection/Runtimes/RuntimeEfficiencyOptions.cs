namespace ModelSelection.Runtimes;

/// <summary>
/// A runtime's efficiency on one device class as configuration binds it (<c>ModelSelection:Runtimes:0:Efficiencies:datacenter-gpu</c>);
/// unset fields keep the base profile's value, or the defaults of <see cref="RuntimeEfficiency"/>.
/// </summary>
public sealed class RuntimeEfficiencyOptions
{
    /// <summary>Gets or sets <see cref="RuntimeEfficiency.ComputeEfficiency"/>.</summary>
    public double? ComputeEfficiency { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.HalfEfficiencyRows"/>.</summary>
    public double? HalfEfficiencyRows { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.MemoryEfficiency"/>.</summary>
    public double? MemoryEfficiency { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.LayerOverheadSeconds"/>.</summary>
    public double? LayerOverheadSeconds { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.HostLayerSeconds"/>.</summary>
    public double? HostLayerSeconds { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.CallOverheadSeconds"/>.</summary>
    public double? CallOverheadSeconds { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.QuantizedComputeFactor"/>.</summary>
    public double? QuantizedComputeFactor { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.QuantizedMemoryFactor"/>.</summary>
    public double? QuantizedMemoryFactor { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.AllReduceLatencySeconds"/>.</summary>
    public double? AllReduceLatencySeconds { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.TrainingEfficiency"/>.</summary>
    public double? TrainingEfficiency { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeEfficiency.Source"/>; "configuration" when unset.</summary>
    public string? Source { get; set; }

    /// <summary>Applies the set fields to a base efficiency.</summary>
    /// <param name="basis">The efficiency to start from; <see langword="null"/> for the defaults.</param>
    /// <returns>The efficiency.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of its physical range; the message names it.</exception>
    public RuntimeEfficiency ToEfficiency(RuntimeEfficiency? basis = null)
    {
        var b = basis ?? new RuntimeEfficiency();
        return b with
        {
            ComputeEfficiency = ComputeEfficiency ?? b.ComputeEfficiency,
            HalfEfficiencyRows = HalfEfficiencyRows ?? b.HalfEfficiencyRows,
            MemoryEfficiency = MemoryEfficiency ?? b.MemoryEfficiency,
            LayerOverheadSeconds = LayerOverheadSeconds ?? b.LayerOverheadSeconds,
            HostLayerSeconds = HostLayerSeconds ?? b.HostLayerSeconds,
            CallOverheadSeconds = CallOverheadSeconds ?? b.CallOverheadSeconds,
            QuantizedComputeFactor = QuantizedComputeFactor ?? b.QuantizedComputeFactor,
            QuantizedMemoryFactor = QuantizedMemoryFactor ?? b.QuantizedMemoryFactor,
            AllReduceLatencySeconds = AllReduceLatencySeconds ?? b.AllReduceLatencySeconds,
            TrainingEfficiency = TrainingEfficiency ?? b.TrainingEfficiency,
            Source = Source ?? "configuration",
        };
    }
}
