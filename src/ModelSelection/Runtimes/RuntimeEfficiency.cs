using ModelSelection.Internal;

namespace ModelSelection.Runtimes;

/// <summary>
/// How close one inference engine comes to a device class's peaks: a handful of physically bounded parameters, fitted
/// to published measurements (<c>docs/accuracy.md</c>), that explain why a run is slower than the roofline.
/// </summary>
/// <remarks>
/// <para>The time of one forward pass or decoding step on one device is</para>
/// <code>
/// max(FLOPs ÷ max(peak · η_c · m ÷ (m + m½), fp32 peak · η_c), bytes ÷ (bandwidth · η_m), layers · τ_host) + layers · τ_layer + τ_call
/// </code>
/// <para>where m is the GEMM row count (batch × tokens of the step): small matrices and batch-1 decoding run far below
/// peak, large ones approach η_c, and the vector units' fp32 rate is the floor (GEMV kernels). The host's launches (τ_host per layer) overlap the device's work; the device's own
/// per-layer gaps (τ_layer) do not. Block-quantised weights (4- to 6-bit formats) multiply η_c by
/// <see cref="QuantizedComputeFactor"/> (the dequantisation in the inner loop, which is why the int4 speed-up fades
/// with batch size) and η_m by <see cref="QuantizedMemoryFactor"/>.</para>
/// </remarks>
public sealed record RuntimeEfficiency
{
    private readonly double _compute = 0.5;
    private readonly double _halfRows = 64;
    private readonly double _memory = 0.75;
    private readonly double _layer;
    private readonly double _call;
    private readonly double _quantizedCompute = 1;
    private readonly double _quantizedMemory = 1;
    private readonly double _training = 0.4;
    private readonly double _allReduce = 10e-6;
    private readonly double _host;

    /// <summary>Gets the share of the device's peak that large matrix multiplications reach, η_c: in (0, 1] against a datasheet peak, up to 2 in a device calibration that finds the recorded peak too low.</summary>
    public double ComputeEfficiency { get => _compute; init => _compute = Share(value, nameof(ComputeEfficiency)); }

    /// <summary>Gets the GEMM row count m½ at which compute efficiency is half of <see cref="ComputeEfficiency"/>, in [0, 100,000].</summary>
    public double HalfEfficiencyRows { get => _halfRows; init => _halfRows = Guard.InRange(value, 0, 100_000, nameof(HalfEfficiencyRows)); }

    /// <summary>Gets the share of the memory bandwidth that streaming weights and KV cache reaches, η_m: in (0, 1] against a datasheet bandwidth, up to 2 in a device calibration that finds the recorded bandwidth too low.</summary>
    public double MemoryEfficiency { get => _memory; init => _memory = Share(value, nameof(MemoryEfficiency)); }

    /// <summary>Gets the fixed cost per layer of each forward pass or decoding step (kernel launches, synchronisation), in seconds, in [0, 0.01].</summary>
    public double LayerOverheadSeconds { get => _layer; init => _layer = Guard.InRange(value, 0, 0.01, nameof(LayerOverheadSeconds)); }

    /// <summary>
    /// Gets the host's time to issue one layer's kernels, in seconds, in [0, 0.01]: asynchronous, so it overlaps the
    /// device's work and binds only when it is the longer (eager PyTorch decoding at batch 1 is launch-bound; CUDA graphs
    /// and compiled engines make it small).
    /// </summary>
    public double HostLayerSeconds { get => _host; init => _host = Guard.InRange(value, 0, 0.01, nameof(HostLayerSeconds)); }

    /// <summary>Gets the fixed cost of each forward pass or decoding step (scheduling, sampling, host round trip), in seconds, in [0, 1].</summary>
    public double CallOverheadSeconds { get => _call; init => _call = Guard.InRange(value, 0, 1, nameof(CallOverheadSeconds)); }

    /// <summary>Gets the factor, in (0, 1], on η_c for block-quantised and 4-bit weights: the cost of dequantising in the kernel.</summary>
    public double QuantizedComputeFactor { get => _quantizedCompute; init => _quantizedCompute = Fraction(value, nameof(QuantizedComputeFactor)); }

    /// <summary>Gets the factor, in (0, 1], on η_m for block-quantised and 4-bit weights: their kernels stream less well than dense ones.</summary>
    public double QuantizedMemoryFactor { get => _quantizedMemory; init => _quantizedMemory = Fraction(value, nameof(QuantizedMemoryFactor)); }

    /// <summary>Gets the fixed latency of one all-reduce message between devices (launch and synchronisation, before any byte moves), in seconds, in [0, 0.01].</summary>
    public double AllReduceLatencySeconds { get => _allReduce; init => _allReduce = Guard.InRange(value, 0, 0.01, nameof(AllReduceLatencySeconds)); }

    /// <summary>Gets the model FLOPs utilisation of training on one device (forward and backward), in (0, 1].</summary>
    public double TrainingEfficiency { get => _training; init => _training = Fraction(value, nameof(TrainingEfficiency)); }

    /// <summary>Gets where the figures come from: "fitted" with the points they were fitted to, or "prior" and why.</summary>
    public string Source { get; init; } = "prior";

    /// <summary>
    /// Gets the physical prior of a device class: what the fit starts from and is held towards, and what a runtime
    /// without calibration points on the class uses (docs/runtimes.md gives the reasoning): half the peak for large
    /// GEMMs; half of that at 128 rows on GPUs (tensor-core tiles), 32 on Apple GPUs, 8 on CPUs and phones, 16 on NPUs;
    /// 80 % of the bandwidth on GPUs, 60 % on CPUs and phones; launch costs of microseconds per layer.
    /// </summary>
    /// <param name="deviceClass">The class.</param>
    /// <returns>The prior.</returns>
    public static RuntimeEfficiency Prior(Devices.DeviceClass deviceClass)
    {
        var gpu = new RuntimeEfficiency
        {
            ComputeEfficiency = 0.5, HalfEfficiencyRows = 128, MemoryEfficiency = 0.8, LayerOverheadSeconds = 10e-6, HostLayerSeconds = 20e-6, CallOverheadSeconds = 100e-6,
            QuantizedComputeFactor = 0.7, QuantizedMemoryFactor = 1, AllReduceLatencySeconds = 10e-6, TrainingEfficiency = 0.4,
            Source = "prior: no calibration point for this runtime and class; the class's physical prior (docs/runtimes.md)",
        };
        return deviceClass switch
        {
            Devices.DeviceClass.AppleSoc => gpu with { HalfEfficiencyRows = 32, MemoryEfficiency = 0.75, CallOverheadSeconds = 200e-6 },
            Devices.DeviceClass.EdgeCpu or Devices.DeviceClass.ServerCpu => gpu with { HalfEfficiencyRows = 8, MemoryEfficiency = 0.6, LayerOverheadSeconds = 2e-6, HostLayerSeconds = 0, CallOverheadSeconds = 50e-6 },
            Devices.DeviceClass.PhoneSoc => gpu with { ComputeEfficiency = 0.4, HalfEfficiencyRows = 8, MemoryEfficiency = 0.6, LayerOverheadSeconds = 20e-6, CallOverheadSeconds = 1e-3 },
            Devices.DeviceClass.Npu => gpu with { HalfEfficiencyRows = 16, MemoryEfficiency = 0.5, LayerOverheadSeconds = 20e-6, CallOverheadSeconds = 1e-3 },
            _ => gpu,
        };
    }

    /// <summary>The memory efficiency for dense or block-quantised weights.</summary>
    /// <param name="quantized">Whether the weights are block-quantised.</param>
    /// <returns>The efficiency, in (0, 1].</returns>
    public double MemoryEfficiencyFor(bool quantized) => _memory * (quantized ? _quantizedMemory : 1);

    /// <summary>
    /// A share of a device's recorded peak: at most 1 against a datasheet peak, but up to 2 where a device × runtime
    /// calibration finds the engine faster than the recorded figure (a probe taken while the machine was busy, a clock
    /// that boosts past the probe's), so the calibration can correct the device as well as the engine.
    /// </summary>
    private static double Share(double value, string name) =>
        double.IsFinite(value) && value > 0 && value <= 2 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a share of the device's peak in (0, 2] (above 1 only where a calibration finds the engine faster than the recorded peak); was {Guard.Show(value)}.");

    private static double Fraction(double value, string name) =>
        double.IsFinite(value) && value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a fraction in (0, 1]; was {Guard.Show(value)}.");
}
