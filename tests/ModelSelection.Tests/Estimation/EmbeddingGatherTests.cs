using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Import;

namespace ModelSelection.Tests.Estimation;

/// <summary>
/// A pass looks rows up in the embedding tables; it streams every other weight. On a device with practically unlimited
/// compute and 1 GB/s of memory, a pass takes its streamed bytes in nanoseconds, which the expected values below derive
/// from the models' published shapes (Hugging Face configs), not from the estimator.
/// </summary>
public class EmbeddingGatherTests
{
    private const double Bandwidth = 1e9;

    private static readonly ModelCatalog Models = ModelCatalog.BuiltIn;

    /// <summary>A device bound only by memory: 10¹⁸ FLOP/s at every precision, 1 GB/s, efficiencies 1, no fixed overhead.</summary>
    private static DeviceProfile MemoryBound() => DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm") with
    {
        PeakFlops = new PrecisionPeaks { Fp32 = 1e18, Fp16 = 1e18, Bf16 = 1e18 },
        MemoryBandwidthBytesPerSecond = Bandwidth,
        ComputeEfficiency = 1,
        MemoryEfficiency = 1,
        FixedOverheadSeconds = 0,
    };

    [Fact]
    public void An_encoder_pass_streams_every_weight_but_its_embedding_tables()
    {
        // bert-base-uncased: 109,482,240 parameters, of which the word (30522 × 768), position (512 × 768) and token-type
        // (2 × 768) tables 23,835,648; fp32, 4 bytes each. Encoders keep no KV cache.
        const long streamed = (109_482_240L - (30_522L * 768) - (512L * 768) - (2L * 768)) * 4;
        var p = ModelEstimator.EstimatePerformance(Models.Get("bert-base-uncased"), new InferenceWorkload { WeightPrecision = NumericPrecision.Fp32, InputTokens = 1 }, MemoryBound());
        TestHelper.AssertRelativelyClose(streamed / Bandwidth, p.LatencySeconds, 1e-6);
        Assert.Equal(PerformanceBound.Memory, p.Bound);
    }

    [Theory]
    // Llama-2-7b-hf, untied: embed_tokens (32000 × 4096) is looked up, lm_head (its own 32000 × 4096) multiplies.
    [InlineData("meta-llama/Llama-2-7b-hf", 6_738_415_616L, 32_000L * 4096, 32, 4096)]
    // gpt2, tied: the head multiplies by all of wte (50257 × 768), so only the position table wpe (1024 × 768) is looked up.
    [InlineData("gpt2", 124_439_808L, 1024L * 768, 12, 768)]
    public void A_decoder_step_streams_every_weight_but_the_tables_it_only_looks_up(string id, long parameters, long lookedUp, int layers, int hidden)
    {
        // fp16; one decoding step at an average context of one token: K and V of every layer, hidden × 2 bytes each.
        var streamed = (parameters - lookedUp) * 2;
        var kv = 2L * layers * hidden * 2;
        var p = ModelEstimator.EstimatePerformance(Models.Get(id), new InferenceWorkload { WeightPrecision = NumericPrecision.Fp16, InputTokens = 1, GeneratedTokens = 2 }, MemoryBound());
        TestHelper.AssertRelativelyClose((streamed + kv) / Bandwidth, p.TimePerOutputTokenSeconds!.Value, 1e-6);
    }

    [Theory]
    [InlineData("int4", true, 32_000L * 4096 * 2)] // the table kept at 16 bits: 2 bytes an element
    [InlineData("int8", false, 32_000L * 4096)] // the table at 8 bits with the rest
    [InlineData("q8_0", true, 32_000L * 4096 / 32 * 34)] // llama.cpp's recipe keeps an untied token_embd in Q8_0: 34 bytes a block of 32
    public void Quantised_formats_leave_out_the_table_in_its_own_format(string format, bool embeddingsAt16Bit, long table)
    {
        // Llama-2-7b-hf, one decoding step at one token of context (fp16 KV cache): every weight byte but the table's.
        var model = Models.Get("meta-llama/Llama-2-7b-hf");
        var workload = new InferenceWorkload { WeightPrecision = NumericPrecision.Parse(format), KeepEmbeddingsAt16Bit = embeddingsAt16Bit, InputTokens = 1, GeneratedTokens = 2 };
        var weights = ModelEstimator.EstimateMemory(model, workload, MemoryBound()).WeightsBytes;
        const long kv = 2L * 32 * 4096 * 2;
        var p = ModelEstimator.EstimatePerformance(model, workload, MemoryBound());
        TestHelper.AssertRelativelyClose((weights - table + kv) / Bandwidth, p.TimePerOutputTokenSeconds!.Value, 1e-6);
    }

    [Fact]
    public void A_mixture_step_streams_its_dense_part_and_the_experts_its_batch_touches()
    {
        // A tiny mixtral (hidden 8, 13 experts of which 2 per token, untied 29,036-token vocabulary) at int4 with 16-bit
        // tables: the counterexample FsCheck found when the skipped experts were charged by parameter share, which at
        // these shapes exceeded the int4 experts' bytes, so adding a layer made a step faster. Per layer: attention
        // q, k, v, o of 8 × 8 and two norms of 8 (int4 and fp16), router 13 × 8, experts 13 × 3 × (8 × 32) at int4.
        const int layers = 4;
        var config = $$"""{"model_type":"mixtral","vocab_size":29036,"hidden_size":8,"num_hidden_layers":{{layers}},"num_attention_heads":1,"num_key_value_heads":1,"intermediate_size":32,"num_local_experts":13,"num_experts_per_tok":2,"tie_word_embeddings":false}""";
        var model = HuggingFaceConfig.Parse(config, "tiny-mixtral", null);
        var workload = new InferenceWorkload { WeightPrecision = NumericPrecision.Int4, InputTokens = 1, GeneratedTokens = 2 };
        var weights = ModelEstimator.EstimateMemory(model, workload, MemoryBound()).WeightsBytes;
        const long experts = layers * 13L * 3 * 8 * 32 / 2; // int4: half a byte a weight
        const double touched = 2.0 / 13; // one sequence routes to 2 of 13 experts
        const long table = 29_036L * 8 * 2; // embed_tokens at 16 bits, looked up
        const long kv = 2L * layers * 8 * 2;
        var p = ModelEstimator.EstimatePerformance(model, workload, MemoryBound());
        TestHelper.AssertRelativelyClose((weights - table - (experts * (1 - touched)) + kv) / Bandwidth, p.TimePerOutputTokenSeconds!.Value, 1e-6);

        // And the property FsCheck checks: one more layer never makes the step faster.
        var deeper = HuggingFaceConfig.Parse(config.Replace($"\"num_hidden_layers\":{layers}", $"\"num_hidden_layers\":{layers + 1}", StringComparison.Ordinal), "tiny-mixtral-5", null);
        Assert.True(ModelEstimator.EstimatePerformance(deeper, workload, MemoryBound()).TimePerOutputTokenSeconds > p.TimePerOutputTokenSeconds);
    }

    [Fact]
    public void The_tables_still_count_in_memory()
    {
        // Looked up, not streamed, but resident: the weights' footprint keeps all 109,482,240 parameters.
        var m = ModelEstimator.EstimateMemory(Models.Get("bert-base-uncased"), new InferenceWorkload { WeightPrecision = NumericPrecision.Fp32 }, MemoryBound());
        Assert.Equal(109_482_240L * 4, m.WeightsBytes);
    }
}
