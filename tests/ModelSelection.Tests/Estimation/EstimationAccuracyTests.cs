using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Import;

namespace ModelSelection.Tests.Estimation;

/// <summary>Estimates against independent numbers: published tool outputs and measurements, or derivations written here.</summary>
public class EstimationAccuracyTests
{
    private static readonly ModelCatalog Models = ModelCatalog.BuiltIn;
    private static readonly DeviceCatalog Devices = DeviceCatalog.BuiltIn;

    private static double RelativeError(double actual, double expected) => Math.Abs(actual - expected) / expected;

    [Fact]
    public void BertBase_Forward_At1x128_MatchesCalflops()
    {
        // formulas.md: 2·s·W + 4·L·s²·h, W = L·(4h² + 2·h·ff), plus the pooler's 2h² on the [CLS] token:
        // 2·128·84,934,656 + 4·12·128²·768 + 2·768² = 22,348,431,360. calflops reports 22.36 GFLOP.
        const double derived = (2.0 * 128 * 12 * ((4.0 * 768 * 768) + (2.0 * 768 * 3072))) + (4.0 * 12 * 128 * 128 * 768) + (2.0 * 768 * 768);
        var forward = ModelEstimator.EstimateFlops(Models.Get("bert-base-uncased"), new InferenceWorkload { InputTokens = 128 }).Forward.Flops;
        Assert.Equal(derived, forward, derived * 1e-12);
        Assert.True(RelativeError(forward, 22.36e9) < 0.001, $"{forward:E4} vs calflops 22.36e9");
    }

    [Fact]
    public void Llama2_7B_Forward_At1x128_MatchesCalflops()
    {
        // formulas.md: 2·(P − V·h)·s + 4·L·s²·(a·d) with the RMSNorm scales (65·4096) not being matrix products:
        // 2·(6,738,415,616 − 131,072,000 − 266,240)·128 + 4·32·128²·4096. calflops reports 1,700.06 GFLOP.
        const double derived = (2.0 * (6_738_415_616 - 131_072_000 - (65 * 4096)) * 128) + (4.0 * 32 * 128 * 128 * 4096);
        var forward = ModelEstimator.EstimateFlops(Models.Get("meta-llama/Llama-2-7b-hf"), new InferenceWorkload { InputTokens = 128 }).Forward.Flops;
        Assert.Equal(derived, forward, derived * 1e-12);
        Assert.True(RelativeError(forward, 1_700.06e9) < 0.001, $"{forward:E4} vs calflops 1700.06e9");
    }

    [Theory]
    [InlineData("meta-llama/Llama-2-7b-hf", 524_288L)]   // 2 · 32 layers · 32 KV heads · 128 · 2 bytes
    [InlineData("mistralai/Mistral-7B-v0.1", 131_072L)]  // 2 · 32 · 8 · 128 · 2
    [InlineData("meta-llama/Meta-Llama-3-8B", 131_072L)] // 2 · 32 · 8 · 128 · 2
    [InlineData("google/gemma-2b", 18_432L)]             // 2 · 18 · 1 · 256 · 2
    public void KvCache_PerToken_Fp16_IsExact(string id, long bytesPerToken) =>
        Assert.Equal(bytesPerToken, ModelEstimator.EstimateMemory(Models.Get(id), new InferenceWorkload { InputTokens = 1 }).KvCacheBytes);

    [Fact]
    public void KvCache_SlidingWindowCapsTokens_AndEncodersHaveNone()
    {
        var mistral = Models.Get("mistralai/Mistral-7B-v0.1"); // 4096-token window
        Assert.Equal(131_072L * 4096, ModelEstimator.EstimateMemory(mistral, new InferenceWorkload { InputTokens = 8000, GeneratedTokens = 192 }).KvCacheBytes);
        Assert.Equal(0, ModelEstimator.EstimateMemory(Models.Get("bert-base-uncased"), new InferenceWorkload { InputTokens = 512 }).KvCacheBytes);
        // T5-small, 100 generated after 200 input tokens: self-attention 100 + cross-attention 200 tokens, 2·6·8·64·2 B each.
        Assert.Equal(2L * 6 * 8 * 64 * 2 * 300, ModelEstimator.EstimateMemory(Models.Get("t5-small"), new InferenceWorkload { InputTokens = 200, GeneratedTokens = 100 }).KvCacheBytes);
        // fp8 KV halves it.
        Assert.Equal(131_072L / 2 * 10, ModelEstimator.EstimateMemory(mistral, new InferenceWorkload { InputTokens = 10, KvCachePrecision = NumericPrecision.Fp8E4M3 }).KvCacheBytes);
    }

    [Fact]
    public void Weights_Fp16_AreTwoBytesPerParameter_AndQuantisedFormatsKeepEmbeddingsAt16Bit()
    {
        foreach (var model in Models.Models)
        {
            Assert.Equal(2 * model.Parameters.Count, ModelEstimator.EstimateMemory(model, new InferenceWorkload()).WeightsBytes);
        }

        // Llama-2-7B in GPTQ int4 g128: 6,476,271,616 block parameters at 4.15625 bits + 262,144,000 embedding and
        // head parameters at 16 bits = 3,364,586,386 + 524,288,000 bytes.
        var llama = Models.Get("meta-llama/Llama-2-7b-hf");
        const long blocks = 6_738_415_616 - (2 * 131_072_000);
        var expected = (long)Math.Ceiling(blocks * 4.15625 / 8) + (2 * 262_144_000L);
        Assert.Equal(expected, ModelEstimator.EstimateMemory(llama, new InferenceWorkload { WeightPrecision = NumericPrecision.GptqInt4Group128 }).WeightsBytes);
        Assert.Equal((long)Math.Ceiling(6_738_415_616 * 4.15625 / 8), ModelEstimator.EstimateMemory(llama, new InferenceWorkload { WeightPrecision = NumericPrecision.GptqInt4Group128, KeepEmbeddingsAt16Bit = false }).WeightsBytes);
    }

    [Fact]
    public void BertBaseCased_Fp32Weights_MatchAccelerate()
    {
        // formulas.md: accelerate estimates 413.18 MB and measured 413.68 MB loaded on CUDA; 108,310,272 × 4 B = 413.17 MiB.
        var cased = HuggingFaceConfig.Parse("""{"model_type":"bert","vocab_size":28996,"hidden_size":768,"num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072}""", "bert-base-cased", null);
        Assert.Equal(108_310_272L, cased.Parameters.Count);
        var mib = ModelEstimator.EstimateMemory(cased, new InferenceWorkload { WeightPrecision = NumericPrecision.Fp32 }).WeightsBytes / 1048576.0;
        Assert.Equal(413.17, mib, 0.005);
    }

    [Fact]
    public void Llama2_7B_OnA100_80GB_AtPeak_MatchesLlmViewerAndLlmAnalysis()
    {
        // formulas.md: LLM-Viewer and llm-analysis agree on batch 1, prompt 512, efficiencies 1: prefill 22–23 ms,
        // decode 6.6–6.8 ms per token. Fixed overhead off: those tools add none.
        var a100 = Devices.Get("nvidia-a100-80gb-sxm") with { ComputeEfficiency = 1, MemoryEfficiency = 1, FixedOverheadSeconds = 0 };
        var p = ModelEstimator.EstimatePerformance(Models.Get("meta-llama/Llama-2-7b-hf"), new InferenceWorkload { InputTokens = 512, GeneratedTokens = 2 }, a100);
        Assert.InRange(p.TimeToFirstTokenSeconds!.Value, 0.022 * 0.85, 0.023 * 1.15);
        Assert.InRange(p.TimePerOutputTokenSeconds!.Value, 0.0066 * 0.85, 0.0068 * 1.15);
        Assert.Equal(PerformanceBound.Compute, p.ForwardBound);
        Assert.Equal(PerformanceBound.Memory, p.DecodeBound);
        Assert.Equal(PerformanceBound.Mixed, p.Bound);
    }

    [Fact]
    public void Gpt13B_OnA100_40GB_WithDefaultEfficiencies_IsWithin25PercentOfFasterTransformer()
    {
        // cli99/llm-analysis tests/test_inference.py: test-13b (h 5120, 40 layers, 40 heads, V 50272, plain 4h FFN)
        // on A100-SXM-40GB, batch 1, prompt 512: 17.07 ms per decoded token, measured with FasterTransformer
        // (Narayanan et al. 2021, arXiv 2104.04473, Table 2).
        var gpt13 = HuggingFaceConfig.Parse("""{"model_type":"gpt2","vocab_size":50272,"n_embd":5120,"n_layer":40,"n_head":40,"n_positions":2048}""", "test-13b", null);
        var p = ModelEstimator.EstimatePerformance(gpt13, new InferenceWorkload { InputTokens = 512, GeneratedTokens = 10 }, Devices.Get("nvidia-a100-40gb-sxm"));
        Assert.InRange(p.TimePerOutputTokenSeconds!.Value, 0.01707 * 0.75, 0.01707 * 1.25);
    }

    [Fact]
    public void Training_MixedPrecisionAdam_Is16BytesPerParameter_AndZeroPartitions()
    {
        var llama = Models.Get("meta-llama/Llama-2-7b-hf");
        const long p = 6_738_415_616;
        var full = ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload());
        Assert.Equal(16 * p, full.WeightsBytes + full.GradientsBytes + full.OptimizerStatesBytes);
        var fp32Grads = ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { Optimizer = OptimizerPolicy.MixedPrecisionAdamWFp32Gradients });
        Assert.Equal(18 * p, fp32Grads.WeightsBytes + fp32Grads.GradientsBytes + fp32Grads.OptimizerStatesBytes);
        var adam8 = ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { Optimizer = OptimizerPolicy.Adam8Bit });
        Assert.Equal(10 * p, adam8.WeightsBytes + adam8.GradientsBytes + adam8.OptimizerStatesBytes);
        var zero3 = ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { ZeroStage = 3, DataParallel = 8 });
        Assert.Equal(2 * p / 8, zero3.WeightsBytes);
        Assert.Equal(12 * p / 8, zero3.OptimizerStatesBytes);
        var zero1 = ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { ZeroStage = 1, DataParallel = 8 });
        Assert.Equal(2 * p, zero1.WeightsBytes);
        Assert.Equal(12 * p / 8, zero1.OptimizerStatesBytes);
    }

    [Fact]
    public void Training_ActivationsFollowKorthikanti()
    {
        // Korthikanti et al. 2022: s·b·h·(34 + 5·a·s/h) bytes per layer without recomputation, 34·s·b·h selective,
        // 2·s·b·h full; plus 2·s·b·V·4 bytes of loss logits. Llama-2-7B, b 1, s 2048.
        var llama = Models.Get("meta-llama/Llama-2-7b-hf");
        double s = 2048, h = 4096, a = 32, v = 32000, l = 32;
        var logits = 2 * s * v * 4;
        Assert.Equal((long)Math.Ceiling((l * s * h * (34 + (5 * a * s / h))) + logits), ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { SequenceLength = 2048 }).ActivationsBytes);
        Assert.Equal((long)Math.Ceiling((l * 34 * s * h) + logits), ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { SequenceLength = 2048, Recomputation = ActivationRecomputation.Selective }).ActivationsBytes);
        Assert.Equal((long)Math.Ceiling((l * 2 * s * h) + logits), ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { SequenceLength = 2048, Recomputation = ActivationRecomputation.Full }).ActivationsBytes);
    }

    [Fact]
    public void Training_LoraAndQLora_TrainOnlyTheAdapters()
    {
        // LoRA r 16 on q and v of 32 layers: 32 · 2 · 16 · (4096 + 4096) = 8,388,608 trainable parameters.
        var llama = Models.Get("meta-llama/Llama-2-7b-hf");
        var lora = new TrainingWorkload { LoraRank = 16 };
        Assert.Equal(8_388_608L, ModelEstimator.TrainableParameters(llama, lora));
        var memory = ModelEstimator.EstimateTrainingMemory(llama, lora);
        Assert.Equal(2 * 8_388_608L, memory.GradientsBytes);
        Assert.Equal(12 * 8_388_608L, memory.OptimizerStatesBytes);
        Assert.Equal((2 * 6_738_415_616L) + (2 * 8_388_608L), memory.WeightsBytes);
        var qlora = ModelEstimator.EstimateTrainingMemory(llama, lora with { QLora = true });
        Assert.True(qlora.WeightsBytes < memory.WeightsBytes / 3);
        Assert.Throws<ArgumentException>(() => ModelEstimator.EstimateTrainingMemory(llama, new TrainingWorkload { QLora = true }));
        Assert.Equal(3 * ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 512 }).Forward.Flops, ModelEstimator.EstimateTrainingStepFlops(llama, new TrainingWorkload()).Flops, 1e3);
        Assert.Equal(4 * ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 512 }).Forward.Flops, ModelEstimator.EstimateTrainingStepFlops(llama, new TrainingWorkload { Recomputation = ActivationRecomputation.Full }).Flops, 1e3);
        // LoRA: the frozen base needs activation gradients but no weight gradients, so backward ≈ 1 × forward.
        Assert.Equal(2 * ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 512 }).Forward.Flops, ModelEstimator.EstimateTrainingStepFlops(llama, new TrainingWorkload { LoraRank = 16 }).Flops, 1e3);
    }

    [Fact]
    public void Performance_FallbackEnergyCostAndTensorParallelism()
    {
        var bert = Models.Get("bert-base-uncased");
        var pi = Devices.Get("raspberry-pi-4-4gb");
        var onPi = ModelEstimator.EstimatePerformance(bert, new InferenceWorkload { WeightPrecision = NumericPrecision.Int8 }, pi);
        Assert.Equal(NumericPrecision.Fp32, onPi.ComputePrecision);
        Assert.True(onPi.PrecisionFellBack);
        Assert.Equal(6.4 * onPi.LatencySeconds, onPi.EnergyJoules!.Value, 1e-12);
        Assert.Null(onPi.CostUsd);
        Assert.Null(onPi.TimeToFirstTokenSeconds);
        Assert.Equal(1 / onPi.LatencySeconds, onPi.ThroughputPerSecond, 1e-9);

        var coral = Devices.Get("google-coral-edge-tpu");
        Assert.StartsWith("Device 'google-coral-edge-tpu' has no compute path for fp16", Assert.Throws<ArgumentException>(() => ModelEstimator.EstimatePerformance(bert, new InferenceWorkload(), coral)).Message);

        var l4 = Devices.Get("nvidia-l4");
        var onL4 = ModelEstimator.EstimatePerformance(bert, new InferenceWorkload(), l4);
        Assert.Equal(0.8048 / 3600 * onL4.LatencySeconds, onL4.CostUsd!.Value, 1e-15);
        Assert.Equal(onL4.CostUsd.Value / 128 * 1e6, onL4.CostPerMillionTokensUsd!.Value, 1e-12);

        var llama70 = Models.Get("meta-llama/Llama-2-70b-hf");
        var h100 = Devices.Get("nvidia-h100-sxm-80gb");
        var one = ModelEstimator.EstimateMemory(llama70, new InferenceWorkload(), h100);
        var two = ModelEstimator.EstimateMemory(llama70, new InferenceWorkload { Devices = 2 }, h100);
        Assert.Equal((one.WeightsBytes + 1) / 2, two.WeightsBytes);
        Assert.False(ModelEstimator.EstimatePerformance(llama70, new InferenceWorkload(), h100).Fits);
        var tp = ModelEstimator.EstimatePerformance(llama70, new InferenceWorkload { Devices = 2, GeneratedTokens = 16 }, h100);
        Assert.True(tp.Fits);
        Assert.True(tp.AllReduceSeconds > 0);
        Assert.StartsWith("Device 'apple-m2' has no interconnect bandwidth", Assert.Throws<ArgumentException>(() => ModelEstimator.EstimatePerformance(bert, new InferenceWorkload { Devices = 2 }, Devices.Get("apple-m2"))).Message);
    }

    [Fact]
    public void Flops_OptionsTravelWithTheNumber()
    {
        var llama = Models.Get("meta-llama/Llama-2-7b-hf");
        var plain = ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 1024 });
        var halved = ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 1024 }, new FlopOptions(CausalHalving: true));
        var elementwise = ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 1024 }, new FlopOptions(CountElementwise: true));
        // Causal halving removes half of 4·L·s²·(a·d).
        Assert.Equal(0.5 * 4.0 * 32 * 1024 * 1024 * 4096, plain.Forward.Flops - halved.Forward.Flops, 1e3);
        Assert.True(elementwise.Forward > plain.Forward);
        Assert.True(halved.Convention.CausalHalving);
        Assert.Null(plain.PerGeneratedToken);
        var generating = ModelEstimator.EstimateFlops(llama, new InferenceWorkload { InputTokens = 128, GeneratedTokens = 101 });
        // Prefill yields the first token; 100 decoding steps at an average context of 128 + 50 tokens.
        var step = (2.0 * (6_738_415_616 - 131_072_000 - (65 * 4096))) + (4.0 * 32 * 178 * 4096);
        Assert.Equal(step, generating.PerGeneratedToken!.Value.Flops, 1);
        Assert.Equal(generating.Forward.Flops + (100 * step), generating.Total.Flops, 1e3);
    }
}
