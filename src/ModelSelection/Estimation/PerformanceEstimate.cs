namespace ModelSelection.Estimation;

/// <summary>
/// Time, throughput, energy and cost of a request on a device, from a roofline per phase:
/// <c>max(FLOPs ÷ (peak · η_compute), bytes ÷ (bandwidth · η_memory)) + fixed overhead</c>.
/// </summary>
/// <param name="Fits">Whether the memory estimate fits the device's usable memory.</param>
/// <param name="FreeBytes">Usable memory minus the estimate: negative when it does not fit, by that much.</param>
/// <param name="ComputePrecision">The precision the device computes in (after any fallback).</param>
/// <param name="PrecisionFellBack">Whether the device lacked the requested compute precision and fell back.</param>
/// <param name="LatencySeconds">End to end: the forward pass (encoders) or time to first token plus every decoding step.</param>
/// <param name="TimeToFirstTokenSeconds">Prefill time of a decoder; <see langword="null"/> for encoders.</param>
/// <param name="TimePerOutputTokenSeconds">One decoding step at the average context; <see langword="null"/> for encoders.</param>
/// <param name="ForwardBound">The bound of the forward pass (prefill).</param>
/// <param name="DecodeBound">The bound of a decoding step, or <see langword="null"/>.</param>
/// <param name="Bound">Compute or memory when every phase agrees, else mixed.</param>
/// <param name="ThroughputPerSecond">Sequences per second (encoders, or nothing generated) or generated tokens per second.</param>
/// <param name="AllReduceSeconds">Time spent in tensor-parallel all-reduces, included in the latency.</param>
/// <param name="EnergyJoules">Power × latency × devices, or <see langword="null"/> when the power is unknown.</param>
/// <param name="CostUsd">Price per hour × latency × devices, or <see langword="null"/> without a list price.</param>
/// <param name="CostPerMillionTokensUsd">Cost per million processed tokens (input and generated), or <see langword="null"/>.</param>
public readonly record struct PerformanceEstimate(
    bool Fits,
    long FreeBytes,
    NumericPrecision ComputePrecision,
    bool PrecisionFellBack,
    double LatencySeconds,
    double? TimeToFirstTokenSeconds,
    double? TimePerOutputTokenSeconds,
    PerformanceBound ForwardBound,
    PerformanceBound? DecodeBound,
    PerformanceBound Bound,
    double ThroughputPerSecond,
    double AllReduceSeconds,
    double? EnergyJoules,
    double? CostUsd,
    double? CostPerMillionTokensUsd)
{
    /// <summary>Gets the inference engine the estimate assumes, or <see langword="null"/> for the plain roofline with the device's own efficiencies.</summary>
    public string? Runtime { get; init; }

    /// <summary>Gets how several devices split the work, or <see langword="null"/> for one device.</summary>
    public DeviceLayout? Layout { get; init; }

    /// <summary>Gets how the model is split between the device and its host memory when the workload sets <see cref="InferenceWorkload.GpuLayers"/> below the model's blocks under a runtime that offloads by layer; <see langword="null"/> otherwise.</summary>
    public LayerOffloadEstimate? Offload { get; init; }

    /// <summary>Gets the share of a pipeline-parallel prefill the stages idle, (p − 1) ÷ (m + p − 1) for p stages and m micro-batches; 0 without a pipeline.</summary>
    public double PipelineBubbleFraction { get; init; }
}
