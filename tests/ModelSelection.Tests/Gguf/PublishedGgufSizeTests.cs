using ModelSelection.Catalog;
using ModelSelection.Estimation;

namespace ModelSelection.Tests.Gguf;

/// <summary>
/// Sizes from config + GGUF format against published GGUF files: llama-bench "model size" (tensor bytes, GiB) and
/// Hugging Face file sizes (bytes, tokenizer metadata included: a few MB). Every figure is quoted in docs/models.md
/// with its address; within 2 %.
/// </summary>
public sealed class PublishedGgufSizeTests
{
    private const double GiB = 1024.0 * 1024 * 1024;

    public static TheoryData<string, string, double, string> Facts => new()
    {
        // llama.cpp tools/quantize/README.md (commit 311c2c9), Llama-3.1-8B, size (GiB).
        { "meta-llama/Llama-3.1-8B", "q4_k_m", 4.58 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q5_k_m", 5.33 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q6_k", 6.14 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q8_0", 7.95 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q4_k_s", 4.36 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q5_k_s", 5.21 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q3_k_l", 4.02 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q3_k_s", 3.41 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "q2_k", 2.95 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "iq4_xs", 4.17 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "iq4_nl", 4.38 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "iq3_m", 3.52 * GiB, "quantize README" },
        { "meta-llama/Llama-3.1-8B", "iq2_xxs", 2.23 * GiB, "quantize README" },

        // llama.cpp tools/quantize/quantize.cpp QUANT_OPTIONS, Llama-3-8B.
        { "meta-llama/Meta-Llama-3-8B", "q3_k_m", 3.74 * GiB, "quantize.cpp" },

        // llama-bench on LLaMA 7B (Llama-2-7B's shape): llama.cpp PR #2917, issue #10435.
        { "meta-llama/Llama-2-7b-hf", "q4_0", 3.56 * GiB, "llama-bench" },
        { "meta-llama/Llama-2-7b-hf", "q8_0", 6.67 * GiB, "llama-bench" },

        // Hugging Face files (bytes): TheBloke/Llama-2-7B-GGUF (llama.cpp bd33e5a).
        { "meta-llama/Llama-2-7b-hf", "q4_0", 3825807040, "TheBloke/Llama-2-7B-GGUF" },
        { "meta-llama/Llama-2-7b-hf", "q4_k_m", 4081004224, "TheBloke/Llama-2-7B-GGUF" },
        { "meta-llama/Llama-2-7b-hf", "q8_0", 7161089728, "TheBloke/Llama-2-7B-GGUF" },

        // TheBloke/Mistral-7B-v0.1-GGUF.
        { "mistralai/Mistral-7B-v0.1", "q4_0", 4108916352, "TheBloke/Mistral-7B-v0.1-GGUF" },
        { "mistralai/Mistral-7B-v0.1", "q4_k_m", 4368438912, "TheBloke/Mistral-7B-v0.1-GGUF" },
        { "mistralai/Mistral-7B-v0.1", "q5_k_m", 5131409024, "TheBloke/Mistral-7B-v0.1-GGUF" },
        { "mistralai/Mistral-7B-v0.1", "q6_k", 5942064768, "TheBloke/Mistral-7B-v0.1-GGUF" },

        // bartowski's files, exact bytes as the Hugging Face API lists them (github.com/aflin/rampart-langtools, rampart-models.js).
        { "HuggingFaceTB/SmolLM2-1.7B", "q4_k_m", 1055609824, "bartowski/SmolLM2-1.7B-Instruct-GGUF" },
        { "google/gemma-2-2b", "q4_k_m", 1708582752, "bartowski/gemma-2-2b-it-GGUF" },
        { "meta-llama/Llama-3.2-1B", "q4_k_m", 807694464, "bartowski/Llama-3.2-1B-Instruct-GGUF" },

        // TinyLlama 1.1B Q4_K_M: llama-bench 636.18 MiB (geerlingguy/ai-benchmarks#48).
        { "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T", "q4_k_m", 636.18 * 1024 * 1024, "llama-bench" },
    };

    [Theory]
    [MemberData(nameof(Facts))]
    public void ConfigPlusFormatMatchesThePublishedFileWithinTwoPercent(string model, string format, double published, string source)
    {
        var spec = ModelCatalog.BuiltIn.Get(model);
        var bytes = ModelEstimator.EstimateMemory(spec, new InferenceWorkload { WeightPrecision = NumericPrecision.Parse(format), InputTokens = 1 }).WeightsBytes;
        var ratio = bytes / published;
        Assert.True(Math.Abs(ratio - 1) <= 0.02, $"{model} {format}: we say {bytes / GiB:F3} GiB, {source} publishes {published / GiB:F3} GiB (ratio {ratio:F4}).");
    }
}
