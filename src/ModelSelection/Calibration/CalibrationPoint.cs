using ModelSelection.Estimation;

namespace ModelSelection.Calibration;

/// <summary>
/// One published or local measurement: what ran (model, device and count, layout, runtime, precision, batch,
/// sequence, generated tokens), what was measured, and where it is written down.
/// </summary>
/// <remarks>
/// For inference, <see cref="Batch"/> is the batch of one request and <see cref="InputTokens"/> the prompt; for
/// training, <see cref="Batch"/> is the sequences per data-parallel replica per step and <see cref="InputTokens"/> the
/// sequence length, and <see cref="Devices"/> is the data-parallel degree times <see cref="TensorParallel"/>.
/// </remarks>
public sealed record CalibrationPoint
{
    /// <summary>Gets a stable id, unique in its set.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the model id (a catalog id).</summary>
    public required string Model { get; init; }

    /// <summary>Gets the device id (a catalog id).</summary>
    public required string Device { get; init; }

    /// <summary>Gets the runtime id.</summary>
    public required string Runtime { get; init; }

    /// <summary>Gets the weight format (inference) or compute precision (training).</summary>
    public required NumericPrecision Precision { get; init; }

    /// <summary>Gets what was measured.</summary>
    public required CalibrationMetric Metric { get; init; }

    /// <summary>Gets the measured value in the metric's unit.</summary>
    public required double Value { get; init; }

    /// <summary>Gets the devices (all of them, for training).</summary>
    public int Devices { get; init; } = 1;

    /// <summary>Gets how inference devices split the work.</summary>
    public DeviceLayout Layout { get; init; }

    /// <summary>Gets the tensor-parallel degree of a training run.</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>Gets the batch.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Gets the prompt (inference) or sequence length (training).</summary>
    public int InputTokens { get; init; } = 1;

    /// <summary>Gets the generated tokens.</summary>
    public int GeneratedTokens { get; init; }

    /// <summary>Gets whether a training run recomputed activations (full recomputation).</summary>
    public bool Recomputation { get; init; }

    /// <summary>Gets the source: paper table, MLPerf result, README at a commit, discussion.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the quoted row or sentence.</summary>
    public string? Detail { get; init; }

    /// <summary>Gets notes: variants, assumptions, caveats.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets whether the metric is a rate (higher is faster) rather than a time.</summary>
    public bool IsRate => Metric is not (CalibrationMetric.LatencyMilliseconds or CalibrationMetric.TimeToFirstTokenMilliseconds or CalibrationMetric.TimePerOutputTokenMilliseconds);

    /// <summary>Gets whether the point is a training run.</summary>
    public bool IsTraining => Metric is CalibrationMetric.TrainingSequencesPerSecond or CalibrationMetric.TrainingTokensPerSecondPerDevice;
}
