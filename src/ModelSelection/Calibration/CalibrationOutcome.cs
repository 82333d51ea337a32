namespace ModelSelection.Calibration;

/// <summary>A point's prediction against its measurement.</summary>
/// <param name="Point">The point.</param>
/// <param name="Predicted">The predicted value in the metric's unit, or <see langword="null"/> when the point cannot be predicted (its reason in <paramref name="Problem"/>).</param>
/// <param name="Problem">Why the point could not be predicted (unknown id, unsupported format), or <see langword="null"/>.</param>
public sealed record CalibrationOutcome(CalibrationPoint Point, double? Predicted, string? Problem)
{
    /// <summary>Gets the predicted time over the measured time (for a rate: the measured rate over the predicted): above 1 means the estimate is slower than the run.</summary>
    public double? TimeRatio => Predicted is { } p && p > 0 ? (Point.IsRate ? Point.Value / p : p / Point.Value) : null;

    /// <summary>Gets the relative error of the predicted time, ratio − 1.</summary>
    public double? Error => TimeRatio - 1;
}
