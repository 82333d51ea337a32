namespace ModelSelection.Calibration;

/// <summary>How <see cref="Calibrator.Fit"/> fits.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Gets the weight λ that holds each parameter towards its start, per squared log ratio; 0.02 by default (a point 10 % off weighs as much as a parameter moved by a factor of 2).</summary>
    public double PriorWeight { get; init => field = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(PriorWeight), value, "PriorWeight must be a finite number that is 0 or more."); } = 0.05;

    /// <summary>Gets whether the fit starts from each class's physical prior (<see cref="Runtimes.RuntimeEfficiency.Prior"/>, the default, so a refit reproduces the built-in catalog) rather than from the catalog's current efficiency (to refine a profile with your own points).</summary>
    public bool StartFromPriors { get; init; } = true;

    /// <summary>Gets whether to refit each point's group without it and predict it (slower: one refit per point).</summary>
    public bool LeaveOneOut { get; init; }
}
