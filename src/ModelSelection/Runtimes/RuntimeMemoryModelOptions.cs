namespace ModelSelection.Runtimes;

/// <summary>
/// A <see cref="RuntimeMemoryModel"/> bound from configuration (<c>ModelSelection:Runtimes:N:Memory</c> or
/// <c>ModelSelection:Runtimes:N:DeviceMemory:DEVICE-ID</c>): fields left out keep the basis's values.
/// </summary>
public sealed class RuntimeMemoryModelOptions
{
    /// <summary>Gets or sets <see cref="RuntimeMemoryModel.FixedBytes"/>.</summary>
    public long? FixedBytes { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeMemoryModel.LoadTransientFraction"/>.</summary>
    public double? LoadTransientFraction { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeMemoryModel.HiddenBuffers"/>.</summary>
    public double? HiddenBuffers { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeMemoryModel.FeedForwardBuffers"/>.</summary>
    public double? FeedForwardBuffers { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeMemoryModel.AttentionScoreBuffers"/>.</summary>
    public double? AttentionScoreBuffers { get; set; }

    /// <summary>Gets or sets <see cref="RuntimeMemoryModel.Source"/>.</summary>
    public string? Source { get; set; }

    /// <summary>Creates the model, starting from a basis.</summary>
    /// <param name="basis">The values left-out fields keep; <see langword="null"/> for the defaults.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its bounds.</exception>
    public RuntimeMemoryModel ToModel(RuntimeMemoryModel? basis = null)
    {
        var b = basis ?? new RuntimeMemoryModel();
        return b with
        {
            FixedBytes = FixedBytes ?? b.FixedBytes,
            LoadTransientFraction = LoadTransientFraction ?? b.LoadTransientFraction,
            HiddenBuffers = HiddenBuffers ?? b.HiddenBuffers,
            FeedForwardBuffers = FeedForwardBuffers ?? b.FeedForwardBuffers,
            AttentionScoreBuffers = AttentionScoreBuffers ?? b.AttentionScoreBuffers,
            Source = Source ?? "configuration",
        };
    }
}
