using ModelSelection.Internal;

namespace ModelSelection.Runtimes;

/// <summary>
/// How an engine that runs a whole graph at once (ONNX Runtime) holds memory beyond the weights: its own resident
/// bytes, a transient while a session loads, and the activation buffers its executor keeps resident at the peak of a
/// forward pass. The estimator uses it in place of the one-layer activation formula and the device's runtime overhead.
/// </summary>
/// <remarks>
/// <para>An exported graph runs unfused operators one by one (MatMul, Add, Div, Erf, Mul …), each writing a tensor of
/// the same shape; the executor's memory planner reuses buffers, but several of each size are resident at once, and the
/// pages an arena has touched stay resident. So the peak transient is</para>
/// <code>
/// max(H · b·s·h, F · b·s·ff, S · b·a·s·keys) × activation bytes   (plus the logits an exported decoder keeps)
/// </code>
/// <para>and the peak resident set over the process before the session is created is
/// <c>weights + KV + FixedBytes + max(transient, LoadTransientFraction × weights)</c>.
/// <see cref="Calibration.Calibrator.Calibrate(IEnumerable{Calibration.MeasuredModel}, Devices.DeviceProfile, RuntimeProfile, Calibration.LocalCalibrationOptions?)"/>
/// fits it to measured resident-set growth; docs/runtimes.md gives the built-in values and their measurements.</para>
/// </remarks>
public sealed record RuntimeMemoryModel
{
    /// <summary>Gets the engine's own resident bytes once a session exists (library pages, environment, thread pools, session structures), in place of the device's runtime overhead.</summary>
    public long FixedBytes { get => field; init => field = Guard.InRange(value, 0, 1L << 40, "FixedBytes, the engine's own resident bytes,"); }

    /// <summary>Gets the extra resident bytes while a session loads (the parsed model beside the engine's copies of the weights), as a fraction of the weight bytes, in [0, 4].</summary>
    public double LoadTransientFraction { get => field; init => field = Guard.InRange(value, 0, 4, "LoadTransientFraction, the load transient as a fraction of the weights,"); }

    /// <summary>Gets how many hidden-sized activations (b·s·h values) are resident at the peak, in [0, 256].</summary>
    public double HiddenBuffers { get => field; init => field = Guard.InRange(value, 0, 256, "HiddenBuffers, the resident b·s·h activations,"); } = 3;

    /// <summary>Gets how many feed-forward-sized activations (b·s·ff values) are resident at the peak, in [0, 256].</summary>
    public double FeedForwardBuffers { get => field; init => field = Guard.InRange(value, 0, 256, "FeedForwardBuffers, the resident b·s·ff activations,"); } = 1;

    /// <summary>Gets how many attention-score-sized activations (b·heads·s·keys values) are resident at the peak, in [0, 256].</summary>
    public double AttentionScoreBuffers { get => field; init => field = Guard.InRange(value, 0, 256, "AttentionScoreBuffers, the resident attention-score activations,"); } = 2;

    /// <summary>Gets where the values come from (measurements and their machine, or "configuration").</summary>
    public string Source { get; init; } = "configuration";
}
