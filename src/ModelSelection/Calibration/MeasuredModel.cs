using System.Collections.Immutable;
using ModelSelection.Models;

namespace ModelSelection.Calibration;

/// <summary>
/// The measured shapes of one model in one weight format: what <see cref="Calibrator.Calibrate(IEnumerable{MeasuredModel}, Devices.DeviceProfile, Runtimes.RuntimeProfile, LocalCalibrationOptions?)"/>
/// fits to. The model is the spec the estimator predicts from (an imported ONNX model's <c>ToModelSpec()</c>, a
/// catalog entry, or a generated block's shape).
/// </summary>
/// <param name="Model">The model that ran.</param>
/// <param name="Precision">The weight format it ran in (fp32 for an unquantised ONNX model).</param>
/// <param name="Points">The measured shapes.</param>
public sealed record MeasuredModel(ModelSpec Model, NumericPrecision Precision, ImmutableArray<MeasuredPoint> Points)
{
    /// <summary>Gets where the measurements come from (machine, engine and version, command); free text.</summary>
    public string? Source { get; init; }
}
