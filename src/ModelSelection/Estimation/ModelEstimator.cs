using ModelSelection.Devices;
using ModelSelection.Internal;
using ModelSelection.Models;
using ModelSelection.Runtimes;

namespace ModelSelection.Estimation;

/// <summary>
/// Memory, FLOPs and performance of a model for a workload on a device: pure functions of their inputs, thread-safe,
/// and allocation-free for inference (O(1) arithmetic over sums read once from the model's tensor inventory).
/// </summary>
/// <remarks>
/// <para>Conventions (with their sources in <c>docs/estimation.md</c>):</para>
/// <list type="bullet">
/// <item>FLOPs = 2 × multiply-accumulates of every linear layer plus the attention score (QKᵀ) and context (PV)
/// products over the full s × s (no causal halving unless asked); elementwise operations only when asked.</item>
/// <item>Weights: Σ parameters × bits of the weight format ÷ 8 (scales included), embeddings and LM head at 16 bits
/// when the weights are quantised; split evenly across tensor-parallel devices.</item>
/// <item>KV cache: 2 · layers · KV heads · head dimension · bytes · tokens · batch, tokens capped by a sliding window,
/// max(1, KV heads ÷ devices) heads per device; encoder-decoders add the cross-attention cache; Transformer-XL
/// keeps <c>mem_len</c> hidden states per layer instead.</item>
/// <item>Activations: the peak transient of one layer, max(3·s·b·h, attention scores, ff·s·b), plus the logits
/// s·b·V of language models (llm-analysis).</item>
/// <item>Latency: per phase <c>max(FLOPs ÷ (peak · η_c), bytes ÷ (bandwidth · η_m)) + fixed overhead</c>; a decoder
/// generating g tokens runs its prefill (which yields the first token) and g − 1 decoding steps.</item>
/// </list>
/// </remarks>
public static class ModelEstimator
{
    /// <summary>Estimates inference memory per device, as a runtime allocates it when one is given: logits only for the positions it keeps, KV cache in its blocks, its attention kernel's transients.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request.</param>
    /// <param name="device">The device, for its runtime overhead; <see langword="null"/> for none.</param>
    /// <param name="runtime">The inference engine; <see langword="null"/> for none (the workload's attention kernel, last-position logits while generating, no KV blocks).</param>
    /// <returns>The itemised estimate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="workload"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The model cannot run the workload: an encoder asked to generate tokens, or more tokens than its learned position table holds.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The total exceeds 2⁶³ bytes.</exception>
    public static MemoryEstimate EstimateMemory(ModelSpec model, InferenceWorkload workload, DeviceProfile? device = null, RuntimeProfile? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        EnsureRunnable(model, workload);
        return MemoryCore(model, workload, device, runtime);
    }

    /// <summary>
    /// Throws when the model cannot physically run the workload: an encoder has no decoding step, and a learned
    /// position table has no rows past its size. (Trained context limits of rotary models are the selector's concern:
    /// the arithmetic still holds past them.)
    /// </summary>
    internal static void EnsureRunnable(ModelSpec model, InferenceWorkload workload)
    {
        var a = model.Architecture;
        if (a.Kind == ModelKind.Encoder && workload.GeneratedTokens > 0)
        {
            throw new ArgumentException($"Model '{model.Id}' is an encoder: it generates no tokens, so generated tokens must be 0; was {workload.GeneratedTokens}.", nameof(workload));
        }

        EnsurePositions(model, workload.TotalTokens, workload);
    }

    /// <summary>Throws when a learned position table is too short; the message names the workload's parts (built only then, so the check allocates nothing).</summary>
    private static void EnsurePositions(ModelSpec model, long tokens, InferenceWorkload? workload)
    {
        var a = model.Architecture;
        if (a.PositionEncoding == PositionEncoding.Learned && a.MaxPositions > 0 && tokens > a.MaxPositions)
        {
            var what = workload is null ? "the training sequence length" : $"input {workload.InputTokens} + generated {workload.GeneratedTokens}";
            throw new ArgumentException($"Model '{model.Id}' has learned position embeddings for {a.MaxPositions} tokens, so a sequence must be at most {a.MaxPositions} tokens; was {tokens} ({what}).", nameof(model));
        }
    }

    /// <summary>The memory arithmetic without the runnability check (the selector reports capability itself).</summary>
    internal static MemoryEstimate MemoryCore(ModelSpec model, InferenceWorkload workload, DeviceProfile? device, RuntimeProfile? runtime = null)
    {
        var m = model.Aggregates;
        var shape = Shape.Of(workload);
        var weights = CeilDiv(WeightBytes(m, workload), shape.Tensor * shape.Pipeline);
        var kv = KvCacheBytes(m, workload, KvTokens(workload.TotalTokens, runtime), shape, workload.Batch);
        if (runtime?.MemoryFor(device) is { } engine && runtime.MicroBatchTokens == 0)
        {
            // A whole-graph engine (ONNX Runtime): its resident activation buffers or its load transient, whichever is
            // larger, and its own resident bytes in place of the device's overhead.
            var transient = Math.Max(EngineActivationBytes(m, workload, runtime, shape, engine), (long)Math.Ceiling(engine.LoadTransientFraction * weights));
            return Checked(new MemoryEstimate(weights, kv, transient, engine.FixedBytes, 0, 0));
        }

        var activations = ActivationBytes(m, workload, runtime, shape);
        var overhead = device?.RuntimeOverheadBytes ?? 0;
        return Checked(new MemoryEstimate(weights, kv, activations, overhead, 0, 0));
    }

    /// <summary>The memory a runtime may use on a device: its usable memory, capped by the runtime's share of the total.</summary>
    internal static long UsableBytes(DeviceProfile device, RuntimeProfile? runtime) =>
        runtime is null || runtime.MaxMemoryFraction >= 1
            ? device.UsableMemoryBytes
            : Math.Min(device.UsableMemoryBytes, (long)Math.Floor(device.MemoryBytes * runtime.MaxMemoryFraction));

    /// <summary>Estimates the FLOPs of an inference request.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request.</param>
    /// <param name="options">What to count beyond the default convention.</param>
    /// <returns>The forward pass, one decoding step, and the total.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="workload"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The model cannot run the workload: an encoder asked to generate tokens, or more tokens than its learned position table holds.</exception>
    public static FlopEstimate EstimateFlops(ModelSpec model, InferenceWorkload workload, FlopOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        EnsureRunnable(model, workload);
        return FlopsCore(model, workload, options);
    }

    /// <summary>The FLOP arithmetic without the runnability check (the selector reports capability itself).</summary>
    internal static FlopEstimate FlopsCore(ModelSpec model, InferenceWorkload workload, FlopOptions options)
    {
        var (forward, step, steps) = Flops(model.Aggregates, workload, options);
        return new FlopEstimate(
            FlopCount.FromFlops(forward),
            step is { } s ? FlopCount.FromFlops(s) : null,
            FlopCount.FromFlops(forward + ((step ?? 0) * steps)),
            options);
    }

    /// <summary>Estimates time, throughput, energy and cost of an inference request on a device, and whether it fits: the plain roofline with the device's own efficiencies and fixed overhead (no runtime).</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request; <see cref="InferenceWorkload.Devices"/> identical devices in its <see cref="InferenceWorkload.Layout"/>.</param>
    /// <param name="device">One device.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The device has no compute path for the weight format even after fallback, several devices in tensor or pipeline parallel are asked of a device without interconnect, or the model cannot run the workload (an encoder asked to generate, more tokens than a learned position table holds).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory the workload needs exceeds 2⁶³ bytes.</exception>
    public static PerformanceEstimate EstimatePerformance(ModelSpec model, InferenceWorkload workload, DeviceProfile device) =>
        EstimateAll(model, workload, device, null, default, out _, out _);

    /// <summary>Estimates time, throughput, energy and cost with the plain roofline, counting FLOPs as <paramref name="options"/> asks.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request.</param>
    /// <param name="device">One device.</param>
    /// <param name="options">What to count beyond the default FLOP convention.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The device has no compute path for the weight format, a layout needs an interconnect the device lacks, or the model cannot run the workload.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory the workload needs exceeds 2⁶³ bytes.</exception>
    public static PerformanceEstimate EstimatePerformance(ModelSpec model, InferenceWorkload workload, DeviceProfile device, FlopOptions options) =>
        EstimateAll(model, workload, device, null, options, out _, out _);

    /// <summary>
    /// Estimates time, throughput, energy and cost of an inference request on a device under an inference engine, and
    /// whether it fits: the runtime's fitted efficiencies for the device class (GEMM-shape compute efficiency,
    /// streaming efficiency, per-layer and per-call overheads, dequantisation cost, all-reduce latency) and its
    /// memory policy (logits kept, KV blocks, memory share).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request; <see cref="InferenceWorkload.Devices"/> identical devices in its <see cref="InferenceWorkload.Layout"/>.</param>
    /// <param name="device">One device.</param>
    /// <param name="runtime">The inference engine.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The runtime does not run on the device, serve the model's kind, run the weight format or offer the layout; the device has no compute path for the format; a layout needs an interconnect the device lacks; or the model cannot run the workload.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory the workload needs exceeds 2⁶³ bytes.</exception>
    public static PerformanceEstimate EstimatePerformance(ModelSpec model, InferenceWorkload workload, DeviceProfile device, RuntimeProfile runtime) =>
        EstimatePerformance(model, workload, device, runtime, default);

    /// <summary>Estimates time, throughput, energy and cost under an inference engine, counting FLOPs as <paramref name="options"/> asks.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request.</param>
    /// <param name="device">One device.</param>
    /// <param name="runtime">The inference engine.</param>
    /// <param name="options">What to count beyond the default FLOP convention.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The runtime cannot run the request on the device, or the model cannot run the workload.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory the workload needs exceeds 2⁶³ bytes.</exception>
    public static PerformanceEstimate EstimatePerformance(ModelSpec model, InferenceWorkload workload, DeviceProfile device, RuntimeProfile runtime, FlopOptions options)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(device);
        if (RuntimeMismatch(runtime, model, workload, device) is { } problem)
        {
            throw new ArgumentException(problem.Message, nameof(runtime));
        }

        return EstimateAll(model, workload, device, runtime, options, out _, out _);
    }

    /// <summary>Why a runtime cannot run a request on a device (the format alone: <see cref="RejectionCode.UnsupportedFormat"/>; anything else: <see cref="RejectionCode.UnsupportedRuntime"/>), or <see langword="null"/> when it can.</summary>
    internal static (RejectionCode Code, string Message)? RuntimeMismatch(RuntimeProfile runtime, ModelSpec model, InferenceWorkload workload, DeviceProfile device)
    {
        if (!runtime.RunsOn(device))
        {
            var vendors = runtime.Vendors.IsDefaultOrEmpty ? string.Empty : $" ({string.Join("/", runtime.Vendors)} devices)";
            return (RejectionCode.UnsupportedRuntime, $"{runtime.Id} runs on {string.Join(", ", runtime.Classes.Select(DeviceClasses.ToName))}{vendors}, not on {device.Id} ({DeviceClasses.ToName(device.Class)}, {device.Vendor})");
        }

        if (!runtime.Serves(model.Architecture.Kind))
        {
            return (RejectionCode.UnsupportedRuntime, $"{runtime.Id} serves {string.Join(", ", runtime.Kinds.Select(Runtimes.RuntimeCatalog.KindName))} models, not {Runtimes.RuntimeCatalog.KindName(model.Architecture.Kind)} {model.Id}");
        }

        if (!runtime.Runs(workload.WeightPrecision))
        {
            return (RejectionCode.UnsupportedFormat, $"{runtime.Id} does not run {workload.WeightPrecision.Name} weights; it runs {string.Join(", ", runtime.Formats.Select(f => f.Name))}");
        }

        if (workload.Devices > 1 && workload.Layout != DeviceLayout.Replicas && !runtime.Layouts.Contains(workload.Layout))
        {
            return (RejectionCode.UnsupportedRuntime, $"{runtime.Id} offers no {DeviceLayouts.ToName(workload.Layout)} layout (it offers {string.Join(", ", runtime.Layouts.Select(DeviceLayouts.ToName).Append("replicas"))})");
        }

        return null;
    }

    /// <summary>Memory, FLOPs and performance in one pass (the selector's hot path: nothing is computed twice).</summary>
    internal static PerformanceEstimate EstimateAll(ModelSpec model, InferenceWorkload workload, DeviceProfile device, RuntimeProfile? runtime, FlopOptions options, out MemoryEstimate memory, out FlopEstimate flopEstimate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(device);
        EnsureRunnable(model, workload);
        var m = model.Aggregates;
        var format = workload.WeightPrecision;
        var efficiency = runtime?.EfficiencyOrNull(device);
        var computeFormat = runtime?.ComputeFormat(format, device.Class) ?? format;
        var resolution = device.PeakFlops.Resolve(computeFormat)
            ?? throw new ArgumentException($"Device '{device.Id}' has no compute path for {format.Name} (computed in {computeFormat.ComputePrecision.Name}) nor for any precision it falls back to.", nameof(device));
        var shape = Shape.Of(workload);
        if (shape.Tensor * shape.Pipeline > 1 && device.InterconnectBandwidthBytesPerSecond is null)
        {
            throw new ArgumentException($"Device '{device.Id}' has no interconnect bandwidth, so it cannot be estimated with {workload.Devices} devices in {(shape.Tensor > 1 ? "tensor" : "pipeline")} parallel.", nameof(device));
        }

        memory = MemoryCore(model, workload, device, runtime);
        var layerCount = m.Layers + m.DecoderLayers;
        var split = workload.GpuLayers is { } requested ? OffloadSplit(model, workload, device, runtime, requested, ref memory) : null;
        var (forward, step, steps) = Flops(m, workload, options);
        flopEstimate = new FlopEstimate(FlopCount.FromFlops(forward), step is { } perStep ? FlopCount.FromFlops(perStep) : null, FlopCount.FromFlops(forward + ((step ?? 0) * steps)), options);

        // The engine's efficiencies for this device class, or the device's own (the plain roofline) without a runtime.
        var quantized = efficiency is not null && RuntimeProfile.IsQuantized(format);
        var etaCompute = efficiency is null ? device.ComputeEfficiency : efficiency.ComputeEfficiency * (quantized ? efficiency.QuantizedComputeFactor : 1);
        var halfRows = efficiency?.HalfEfficiencyRows ?? 0;
        var bandwidth = device.MemoryBandwidthBytesPerSecond * (efficiency?.MemoryEfficiencyFor(quantized) ?? device.MemoryEfficiency);
        var layerOverhead = efficiency?.LayerOverheadSeconds ?? 0;
        var hostLayer = efficiency?.HostLayerSeconds ?? 0;
        var callOverhead = efficiency?.CallOverheadSeconds ?? device.FixedOverheadSeconds;
        var messageLatency = efficiency?.AllReduceLatencySeconds ?? 0;
        var peak = resolution.Peak.FlopsPerSecond * etaCompute;

        // Small GEMMs (decoding at small batches) leave matrix units idle: η_c · m ÷ (m + m½) of the peak; but an engine
        // never does worse than its GEMV kernels on the vector units, taken at half their fp32 peak, so that is the floor.
        var vectorPeak = efficiency is null ? 0 : (device.PeakFlops.Fp32 ?? 0) * VectorEfficiency;
        double RateAt(double rows) => Math.Max(peak * rows / (rows + halfRows), Math.Min(peak, vectorPeak));
        var link = device.InterconnectBandwidthBytesPerSecond ?? double.PositiveInfinity;
        var activationBytes = workload.EffectiveActivationPrecision.BitsPerWeight / 8;
        double b = workload.Batch, s = workload.InputTokens;
        double rowsBatch = shape.Pipeline > 1 ? shape.MicroBatch : b;
        var share = rowsBatch / b / (shape.Tensor * shape.Pipeline);
        var layers = (double)(m.Layers + m.DecoderLayers);
        var stageLayers = layers / shape.Pipeline;

        // Forward / prefill of one (micro-)batch on one device: its share of the FLOPs and of the weights, its KV writes.
        var prefillRows = rowsBatch * s;

        // A runtime that computes micro-batches (llama.cpp's n_ubatch) reads the weights once per micro-batch.
        var passes = runtime is { MicroBatchTokens: > 0 } micro ? Math.Ceiling(prefillRows / micro.MicroBatchTokens) : 1;
        var prefillKv = (double)KvCacheBytes(m, workload, workload.InputTokens, shape, (int)rowsBatch);

        // A pass looks rows up in the embedding tables; it does not stream them (a tied head still reads its table).
        var gathered = (double)m.GatheredBytes(format, workload.KeepEmbeddingsAt16Bit && format.BitsPerWeight < 16) / (shape.Tensor * shape.Pipeline);
        var streamed = memory.WeightsBytes - gathered;
        var forwardBytes = (streamed * passes) + prefillKv;
        var (stageTime, forwardBound) = split is { } pools
            ? pools.Time(forward * share, pools.DeviceWeights * passes, (pools.HostWeights - gathered) * passes, prefillKv, PrefillRowsPerPass(prefillRows, runtime!), RateAt(PrefillRowsPerPass(prefillRows, runtime!)), bandwidth, hostLayer, layerOverhead)
            : Roofline(forward * share, forwardBytes, RateAt(prefillRows), bandwidth, stageLayers * hostLayer);
        var totalAllReduce = AllReduceSeconds(stageLayers, shape.Tensor, prefillRows * m.Hidden * activationBytes, link, messageLatency);
        stageTime += (split is null ? stageLayers * layerOverhead : 0) + totalAllReduce;

        // A pipeline hands each stage's activations on: one message of rows · h values per boundary.
        double Hop(double rows) => messageLatency + (rows * m.Hidden * activationBytes / link);
        var forwardTime = shape.Pipeline > 1
            ? ((shape.MicroBatches + shape.Pipeline - 1) * stageTime) + ((shape.Pipeline - 1) * Hop(prefillRows)) + callOverhead
            : stageTime + callOverhead;

        double? stepTime = null;
        PerformanceBound? stepBound = null;
        if (step is { } stepFlops)
        {
            // A decoding step reads the weights (only the routed experts of a mixture) and the KV cache at the average context.
            // The experts no sequence of the batch routes to are not read: their bytes (exact where the format allows),
            // as the weights, per device.
            var experts = (double)m.ExpertBytes(format, workload.KeepEmbeddingsAt16Bit && format.BitsPerWeight < 16) / (shape.Tensor * shape.Pipeline);
            var skipped = experts * (1 - TouchedExpertShare(m, (int)rowsBatch));
            var touched = memory.WeightsBytes > 0 ? 1 - (skipped / memory.WeightsBytes) : 1;
            var stepWeights = Math.Max(0, memory.WeightsBytes - skipped - gathered);
            var stepKv = (double)KvCacheBytes(m, workload, AverageContext(m, workload), shape, (int)rowsBatch);
            var stepBytes = stepWeights + stepKv;
            var (time, bound) = split is { } stepPools
                ? stepPools.Time(stepFlops * share, stepPools.DeviceWeights * touched, (stepPools.HostWeights * touched) - gathered, stepKv, rowsBatch, RateAt(rowsBatch), bandwidth, hostLayer, layerOverhead)
                : Roofline(stepFlops * share, stepBytes, RateAt(rowsBatch), bandwidth, stageLayers * hostLayer);
            var stepAllReduce = AllReduceSeconds(stageLayers, shape.Tensor, rowsBatch * m.Hidden * activationBytes, link, messageLatency);
            time += (split is null ? stageLayers * layerOverhead : 0) + stepAllReduce;
            stepTime = shape.Pipeline > 1
                ? (shape.Pipeline * time) + ((shape.Pipeline - 1) * Hop(rowsBatch)) + callOverhead
                : time + callOverhead;
            stepBound = bound;
            totalAllReduce += stepAllReduce * steps;
        }

        var latency = forwardTime + ((stepTime ?? 0) * steps);
        var generated = (double)workload.GeneratedTokens;
        var throughput = shape.Replicas * (generated > 0 ? b * generated / latency : b / latency);
        var overall = stepBound is null || stepBound == forwardBound ? forwardBound : PerformanceBound.Mixed;
        var busy = shape.Tensor * shape.Pipeline;
        double? energy = device.PowerWatts is { } watts ? watts * latency * busy : null;
        double? cost = device.PricePerHourUsd is { } price ? (double)price / 3600 * latency * busy : null;
        double? perMillion = cost is { } c ? c / (b * (s + generated)) * 1e6 : null;
        var usable = UsableBytes(device, runtime);
        LayerOffloadEstimate? offload = split is { } parts
            ? new LayerOffloadEstimate(parts.GpuLayers, layerCount, parts.Device, parts.Host, usable, device.Host!.UsableMemoryBytes, parts.LastDeviceSeconds, parts.LastHostSeconds)
            : null;
        var free = offload is { } o ? Math.Min(o.DeviceUsableBytes - o.Device.TotalBytes, o.HostUsableBytes - o.Host.TotalBytes) : usable - memory.TotalBytes;
        var decoder = m.Kind != ModelKind.Encoder;
        return new PerformanceEstimate(
            free >= 0, free, resolution.Compute, resolution.FellBack, latency,
            decoder ? forwardTime : null, decoder ? stepTime ?? forwardTime : null,
            forwardBound, stepBound, overall, throughput, totalAllReduce, energy, cost, perMillion)
        {
            Runtime = runtime?.Id,
            Layout = workload.Devices > 1 ? workload.Layout : null,
            PipelineBubbleFraction = shape.Pipeline > 1 ? (shape.Pipeline - 1.0) / (shape.MicroBatches + shape.Pipeline - 1.0) : 0,
            Offload = offload,
        };
    }

    /// <summary>
    /// Splits the memory between the device and its host for <paramref name="gpuLayers"/> blocks on the device, as
    /// llama.cpp places them: the last blocks on the device (the output layer too when all of them are), the first ones
    /// and the token embedding in host memory, each block's KV cache beside it, and each pool's compute buffer sized for
    /// the layers it computes (the logits where the output layer is). The memory estimate becomes the pools' sum.
    /// </summary>
    private static OffloadPools OffloadSplit(ModelSpec model, InferenceWorkload workload, DeviceProfile device, RuntimeProfile? runtime, int gpuLayers, ref MemoryEstimate memory)
    {
        var m = model.Aggregates;
        var layers = m.Layers + m.DecoderLayers;
        if (gpuLayers > layers)
        {
            throw new ArgumentException($"GPU layers must be at most the {layers} blocks of model '{model.Id}'; was {gpuLayers}.", nameof(workload));
        }

        if (runtime is not { LayerOffload: true })
        {
            throw new ArgumentException($"GPU layers ({gpuLayers}) split a model between a device and its host memory, which only a runtime that offloads by layer does (llama.cpp); {(runtime is null ? "no runtime was given" : $"{runtime.Id} does not")}.", nameof(runtime));
        }

        var host = device.Host is not null && device.IsUnifiedMemory ? throw new ArgumentException($"Device '{device.Id}' has unified memory, one pool: it cannot also have a host pool for GPU layers.", nameof(device))
            : device.Host ?? throw new ArgumentException($"GPU layers ({gpuLayers}) need a second memory pool, but device '{device.Id}' has none{(device.IsUnifiedMemory ? " (its memory is unified)" : "; give it a Host pool (system RAM, its bandwidth and the CPU's peaks)")}.", nameof(device));
        if (workload.Devices > 1)
        {
            throw new ArgumentException($"GPU layers split one device and its host; the workload asks for {workload.Devices} devices.", nameof(workload));
        }

        var placement = m.PlacementOf(workload.WeightPrecision, workload.KeepEmbeddingsAt16Bit && workload.WeightPrecision.BitsPerWeight < 16);
        var all = gpuLayers == layers;
        var deviceWeights = placement.LastLayers(gpuLayers) + (all ? placement.OutputBytes : 0);
        var hostWeights = placement.Total - deviceWeights;
        var deviceKv = (long)((Int128)memory.KvCacheBytes * gpuLayers / layers);
        var hostKv = memory.KvCacheBytes - deviceKv;
        var bytes = (runtime.ActivationPrecision ?? workload.EffectiveActivationPrecision).BitsPerWeight / 8;
        var rows = runtime.MicroBatchTokens > 0 ? Math.Min(runtime.MicroBatchTokens, (double)workload.Batch * workload.TotalTokens) : (double)workload.Batch * workload.InputTokens;
        var logits = m.Kind == ModelKind.Encoder ? 0 : Narrow(rows * m.Vocabulary * bytes, "Logits");
        var layerPart = Math.Max(0, memory.ActivationsBytes - logits);
        var embeddingRows = Narrow(rows * m.Hidden * bytes, "Input embeddings");
        var deviceCompute = (gpuLayers > 0 ? layerPart : 0) + (all ? logits : 0);
        var hostCompute = all ? embeddingRows : layerPart + logits;
        var pools = new OffloadPools(gpuLayers, layers,
            new MemoryPoolFootprint(deviceWeights, deviceKv, deviceCompute, device.RuntimeOverheadBytes),
            new MemoryPoolFootprint(hostWeights, hostKv, hostCompute, 0),
            host, runtime.EfficiencyOrNull(DeviceClass.EdgeCpu) ?? RuntimeEfficiency.Prior(DeviceClass.EdgeCpu), runtime.ComputeFormat(workload.WeightPrecision, DeviceClass.EdgeCpu));
        memory = Checked(new MemoryEstimate(placement.Total, memory.KvCacheBytes, deviceCompute + hostCompute, device.RuntimeOverheadBytes, 0, 0));
        return pools;
    }

    /// <summary>The two pools of a layer-offloaded model and how long each takes for a pass.</summary>
    private sealed class OffloadPools(int gpuLayers, int layers, MemoryPoolFootprint device, MemoryPoolFootprint host, HostMemoryPool pool, RuntimeEfficiency hostEfficiency, NumericPrecision computeFormat)
    {
        public int GpuLayers => gpuLayers;

        public MemoryPoolFootprint Device => device;

        public MemoryPoolFootprint Host => host;

        public double DeviceWeights => device.WeightsBytes;

        public double HostWeights => host.WeightsBytes;

        public double LastDeviceSeconds { get; private set; }

        public double LastHostSeconds { get; private set; }

        /// <summary>
        /// One pass: the device computes its blocks' share of the FLOPs at its rate and reads its weights and KV at its
        /// bandwidth; the host does the same for the rest at the CPU's rate and the host memory's bandwidth; the two run
        /// one after the other (each token crosses the split once).
        /// </summary>
        public (double Seconds, PerformanceBound Bound) Time(double flops, double deviceBytes, double hostBytes, double kvBytes, double rows, double deviceRate, double deviceBandwidth, double hostLayer, double layerOverhead)
        {
            var onDevice = (double)gpuLayers / layers;
            var hostPeak = (pool.PeakFlops.Resolve(computeFormat)?.Peak.FlopsPerSecond ?? pool.PeakFlops.Fp32 ?? 0) * hostEfficiency.ComputeEfficiency;
            var hostRate = Math.Max(hostPeak * rows / (rows + hostEfficiency.HalfEfficiencyRows), Math.Min(hostPeak, (pool.PeakFlops.Fp32 ?? 0) * VectorEfficiency));
            var hostBandwidth = pool.BandwidthBytesPerSecond * hostEfficiency.MemoryEfficiency;
            var (deviceSeconds, deviceBound) = gpuLayers == 0 ? (0, PerformanceBound.Memory) : Roofline(flops * onDevice, deviceBytes + (kvBytes * onDevice), deviceRate, deviceBandwidth, gpuLayers * hostLayer);
            deviceSeconds += gpuLayers * layerOverhead;
            var hostLayers = layers - gpuLayers;
            var (hostSeconds, hostBound) = Roofline(flops * (1 - onDevice), hostBytes + (kvBytes * (1 - onDevice)), Math.Max(hostRate, 1), hostBandwidth);
            hostSeconds += hostLayers * hostEfficiency.LayerOverheadSeconds;
            LastDeviceSeconds = deviceSeconds;
            LastHostSeconds = hostSeconds;
            return (deviceSeconds + hostSeconds, hostSeconds >= deviceSeconds ? hostBound : deviceBound);
        }
    }

    /// <summary>The rows one prefill pass computes: a micro-batch where the runtime computes in micro-batches (llama.cpp's n_ubatch), else the whole prefill.</summary>
    private static double PrefillRowsPerPass(double prefillRows, RuntimeProfile runtime) =>
        Math.Min(prefillRows, runtime.MicroBatchTokens > 0 ? runtime.MicroBatchTokens : prefillRows);

    /// <summary>The share of the fp32 peak GEMV kernels reach on the vector units: the floor of the compute rate of small GEMMs.</summary>
    internal const double VectorEfficiency = 0.5;

    /// <summary>Estimates training memory per device for one step.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The step.</param>
    /// <param name="device">The device, for its runtime overhead; <see langword="null"/> for none.</param>
    /// <returns>Weights, gradients, optimizer states, activations (Korthikanti et al. 2022) and overhead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="workload"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">QLoRA was asked without a LoRA rank, or the sequence is longer than the model's learned position table.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A term exceeds 2⁶³ bytes.</exception>
    public static MemoryEstimate EstimateTrainingMemory(ModelSpec model, TrainingWorkload workload, DeviceProfile? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        EnsurePositions(model, workload.SequenceLength, null);
        if (workload.QLora && workload.LoraRank is null)
        {
            throw new ArgumentException("QLoRA needs a LoRA rank; set LoraRank.", nameof(workload));
        }

        var m = model.Aggregates;
        var (weightBytes, gradientBytes, optimizerBytes) = PolicyBytes(workload.Optimizer);
        var trainable = TrainableParameters(model, workload);
        Int128 weights, gradients, optimizer;
        if (workload.LoraRank is null)
        {
            weights = (Int128)m.TotalParameters * weightBytes;
            gradients = (Int128)m.TotalParameters * gradientBytes;
            optimizer = (Int128)m.TotalParameters * optimizerBytes;
        }
        else
        {
            var frozen = workload.QLora
                ? NumericPrecision.Nf4DoubleQuant.GetWeightBytes(ParameterCount.FromCount(m.QuantizableParameters)) + NumericPrecision.Fp16.GetWeightBytes(ParameterCount.FromCount(m.SixteenBitParameters))
                : NumericPrecision.Bf16.GetWeightBytes(ParameterCount.FromCount(m.TotalParameters));
            weights = (Int128)frozen + ((Int128)trainable * weightBytes);
            gradients = (Int128)trainable * gradientBytes;
            optimizer = (Int128)trainable * optimizerBytes;
        }

        var tp = workload.TensorParallel;
        var dp = workload.DataParallel;
        weights = CeilDiv(weights, tp * (workload.ZeroStage >= 3 ? dp : 1));
        gradients = CeilDiv(gradients, tp * (workload.ZeroStage >= 2 ? dp : 1));
        optimizer = CeilDiv(optimizer, tp * (workload.ZeroStage >= 1 ? dp : 1));
        var activations = TrainingActivationBytes(m, workload);
        return Checked(new MemoryEstimate(Narrow(weights, "Weights"), 0, Narrow(activations, "Activations"), device?.RuntimeOverheadBytes ?? 0, Narrow(gradients, "Gradients"), Narrow(optimizer, "Optimizer states")));
    }

    /// <summary>
    /// Estimates the FLOPs of one training step: forward + backward (2 × forward; 1 × forward with LoRA/QLoRA, whose
    /// frozen weights need activation gradients but no weight gradients) + one more forward with full recomputation.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The step.</param>
    /// <returns>The step's FLOPs, all devices together.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="workload"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The sequence is longer than the model's learned position table.</exception>
    public static FlopCount EstimateTrainingStepFlops(ModelSpec model, TrainingWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        EnsurePositions(model, workload.SequenceLength, null);
        var forward = Flops(model.Aggregates, new InferenceWorkload { Batch = workload.Batch, InputTokens = workload.SequenceLength }, default).Forward;
        return FlopCount.FromFlops(forward * TrainingPasses(workload) * workload.DataParallel);
    }

    /// <summary>
    /// Estimates the time of one training step: the forward and backward FLOPs on each device at the runtime's training
    /// efficiency (the model FLOPs utilisation fitted to published runs), four tensor-parallel all-reduces per layer,
    /// and the data-parallel gradient all-reduce (ring, over the device interconnect within a node and the node fabric
    /// beyond), of which the backward pass hides what it can.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The step: <see cref="TrainingWorkload.Batch"/> sequences per data-parallel replica.</param>
    /// <param name="device">One device.</param>
    /// <param name="runtime">The training framework, for its training efficiency on the device class; <see langword="null"/> for the device's own compute efficiency.</param>
    /// <returns>The step's time and its parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="workload"/> or <paramref name="device"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The device has no compute path for the training precision, tensor parallelism is asked of a device without interconnect, the runtime does not run on the device, or the sequence is longer than the model's learned position table.</exception>
    public static TrainingStepEstimate EstimateTrainingStep(ModelSpec model, TrainingWorkload workload, DeviceProfile device, RuntimeProfile? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(device);
        EnsurePositions(model, workload.SequenceLength, null);
        var efficiency = runtime is null ? null : runtime.RunsOn(device) ? runtime.EfficiencyOrNull(device)
            : throw new ArgumentException($"Runtime '{runtime.Id}' does not run on {device.Id} ({DeviceClasses.ToName(device.Class)}).", nameof(runtime));
        var precision = workload.EffectiveComputePrecision;
        var resolution = device.PeakFlops.Resolve(precision)
            ?? throw new ArgumentException($"Device '{device.Id}' has no compute path for training in {precision.Name}.", nameof(device));
        var tp = workload.TensorParallel;
        var dp = workload.DataParallel;
        var link = device.InterconnectBandwidthBytesPerSecond;
        if (tp > 1 && link is null)
        {
            throw new ArgumentException($"Device '{device.Id}' has no interconnect bandwidth, so it cannot train with tensor parallelism {tp}.", nameof(device));
        }

        var m = model.Aggregates;
        var forward = Flops(m, new InferenceWorkload { Batch = workload.Batch, InputTokens = workload.SequenceLength }, default).Forward;
        var passes = TrainingPasses(workload);
        var eta = efficiency?.TrainingEfficiency ?? device.ComputeEfficiency;
        var peak = resolution.Peak.FlopsPerSecond;
        var compute = forward * passes / tp / (peak * eta);

        // Tensor parallel: two all-reduces forward and two backward per layer of b·s·h 16-bit activations.
        var layers = (double)(m.Layers + m.DecoderLayers);
        var alpha = efficiency?.AllReduceLatencySeconds ?? 0;
        var activationBytes = 2.0 * workload.Batch * workload.SequenceLength * m.Hidden;
        var tensor = tp > 1 ? 4.0 * layers * (alpha + (2.0 * (tp - 1) / tp * activationBytes / link!.Value)) : 0;

        // Data parallel: a ring all-reduce of the gradients of the trainable weights (ZeRO-3 adds the parameter
        // all-gathers, half as much again), over the interconnect inside a node and the node fabric beyond it; the
        // backward pass (two thirds of the compute without recomputation) hides as much of it as it lasts.
        var (_, gradientBytes, _) = PolicyBytes(workload.Optimizer);
        var gradients = (double)TrainableParameters(model, workload) * gradientBytes / tp;
        var devices = (long)dp * tp;
        var bandwidth = devices <= workload.DevicesPerNode && link is { } l ? l : Math.Min(link ?? double.PositiveInfinity, workload.NodeBandwidthBytesPerSecond);
        var allReduce = dp > 1 ? 2.0 * (dp - 1) / dp * gradients / bandwidth * (workload.ZeroStage >= 3 ? 1.5 : 1.0) : 0;
        var backward = compute * (passes - 1) / passes;
        var exposed = Math.Max(0, allReduce - backward) + tensor;
        var step = compute + exposed;
        var tokens = (double)workload.Batch * workload.SequenceLength / tp;
        var modelFlops = forward * (workload.LoraRank is null ? 3.0 : 2.0) / tp;
        return new TrainingStepEstimate(step, compute, tensor, allReduce, exposed, tokens / step, modelFlops / step / peak, resolution.Compute);
    }

    /// <summary>
    /// Training FLOPs as multiples of the forward pass: 3 for full training (forward, activation gradients, weight
    /// gradients), 2 with LoRA/QLoRA (no weight gradients for the frozen base; the adapters' share is negligible),
    /// plus 1 with full activation recomputation.
    /// </summary>
    internal static double TrainingPasses(TrainingWorkload workload) =>
        (workload.LoraRank is null ? 3.0 : 2.0) + (workload.Recomputation == ActivationRecomputation.Full ? 1.0 : 0.0);

    /// <summary>Gets the parameters a training workload updates: all of them, or the LoRA adapters' r·(in + out) per adapted matrix.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The step.</param>
    /// <returns>The trainable parameters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="workload"/> is <see langword="null"/>.</exception>
    public static long TrainableParameters(ModelSpec model, TrainingWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.LoraRank is not { } rank)
        {
            return model.Parameters.Count;
        }

        long total = 0;
        foreach (var g in model.Inventory.Groups)
        {
            var adapted = g.Kind == TensorKind.LinearWeight && g.Part is TensorPart.Blocks or TensorPart.DecoderBlocks && g.Instances > 0
                && (workload.LoraAllLinearLayers || g.Role is TensorRole.AttentionQuery or TensorRole.AttentionValue or TensorRole.AttentionQueryKeyValue);
            if (adapted)
            {
                total += (long)rank * (g.Rows + g.Columns) * g.Instances;
            }
        }

        return total;
    }

    private static (double Forward, double? Step, long Steps) Flops(ModelAggregates m, InferenceWorkload w, FlopOptions options)
    {
        double b = w.Batch, s = w.InputTokens, g = w.GeneratedTokens;
        var attentionWidth = (double)m.Heads * m.HeadDimension;
        var halve = options.CausalHalving ? 0.5 : 1.0;
        double forward;
        double? step = null;
        var steps = Math.Max(0L, w.GeneratedTokens - 1L);
        switch (m.Kind)
        {
            case ModelKind.Encoder:
                forward = b * ((s * m.BlockFlopsPerToken) + m.PoolerFlopsPerSequence + (4.0 * m.Layers * s * s * attentionWidth)
                    + (options.CountElementwise ? Elementwise(m, m.Layers, s, s) : 0));
                break;
            case ModelKind.Decoder:
                var keys = Window(m, s);
                forward = b * ((s * (m.BlockFlopsPerToken + m.HeadFlopsPerToken)) + (halve * 4 * m.Layers * s * keys * attentionWidth)
                    + (options.CountElementwise ? Elementwise(m, m.Layers, s, keys) : 0));
                if (g > 0)
                {
                    var context = Window(m, AverageContext(m, w));
                    step = b * (m.BlockFlopsPerToken + m.HeadFlopsPerToken + (4.0 * m.Layers * context * attentionWidth)
                        + (options.CountElementwise ? Elementwise(m, m.Layers, 1, context) : 0));
                }

                break;
            default:
                // Encoder over the input, cross-attention keys and values once, then the decoder's first step.
                forward = b * ((s * (m.BlockFlopsPerToken + m.CrossKeyValueFlopsPerInputToken)) + (4.0 * m.Layers * s * s * attentionWidth)
                    + m.DecoderFlopsPerToken + m.HeadFlopsPerToken + (4.0 * m.DecoderLayers * (1 + s) * attentionWidth)
                    + (options.CountElementwise ? Elementwise(m, m.Layers, s, s) + Elementwise(m, m.DecoderLayers, 1, 1 + s) : 0));
                if (g > 0)
                {
                    var context = AverageContext(m, w) + s;
                    step = b * (m.DecoderFlopsPerToken + m.HeadFlopsPerToken + (4.0 * m.DecoderLayers * context * attentionWidth)
                        + (options.CountElementwise ? Elementwise(m, m.DecoderLayers, 1, context) : 0));
                }

                break;
        }

        return (forward, step, m.Kind == ModelKind.Encoder ? 0 : steps);
    }

    /// <summary>Approximate elementwise operations: per token and layer 5h per normalisation, 8 per FFN element (activation), 2h residual adds; 3 per attention score (softmax).</summary>
    private static double Elementwise(ModelAggregates m, int layers, double queries, double keys) =>
        layers * queries * ((5.0 * m.Hidden * m.NormsPerLayer) + (8.0 * m.FeedForward) + (2.0 * m.Hidden) + (3.0 * m.Heads * keys));

    /// <summary>The average number of keys a decoding step attends to: the prompt plus half the generated tokens.</summary>
    private static long AverageContext(ModelAggregates m, InferenceWorkload w) =>
        m.Kind == ModelKind.EncoderDecoder ? 1 + ((w.GeneratedTokens - 1L) / 2) : w.InputTokens + ((w.GeneratedTokens - 1L) / 2);

    private static double Window(ModelAggregates m, double tokens) => m.Window is { } window ? Math.Min(tokens, window) : tokens;

    private static long WeightBytes(ModelAggregates m, InferenceWorkload w) =>
        m.WeightBytes(w.WeightPrecision, w.KeepEmbeddingsAt16Bit && w.WeightPrecision.BitsPerWeight < 16);

    /// <summary>KV cache tokens as a runtime allocates them: rounded up to its block size.</summary>
    private static long KvTokens(long tokens, RuntimeProfile? runtime) =>
        runtime is null || runtime.KvBlockTokens <= 1 ? tokens : (tokens + runtime.KvBlockTokens - 1) / runtime.KvBlockTokens * runtime.KvBlockTokens;

    /// <summary>KV cache bytes per device after <paramref name="tokens"/> tokens for each of <paramref name="batch"/> sequences: heads split by tensor parallelism, layers by pipeline stages.</summary>
    private static long KvCacheBytes(ModelAggregates m, InferenceWorkload w, long tokens, Shape shape, int batch)
    {
        if (m.Kind == ModelKind.Encoder)
        {
            return 0;
        }

        var precision = w.EffectiveKvCachePrecision;
        double elements;
        if (m.MemoryLength > 0)
        {
            // Transformer-XL: mem_len hidden states per layer instead of keys and values.
            elements = Math.Ceiling((double)m.Layers / shape.Pipeline) * Math.Min(m.MemoryLength, tokens) * m.Hidden * batch;
        }
        else
        {
            var heads = Math.Max(1, (m.KeyValueHeads + shape.Tensor - 1) / shape.Tensor);
            var self = m.Kind == ModelKind.EncoderDecoder ? Math.Max(0, tokens - w.InputTokens) : tokens;
            var cached = m.Window is { } window ? Math.Min(self, window) : self;
            var cross = m.Kind == ModelKind.EncoderDecoder ? w.InputTokens : 0;
            elements = 2.0 * Math.Ceiling((double)m.GeneratingLayers / shape.Pipeline) * heads * m.HeadDimension * (cached + cross) * batch;
        }

        // The element count is exact in a double below 2^53 (9e15 elements, 18 PB of fp16 KV); the bytes are computed in
        // 128 bits and refused only when they, not the bit count, pass what a long holds.
        var numerator = precision.BitsPerWeightNumerator();
        var denominator = 8L * precision.BitsPerWeightDenominator();
        if (elements * numerator < 9e18)
        {
            // The common case: the bit count fits a long, so the exact ceiling needs no 128-bit division.
            return (((long)elements * numerator) + denominator - 1) / denominator;
        }

        var bytes = elements < 9.2e18 ? (((Int128)(long)elements * numerator) + denominator - 1) / denominator : Int128.MaxValue;
        return bytes <= long.MaxValue
            ? (long)bytes
            : throw new ArgumentOutOfRangeException(nameof(w), $"The KV cache would take {elements * numerator / denominator:E3} bytes, more than the 2^63 − 1 (9.2E+018) an estimate holds; was the workload meant to be this large?");
    }

    private static long ActivationBytes(ModelAggregates m, InferenceWorkload w, RuntimeProfile? runtime, Shape shape)
    {
        var t = shape.Tensor;
        if (runtime is { MicroBatchTokens: > 0 } micro)
        {
            // llama.cpp reserves its compute buffer for the worst micro-batch: min(n_ubatch, context) tokens, each with
            // its logits, in the runtime's activation precision (f32); the allocator reuses one layer's transients.
            var rows = Math.Min(micro.MicroBatchTokens, (double)w.Batch * w.TotalTokens);
            var perRow = Math.Max(Math.Max(3.0 * m.Hidden, (2.0 * m.Hidden) + (4.0 * Math.Max(1.0, (double)m.Heads / t))), (double)m.FeedForward / t);
            var logitColumns = m.Kind == ModelKind.Encoder ? 0 : m.Vocabulary / t;
            return Narrow(rows * (perRow + logitColumns) * (micro.ActivationPrecision ?? w.EffectiveActivationPrecision).BitsPerWeight / 8, "Activations");
        }

        double b = shape.Pipeline > 1 ? shape.MicroBatch : w.Batch, s = w.InputTokens;
        var heads = Math.Max(1.0, (double)m.Heads / t);
        var keys = m.Kind == ModelKind.Decoder ? Window(m, s) : s;
        var attention = (runtime?.Attention ?? w.Attention) == AttentionImplementation.Eager
            ? 2 * heads * s * keys * b
            : (2 * s * b * m.Hidden) + (4 * heads * s * b);
        var layer = Math.Max(Math.Max(3 * s * b * m.Hidden, attention), m.FeedForward * s * b / t);
        // Logits: every prompt position when scoring a prompt (no tokens generated) or when the runtime keeps them all
        // (exported ONNX decoders); only the last position's while generating in engines that slice them (vLLM, llama.cpp,
        // transformers' logits_to_keep).
        var allPositions = w.GeneratedTokens == 0 || (runtime?.LogitsForAllPositions ?? false);
        var logitRows = m.Kind switch { ModelKind.Decoder => allPositions ? s : 1, ModelKind.EncoderDecoder => 1, _ => 0 };
        var bytes = (layer + (logitRows * b * m.Vocabulary / t)) * w.EffectiveActivationPrecision.BitsPerWeight / 8;
        return Narrow(bytes, "Activations");
    }

    /// <summary>The peak resident activations of a whole-graph engine: its measured buffer counts times the tensor sizes (<see cref="RuntimeMemoryModel"/>), plus the logits it keeps.</summary>
    private static long EngineActivationBytes(ModelAggregates m, InferenceWorkload w, RuntimeProfile runtime, Shape shape, RuntimeMemoryModel engine)
    {
        var t = shape.Tensor;
        double b = shape.Pipeline > 1 ? shape.MicroBatch : w.Batch, s = w.InputTokens;
        var heads = Math.Max(1.0, (double)m.Heads / t);
        var keys = m.Kind == ModelKind.Decoder ? Window(m, s) : s;
        var layer = Math.Max(Math.Max(engine.HiddenBuffers * s * b * m.Hidden, engine.AttentionScoreBuffers * heads * s * keys * b), engine.FeedForwardBuffers * m.FeedForward * s * b / t);
        var allPositions = w.GeneratedTokens == 0 || runtime.LogitsForAllPositions;
        var logitRows = m.Kind switch { ModelKind.Decoder => allPositions ? s : 1, ModelKind.EncoderDecoder => 1, _ => 0 };
        return Narrow((layer + (logitRows * b * m.Vocabulary / t)) * w.EffectiveActivationPrecision.BitsPerWeight / 8, "Activations");
    }

    private static double TrainingActivationBytes(ModelAggregates m, TrainingWorkload w)
    {
        double s = w.SequenceLength, b = w.Batch, h = m.Hidden, a = m.Heads, t = w.TensorParallel;
        var perLayer = w.Recomputation switch
        {
            ActivationRecomputation.Full => 2 * s * b * h,
            ActivationRecomputation.Selective => 34 * s * b * h / t,
            _ => t == 1 ? s * b * h * (34 + (5 * a * s / h)) : s * b * h * (10 + (24 / t) + (5 * a * s / (h * t))),
        };
        var layers = m.Layers + m.DecoderLayers;
        var logits = m.Kind == ModelKind.Encoder ? 0 : 2 * s * b * m.Vocabulary * 4 / t;
        return (perLayer * layers) + logits;
    }

    /// <summary>The expected share of a mixture's experts a batch of <paramref name="batch"/> sequences touches in one decoding step: 1 − (1 − k/E)^b (1 for a dense model).</summary>
    private static double TouchedExpertShare(ModelAggregates m, int batch) =>
        m.Experts <= 1 ? 1 : 1 - Math.Pow(1 - ((double)m.ExpertsPerToken / m.Experts), batch);

    /// <summary>Two all-reduces per layer (attention and MLP, Megatron-LM), ring algorithm: each a message latency plus 2·(t−1)/t of the data over one direction of each link.</summary>
    private static double AllReduceSeconds(double layers, int devices, double bytesPerAllReduce, double link, double messageLatency) =>
        devices <= 1 ? 0 : 2.0 * layers * (messageLatency + (2.0 * (devices - 1) / devices * bytesPerAllReduce / link));

    /// <summary>How a workload's devices split the model: tensor-parallel ways, pipeline stages (with their micro-batches), replicas.</summary>
    private readonly record struct Shape(int Tensor, int Pipeline, int Replicas, int MicroBatches, int MicroBatch)
    {
        public static Shape Of(InferenceWorkload w)
        {
            var n = w.Devices;
            return w.Layout switch
            {
                _ when n == 1 => new Shape(1, 1, 1, 1, w.Batch),
                DeviceLayout.PipelineParallel => new Shape(1, n, 1, Math.Min(w.Batch, n), (w.Batch + Math.Min(w.Batch, n) - 1) / Math.Min(w.Batch, n)),
                DeviceLayout.Replicas => new Shape(1, 1, n, 1, w.Batch),
                _ => new Shape(n, 1, 1, 1, w.Batch),
            };
        }
    }

    /// <summary>The longest of the compute time, the memory time and the host's launch time, and which it was.</summary>
    private static (double Seconds, PerformanceBound Bound) Roofline(double flops, double bytes, double peak, double bandwidth, double host = 0)
    {
        var compute = flops / peak;
        var memory = bytes / bandwidth;
        var (time, bound) = compute >= memory ? (compute, PerformanceBound.Compute) : (memory, PerformanceBound.Memory);
        return host > time ? (host, PerformanceBound.Host) : (time, bound);
    }

    private static (int Weights, int Gradients, int Optimizer) PolicyBytes(OptimizerPolicy policy) => policy switch
    {
        OptimizerPolicy.MixedPrecisionAdamWFp32Gradients => (2, 4, 12),
        OptimizerPolicy.Fp32AdamW => (4, 4, 8),
        OptimizerPolicy.Adam8Bit => (2, 2, 6),
        OptimizerPolicy.SgdMomentum => (2, 2, 8),
        _ => (2, 2, 12),
    };

    private static Int128 CeilDiv(Int128 value, long divisor) => (value + divisor - 1) / divisor;

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;

    private static long Narrow(Int128 value, string what) =>
        value <= long.MaxValue ? (long)value : throw new ArgumentOutOfRangeException(nameof(value), $"{what} would take {value} bytes, more than the 2^63 − 1 an estimate holds; was the workload meant to be this large?");

    private static long Narrow(double value, string what) =>
        value < 9.2e18 ? (long)Math.Ceiling(value) : throw new ArgumentOutOfRangeException(nameof(value), $"{what} would take {value:E3} bytes, more than the 2^63 − 1 an estimate holds; was the workload meant to be this large?");

    private static MemoryEstimate Checked(MemoryEstimate estimate)
    {
        _ = Narrow((Int128)estimate.WeightsBytes + estimate.KvCacheBytes + estimate.ActivationsBytes + estimate.OverheadBytes + estimate.GradientsBytes + estimate.OptimizerStatesBytes, "The total");
        return estimate;
    }
}
