namespace ModelSelection.Calibration;

/// <summary>How <see cref="Calibrator.Calibrate(IEnumerable{MeasuredModel}, Devices.DeviceProfile, Runtimes.RuntimeProfile, LocalCalibrationOptions?)"/> fits a device × runtime profile.</summary>
public sealed record LocalCalibrationOptions
{
    /// <summary>
    /// Gets λ, how strongly each fitted parameter is held to where it starts (the runtime's efficiency for the device):
    /// with one or two measured shapes the points do not inform every parameter, and the hold keeps the others where
    /// physics put them. 0.05 by default, as the published-set fit uses.
    /// </summary>
    public double PriorWeight { get => field; init => field = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(PriorWeight), value, $"PriorWeight must be a finite number that is 0 or more; was {value}."); } = 0.05;

    /// <summary>Gets whether the memory model is fitted too (from the points that carry <see cref="MeasuredPoint.MemoryBytes"/>); <see langword="true"/> by default.</summary>
    public bool FitMemory { get; init; } = true;

    /// <summary>Gets a note appended to the fitted entries' <c>Source</c> (the machine, the command); <see langword="null"/> for none.</summary>
    public string? Note { get; init; }

    /// <summary>Gets the time the calibration is stamped with; <see langword="null"/> for now (UTC).</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
