using ModelSelection.Devices;
using ModelSelection.Internal;
using ModelSelection.Models;

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
    /// <summary>Estimates inference memory per device.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request.</param>
    /// <param name="device">The device, for its runtime overhead; <see langword="null"/> for none.</param>
    /// <returns>The itemised estimate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="workload"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The model cannot run the workload: an encoder asked to generate tokens, or more tokens than its learned position table holds.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The total exceeds 2⁶³ bytes.</exception>
    public static MemoryEstimate EstimateMemory(ModelSpec model, InferenceWorkload workload, DeviceProfile? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        EnsureRunnable(model, workload);
        return MemoryCore(model, workload, device);
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

        EnsurePositions(model, workload.TotalTokens, $"input {workload.InputTokens} + generated {workload.GeneratedTokens}");
    }

    private static void EnsurePositions(ModelSpec model, long tokens, string what)
    {
        var a = model.Architecture;
        if (a.PositionEncoding == PositionEncoding.Learned && a.MaxPositions > 0 && tokens > a.MaxPositions)
        {
            throw new ArgumentException($"Model '{model.Id}' has learned position embeddings for {a.MaxPositions} tokens, so a sequence must be at most {a.MaxPositions} tokens; was {tokens} ({what}).", nameof(model));
        }
    }

    /// <summary>The memory arithmetic without the runnability check (the selector reports capability itself).</summary>
    internal static MemoryEstimate MemoryCore(ModelSpec model, InferenceWorkload workload, DeviceProfile? device)
    {
        var m = model.Aggregates;
        var weights = CeilDiv(WeightBytes(m, workload), workload.Devices);
        var kv = KvCacheBytes(m, workload, workload.TotalTokens);
        var activations = ActivationBytes(m, workload);
        var overhead = device?.RuntimeOverheadBytes ?? 0;
        return Checked(new MemoryEstimate(weights, kv, activations, overhead, 0, 0));
    }

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

    /// <summary>Estimates time, throughput, energy and cost of an inference request on a device, and whether it fits.</summary>
    /// <param name="model">The model.</param>
    /// <param name="workload">The request; <see cref="InferenceWorkload.Devices"/> identical devices with tensor parallelism.</param>
    /// <param name="device">One device.</param>
    /// <param name="options">What to count beyond the default FLOP convention.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The device has no compute path for the weight format even after fallback, several devices are asked of a device without interconnect, or the model cannot run the workload (an encoder asked to generate, more tokens than a learned position table holds).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The memory the workload needs exceeds 2⁶³ bytes.</exception>
    public static PerformanceEstimate EstimatePerformance(ModelSpec model, InferenceWorkload workload, DeviceProfile device, FlopOptions options = default) =>
        EstimateAll(model, workload, device, options, out _, out _);

    /// <summary>Memory, FLOPs and performance in one pass (the selector's hot path: nothing is computed twice).</summary>
    internal static PerformanceEstimate EstimateAll(ModelSpec model, InferenceWorkload workload, DeviceProfile device, FlopOptions options, out MemoryEstimate memory, out FlopEstimate flopEstimate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(device);
        EnsureRunnable(model, workload);
        var m = model.Aggregates;
        var resolution = device.PeakFlops.Resolve(workload.WeightPrecision)
            ?? throw new ArgumentException($"Device '{device.Id}' has no compute path for {workload.WeightPrecision.Name} (computed in {workload.WeightPrecision.ComputePrecision.Name}) nor for any precision it falls back to.", nameof(device));
        var t = workload.Devices;
        if (t > 1 && device.InterconnectBandwidthBytesPerSecond is null)
        {
            throw new ArgumentException($"Device '{device.Id}' has no interconnect bandwidth, so it cannot be estimated with {t} devices in tensor parallel.", nameof(device));
        }

        memory = MemoryCore(model, workload, device);
        var (forward, step, steps) = Flops(m, workload, options);
        flopEstimate = new FlopEstimate(FlopCount.FromFlops(forward), step is { } perStep ? FlopCount.FromFlops(perStep) : null, FlopCount.FromFlops(forward + ((step ?? 0) * steps)), options);
        var peak = resolution.Peak.FlopsPerSecond * device.ComputeEfficiency;
        var bandwidth = device.MemoryBandwidthBytesPerSecond * device.MemoryEfficiency;
        var activationBytes = workload.EffectiveActivationPrecision.BitsPerWeight / 8;
        double b = workload.Batch, s = workload.InputTokens;

        // Forward / prefill: read every weight once, write the prompt's KV cache.
        var forwardBytes = memory.WeightsBytes + (double)KvCacheBytes(m, workload, workload.InputTokens);
        var (forwardTime, forwardBound) = Roofline(forward / t, forwardBytes, peak, bandwidth);
        var allReduce = AllReduceSeconds(m, t, b * s * m.Hidden * activationBytes, device);
        forwardTime += device.FixedOverheadSeconds + allReduce;

        double? stepTime = null;
        PerformanceBound? stepBound = null;
        var totalAllReduce = allReduce;
        if (step is { } stepFlops)
        {
            // A decoding step reads the weights (only the routed experts of a mixture) and the KV cache at the average context.
            var stepBytes = DecodeWeightBytes(m, memory.WeightsBytes, workload.Batch) + (double)KvCacheBytes(m, workload, AverageContext(m, workload));
            var (time, bound) = Roofline(stepFlops / t, stepBytes, peak, bandwidth);
            var stepAllReduce = AllReduceSeconds(m, t, b * m.Hidden * activationBytes, device);
            stepTime = time + device.FixedOverheadSeconds + stepAllReduce;
            stepBound = bound;
            totalAllReduce += stepAllReduce * steps;
        }

        var latency = forwardTime + ((stepTime ?? 0) * steps);
        var generated = (double)workload.GeneratedTokens;
        var throughput = generated > 0 ? b * generated / latency : b / latency;
        var overall = stepBound is null || stepBound == forwardBound ? forwardBound : PerformanceBound.Mixed;
        double? energy = device.PowerWatts is { } watts ? watts * latency * t : null;
        double? cost = device.PricePerHourUsd is { } price ? (double)price / 3600 * latency * t : null;
        double? perMillion = cost is { } c ? c / (b * (s + generated)) * 1e6 : null;
        var free = device.UsableMemoryBytes - memory.TotalBytes;
        var decoder = m.Kind != ModelKind.Encoder;
        return new PerformanceEstimate(
            free >= 0, free, resolution.Compute, resolution.FellBack, latency,
            decoder ? forwardTime : null, decoder ? stepTime ?? forwardTime : null,
            forwardBound, stepBound, overall, throughput, totalAllReduce, energy, cost, perMillion);
    }

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
        EnsurePositions(model, workload.SequenceLength, "the training sequence length");
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
        EnsurePositions(model, workload.SequenceLength, "the training sequence length");
        var forward = Flops(model.Aggregates, new InferenceWorkload { Batch = workload.Batch, InputTokens = workload.SequenceLength }, default).Forward;
        return FlopCount.FromFlops(forward * TrainingPasses(workload) * workload.DataParallel);
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

    /// <summary>KV cache bytes per device after <paramref name="tokens"/> tokens per sequence.</summary>
    private static long KvCacheBytes(ModelAggregates m, InferenceWorkload w, long tokens)
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
            elements = (double)m.Layers * Math.Min(m.MemoryLength, tokens) * m.Hidden * w.Batch;
        }
        else
        {
            var heads = Math.Max(1, (m.KeyValueHeads + w.Devices - 1) / w.Devices);
            var self = m.Kind == ModelKind.EncoderDecoder ? Math.Max(0, tokens - w.InputTokens) : tokens;
            var cached = m.Window is { } window ? Math.Min(self, window) : self;
            var cross = m.Kind == ModelKind.EncoderDecoder ? w.InputTokens : 0;
            elements = 2.0 * m.GeneratingLayers * heads * m.HeadDimension * (cached + cross) * w.Batch;
        }

        // The element count is exact in a double below 2^53 (9e15 elements, 18 PB of fp16 KV); the bytes are computed in
        // 128 bits and refused only when they, not the bit count, pass what a long holds.
        var numerator = precision.BitsPerWeightNumerator();
        var denominator = 8L * precision.BitsPerWeightDenominator();
        var bytes = elements < 9.2e18 ? (((Int128)(long)elements * numerator) + denominator - 1) / denominator : Int128.MaxValue;
        return bytes <= long.MaxValue
            ? (long)bytes
            : throw new ArgumentOutOfRangeException(nameof(w), $"The KV cache would take {elements * numerator / denominator:E3} bytes, more than the 2^63 − 1 (9.2E+018) an estimate holds; was the workload meant to be this large?");
    }

    private static long ActivationBytes(ModelAggregates m, InferenceWorkload w)
    {
        var t = w.Devices;
        double b = w.Batch, s = w.InputTokens;
        var heads = Math.Max(1.0, (double)m.Heads / t);
        var keys = m.Kind == ModelKind.Decoder ? Window(m, s) : s;
        var attention = w.Attention == AttentionImplementation.Eager
            ? 2 * heads * s * keys * b
            : (2 * s * b * m.Hidden) + (4 * heads * s * b);
        var layer = Math.Max(Math.Max(3 * s * b * m.Hidden, attention), m.FeedForward * s * b / t);
        var logitRows = m.Kind switch { ModelKind.Decoder => s, ModelKind.EncoderDecoder => 1, _ => 0 };
        var bytes = (layer + (logitRows * b * m.Vocabulary / t)) * w.EffectiveActivationPrecision.BitsPerWeight / 8;
        return Narrow(bytes, "Activations");
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

    private static double DecodeWeightBytes(ModelAggregates m, long weightBytes, int batch)
    {
        if (m.Experts <= 1 || m.TotalParameters == 0)
        {
            return weightBytes;
        }

        // Expected share of experts a batch touches: 1 − (1 − k/E)^b.
        var touched = 1 - Math.Pow(1 - ((double)m.ExpertsPerToken / m.Experts), batch);
        var expertShare = (double)m.ExpertParameters / m.TotalParameters;
        return weightBytes * (1 - (expertShare * (1 - touched)));
    }

    private static double AllReduceSeconds(ModelAggregates m, int devices, double bytesPerAllReduce, DeviceProfile device)
    {
        if (devices <= 1 || device.InterconnectBandwidthBytesPerSecond is not { } link)
        {
            return 0;
        }

        // Two all-reduces per block (attention and MLP), ring algorithm: 2·(t−1)/t of the data crosses each link.
        var layers = m.Layers + m.DecoderLayers;
        return 2.0 * layers * (2.0 * (devices - 1) / devices) * bytesPerAllReduce / link;
    }

    private static (double Seconds, PerformanceBound Bound) Roofline(double flops, double bytes, double peak, double bandwidth)
    {
        var compute = flops / peak;
        var memory = bytes / bandwidth;
        return compute >= memory ? (compute, PerformanceBound.Compute) : (memory, PerformanceBound.Memory);
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
