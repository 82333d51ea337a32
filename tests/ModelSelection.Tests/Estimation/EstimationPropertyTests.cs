using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Estimation;

/// <summary>The estimators' laws over generated, realistic architectures and workloads.</summary>
public class EstimationPropertyTests
{
    private static readonly DeviceProfile H100 = DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb");

    private static ModelSpec Import(ConfigShape shape) => HuggingFaceConfig.Parse(shape.ToJson(), "generated", null);

    /// <summary>The workload as the model can run it: an encoder generates nothing (the estimators refuse that, by contract).</summary>
    private static InferenceWorkload Fit(ModelSpec model, InferenceWorkload w) => model.Architecture.Kind == ModelKind.Encoder ? w with { GeneratedTokens = 0 } : w;

    private static MemoryEstimate Memory(ModelSpec m, InferenceWorkload w) => ModelEstimator.EstimateMemory(m, w, H100);

    private static double Forward(ModelSpec m, InferenceWorkload w) => ModelEstimator.EstimateFlops(m, w).Forward.Flops;

    private static double Latency(ModelSpec m, InferenceWorkload w) => ModelEstimator.EstimatePerformance(m, w, H100).LatencySeconds;

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Weights_are_params_times_bits_over_eight(ConfigShape shape, InferenceWorkload workload)
    {
        var model = Import(shape);
        workload = Fit(model, workload);
        var plain = workload with { KeepEmbeddingsAt16Bit = false };
        var bytes = ModelEstimator.EstimateMemory(model, plain).WeightsBytes;
        if (workload.WeightPrecision.IsGgufQuantized)
        {
            // llama.cpp's recipe stores each tensor in one of its block types, between 1.5 bits (IQ1_S) and 16 (F16
            // fallbacks), norms and biases at 32.
            Assert.InRange(bytes, model.Parameters.Count * 1.5 / 8, model.Parameters.Count * 32.0 / 8);
            return;
        }

        Assert.Equal(workload.WeightPrecision.GetWeightBytes(model.Parameters), bytes);
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Memory_flops_and_latency_never_decrease_with_batch_sequence_or_generated_tokens(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w);
        foreach (var more in new[] { w with { Batch = w.Batch + 1 }, w with { InputTokens = w.InputTokens + 1 }, Fit(model, w with { GeneratedTokens = w.GeneratedTokens + 1 }) })
        {
            // Scoring a prompt (no generated tokens) keeps the logits of every position; generating keeps only the last
            // position's, so memory may drop from 0 to 1 generated tokens (see Scoring_keeps_every_logit_generating_the_last).
            if (more.GeneratedTokens == w.GeneratedTokens || w.GeneratedTokens > 0)
            {
                Assert.True(Memory(model, more).TotalBytes >= Memory(model, w).TotalBytes);
            }

            Assert.True(ModelEstimator.EstimateFlops(model, more).Total >= ModelEstimator.EstimateFlops(model, w).Total);
            Assert.True(Latency(model, more) >= Latency(model, w) - 1e-15);
        }
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 100)]
    public void Scoring_keeps_every_logit_generating_the_last(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w with { GeneratedTokens = 0, Attention = AttentionImplementation.Flash, Devices = 1 });
        if (model.Architecture.Kind != ModelKind.Decoder || w.InputTokens < 2)
        {
            return;
        }

        // Independent statement: the logits of s positions take s·b·V activation elements; generating keeps b·V.
        var generating = Fit(model, w with { GeneratedTokens = 1 });
        var bytes = w.EffectiveActivationPrecision.BitsPerWeight / 8;
        var scoringLogits = (double)w.InputTokens * w.Batch * model.Architecture.VocabularySize * bytes;
        Assert.True(Memory(model, w).ActivationsBytes >= scoringLogits);
        Assert.True(Memory(model, generating).ActivationsBytes < Memory(model, w).ActivationsBytes);
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Memory_flops_and_latency_never_decrease_with_parameters(ConfigShape shape, InferenceWorkload w)
    {
        var small = Import(shape);
        var large = Import(shape with { Layers = shape.Layers + 1 });
        w = Fit(small, w);
        Assert.True(Memory(large, w).TotalBytes >= Memory(small, w).TotalBytes);
        Assert.True(Forward(large, w) >= Forward(small, w));
        Assert.True(Latency(large, w) >= Latency(small, w) - 1e-15);
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Memory_and_latency_never_decrease_with_precision_width(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w);
        var narrow = w with { WeightPrecision = NumericPrecision.Fp16 };
        var wide = w with { WeightPrecision = NumericPrecision.Fp32, ActivationPrecision = NumericPrecision.Fp32 };
        Assert.True(Memory(model, wide).TotalBytes >= Memory(model, narrow).TotalBytes);
        var int4 = w with { WeightPrecision = NumericPrecision.Int4 };
        Assert.True(Memory(model, narrow).WeightsBytes >= Memory(model, int4).WeightsBytes);
        Assert.True(Latency(model, wide) >= Latency(model, narrow));
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Forward_flops_are_linear_in_batch(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w);
        TestHelper.AssertRelativelyClose(2 * Forward(model, w), Forward(model, w with { Batch = w.Batch * 2 }), 1e-12);
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Kv_cache_is_linear_in_tokens_up_to_the_window(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w);
        if (model.Architecture.Kind != ModelKind.Decoder)
        {
            return;
        }

        var once = w with { InputTokens = 100, GeneratedTokens = 0, KvCachePrecision = NumericPrecision.Fp16 };
        var twice = once with { InputTokens = 200 };
        var window = model.Architecture.SlidingWindow;
        if (window is null || window >= 200)
        {
            Assert.Equal(2 * Memory(model, once).KvCacheBytes, Memory(model, twice).KvCacheBytes);
        }

        // Beyond the window nothing more is cached.
        var capped = new InferenceWorkload { InputTokens = 2 * (window ?? 100), KvCachePrecision = NumericPrecision.Fp16 };
        var cappedMore = capped with { InputTokens = capped.InputTokens + 1 };
        Assert.Equal(window is null, Memory(model, cappedMore).KvCacheBytes > Memory(model, capped).KvCacheBytes);
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void More_devices_never_increase_memory_per_device(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w);
        Assert.True(Memory(model, w with { Devices = 2 }).TotalBytes <= Memory(model, w).TotalBytes);
        Assert.True(Memory(model, w with { Devices = 8 }).TotalBytes <= Memory(model, w with { Devices = 2 }).TotalBytes);
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries)], MaxTest = 300)]
    public void Terms_sum_to_the_total_and_nothing_is_negative_or_nan(ConfigShape shape, InferenceWorkload w)
    {
        var model = Import(shape);
        w = Fit(model, w);
        var m = Memory(model, w);
        Assert.Equal(m.WeightsBytes + m.KvCacheBytes + m.ActivationsBytes + m.OverheadBytes + m.GradientsBytes + m.OptimizerStatesBytes, m.TotalBytes);
        Assert.All(new[] { m.WeightsBytes, m.KvCacheBytes, m.ActivationsBytes, m.OverheadBytes }, v => Assert.True(v >= 0));
        var p = ModelEstimator.EstimatePerformance(model, w, H100);
        Assert.All(new[] { p.LatencySeconds, p.ThroughputPerSecond, p.EnergyJoules!.Value, p.CostUsd!.Value }, v => Assert.True(double.IsFinite(v) && v >= 0));
        var t = ModelEstimator.EstimateTrainingMemory(model, new TrainingWorkload { Batch = w.Batch, SequenceLength = w.InputTokens });
        Assert.Equal(t.WeightsBytes + t.ActivationsBytes + t.GradientsBytes + t.OptimizerStatesBytes + t.OverheadBytes, t.TotalBytes);
    }

    [Property(MaxTest = 200)]
    public void No_nan_negative_or_overflow_up_to_1e13_parameters_and_1e7_tokens(byte layerSeed, byte headSeed, bool longPrompt)
    {
        // Llama-shaped giants: up to 160 heads × 128 = 20,480 wide, up to 255 + 64 layers (≈ 1.6e12 … 2e12 parameters),
        // and tiny-to-huge prompts.
        var heads = 8 * (1 + (headSeed % 20));
        var shape = new ConfigShape("llama", 64 + layerSeed, heads, 8, 128, 4 * heads * 128, 256_000, false, 0, 0);
        var model = Import(shape);
        Assert.True(model.Parameters.Count <= 10_000_000_000_000);
        var w = new InferenceWorkload { InputTokens = longPrompt ? InferenceWorkload.MaxTokens / 2 : 1, GeneratedTokens = longPrompt ? InferenceWorkload.MaxTokens / 2 : 1 };
        var m = ModelEstimator.EstimateMemory(model, w, H100);
        Assert.True(m.TotalBytes > 0);
        var f = ModelEstimator.EstimateFlops(model, w);
        Assert.True(double.IsFinite(f.Total.Flops) && f.Total.Flops > 0);
        var p = ModelEstimator.EstimatePerformance(model, w, H100);
        Assert.True(double.IsFinite(p.LatencySeconds) && p.LatencySeconds > 0);
    }
}
