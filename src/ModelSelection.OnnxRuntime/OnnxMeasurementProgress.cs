namespace ModelSelection.OnnxRuntime;

/// <summary>
/// How far <see cref="OnnxRuntimeMeasurer"/> has got: reported when a shape's session is being created, as each
/// warm-up and timed run ends, and when the shape is done.
/// </summary>
/// <param name="ShapeIndex">The shape's index in the list measured (0-based).</param>
/// <param name="ShapeCount">How many shapes are measured.</param>
/// <param name="Shape">The shape being measured.</param>
/// <param name="Phase">What is happening to it.</param>
/// <param name="Runs">The runs of the current phase done so far (warm-up runs while <see cref="OnnxMeasurementPhase.WarmingUp"/>, timed runs while <see cref="OnnxMeasurementPhase.Timing"/> and at <see cref="OnnxMeasurementPhase.Done"/>, 0 while loading).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OnnxMeasurementProgress(int ShapeIndex, int ShapeCount, ShapeToMeasure Shape, OnnxMeasurementPhase Phase, int Runs);
