namespace ModelSelection.OnnxRuntime;

/// <summary>Where the measurement of one shape stands (see <see cref="OnnxMeasurementProgress"/>).</summary>
public enum OnnxMeasurementPhase
{
    /// <summary>Creating the ONNX Runtime session for the shape and binding its inputs.</summary>
    Loading,

    /// <summary>Running the untimed warm-up runs.</summary>
    WarmingUp,

    /// <summary>Running the timed runs.</summary>
    Timing,

    /// <summary>The shape is measured; its point is complete.</summary>
    Done,
}
