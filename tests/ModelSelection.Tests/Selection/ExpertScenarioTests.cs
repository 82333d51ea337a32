using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Quality;

namespace ModelSelection.Tests.Selection;

/// <summary>
/// Decisions an expert would sign, through the public API only. Each scenario states its rationale from published
/// deployment facts and papers (never from this library's output): what the physics or the literature says must be
/// chosen, or must not be.
/// </summary>
public class ExpertScenarioTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);

    private static readonly string[] SeedEncoders =
    [
        "bert-large-uncased", "roberta-large", "bert-base-uncased", "roberta-base", "distilbert-base-uncased",
        "google/mobilebert-uncased", "huawei-noah/TinyBERT_General_6L_768D", "huawei-noah/TinyBERT_General_4L_312D",
    ];

    private static readonly NumericPrecision[] Fp16Int8 = [NumericPrecision.Fp16, NumericPrecision.Int8];

    private static readonly NumericPrecision[] Fp16Int8Q4 = [NumericPrecision.Fp16, NumericPrecision.Int8, NumericPrecision.GgufQ4KM];

    private static SelectionCandidate Chosen(SelectionResult result) =>
        result.Choice ?? throw new Xunit.Sdk.XunitException("expected a choice; " + result.Explanation);

    private static RejectedCandidate RejectionOf(SelectionResult result, string model) => result.Rejected.First(r => r.Candidate.Model.Id == model);

    [Fact]
    public void RaspberryPi_classification_in_50ms_chooses_MobileBERT_not_BERT()
    {
        // MobileBERT (Sun et al. 2020, abstract) classifies in 62 ms on a Pixel 4, whose big cores are Cortex-A76 (the
        // Raspberry Pi 5's cores), and is 5.5× faster than BERT-base there. Within 50 ms on four A76 cores (int8 or
        // fp16) BERT-base and BERT-large are out and only the small, distilled models remain; MobileBERT has the best
        // GLUE test average among them (78.8 vs DistilBERT 76.8, Jiao et al. 2020 Table 1; TinyBERT's scores belong to
        // task-distilled variants).
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = SeedEncoders,
            DeviceIds = ["raspberry-pi-5-8gb"],
            Precisions = Fp16Int8,
            Task = ModelTask.Classification,
            Constraints = new SelectionConstraints { MaxLatency = TimeSpan.FromSeconds(0.05) },
        });
        var choice = Chosen(result);
        Assert.Equal(SizeClass.Small, choice.SizeClass);
        Assert.Equal("google/mobilebert-uncased", choice.Model.Id);
        Assert.Contains(RejectionOf(result, "bert-large-uncased").Reasons, r => r.Code == RejectionCode.ExceedsLatency);
    }

    [Fact]
    public void Datacenter_classification_chooses_the_large_model()
    {
        // On an H100 (80 GB, ~1 PFLOP/s fp16) a 128-token BERT-large pass takes well under a millisecond of compute,
        // so nothing constrains quality: BERT-LARGE's GLUE test average 82.1 beats BERT-BASE 79.6 (Devlin et al. 2019,
        // Table 1) and every distilled model.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = SeedEncoders,
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Task = ModelTask.Classification,
        }));
        Assert.Equal("bert-large-uncased", choice.Model.Id);
        Assert.Equal(SizeClass.Large, choice.SizeClass);
        Assert.Equal(NumericPrecision.Fp16, choice.Precision);
    }

    [Fact]
    public void Datacenter_classification_on_RoBERTa_dev_scores_chooses_RoBERTa_large()
    {
        // RoBERTa Table 5 (Liu et al. 2019), single-task dev: RoBERTa-large averages 88.9 over the 8 tasks, BERT-LARGE
        // 84.1 and roberta-base 86.4 (fairseq README): the robustly trained large model wins when it fits.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = SeedEncoders,
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            Task = ModelTask.Classification,
            Constraints = new SelectionConstraints { QualityBenchmark = "glue-dev-no-wnli" },
        }));
        Assert.Equal("roberta-large", choice.Model.Id);
    }

    [Fact]
    public void Generating_text_never_chooses_an_encoder()
    {
        // BERT-style encoders are bidirectional and have no autoregressive decoding (Devlin et al. 2019, §3): a request
        // that generates 256 tokens on an L4 must get a decoder, however fast TinyBERT would be.
        var result = Selector.Select(new SelectionRequest
        {
            DeviceIds = ["nvidia-l4"],
            Workload = new InferenceWorkload { GeneratedTokens = 256 },
            Objective = SelectionObjective.Latency,
        });
        Assert.Equal(ModelTask.TextGeneration, result.Task);
        Assert.NotEqual(ModelKind.Encoder, Chosen(result).Model.Architecture.Kind);
        Assert.Contains(RejectionOf(result, "huawei-noah/TinyBERT_General_4L_312D").Reasons, r => r.Code == RejectionCode.UnsupportedTask);
    }

    [Fact]
    public void RaspberryPi_chat_under_a_per_token_limit_gets_a_decoder_that_meets_it()
    {
        // The per-token limit must apply: a Raspberry Pi 5 reads ~17 GB/s (LPDDR4X-4267, 32-bit), so only models of a
        // few hundred MB decode at 10 tokens/s; and ALBERT, an encoder, cannot decode at all (Lan et al. 2020).
        var result = Selector.Select(new SelectionRequest
        {
            DeviceIds = ["raspberry-pi-5-8gb"],
            Workload = new InferenceWorkload { GeneratedTokens = 64 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromSeconds(0.1) },
            Objective = SelectionObjective.Smallest,
        });
        var choice = Chosen(result);
        Assert.NotEqual(ModelKind.Encoder, choice.Model.Architecture.Kind);
        Assert.True(choice.Performance!.Value.TimePerOutputTokenSeconds <= 0.1);
        Assert.Contains(RejectionOf(result, "albert-base-v2").Reasons, r => r.Code == RejectionCode.UnsupportedTask);
    }

    [Fact]
    public void A_30k_token_rag_prompt_rejects_short_context_models()
    {
        // Phi-3-mini-4k serves 4K tokens (Abdin et al. 2024), Llama 2 4096 (Touvron et al. 2023) and Mistral 7B v0.1
        // was trained at 8192 (Jiang et al. 2023, Table 1): none can read a 30,000-token retrieval prompt. Mixtral was
        // trained at 32K (Jiang et al. 2024) and holds the prompt at 8 bits on an 80 GB A100.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["microsoft/Phi-3-mini-4k-instruct", "meta-llama/Llama-2-7b-hf", "mistralai/Mistral-7B-v0.1", "mistralai/Mixtral-8x7B-v0.1", "Qwen/Qwen2-0.5B"],
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            Precisions = Fp16Int8,
            Workload = new InferenceWorkload { InputTokens = 30_000, GeneratedTokens = 256 },
        });
        var choice = Chosen(result);
        Assert.True(choice.Model.ContextLength >= 30_256, choice.Key);
        Assert.Equal("mistralai/Mixtral-8x7B-v0.1", choice.Model.Id);
        foreach (var id in new[] { "microsoft/Phi-3-mini-4k-instruct", "meta-llama/Llama-2-7b-hf", "mistralai/Mistral-7B-v0.1" })
        {
            var reason = Assert.Single(RejectionOf(result, id).Reasons);
            Assert.Equal(RejectionCode.ExceedsContext, reason.Code);
            Assert.Equal(30_256, reason.Required);
        }
    }

    [Fact]
    public void Estimating_BERT_past_its_512_learned_positions_is_an_error()
    {
        // bert-base-uncased's config has max_position_embeddings 512: a learned table with no row 513.
        var bert = ModelCatalog.BuiltIn.Get("bert-base-uncased");
        var error = Assert.Throws<ArgumentException>(() => ModelEstimator.EstimateFlops(bert, new InferenceWorkload { InputTokens = 100_000 }));
        Assert.Contains("512", error.Message);
        Assert.Throws<ArgumentException>(() => ModelEstimator.EstimateMemory(bert, new InferenceWorkload { InputTokens = 128, GeneratedTokens = 5 }));
    }

    [Fact]
    public void Language_modelling_ranks_by_perplexity_lower_first()
    {
        // GPT-2 Table 3 (Radford et al. 2019): WikiText-103 perplexity 17.48 for the 1542M model against Transformer-XL's
        // 18.3 (Dai et al. 2019, Table 1) and 37.50 for the 117M model. Lower is better, so the XL model wins on an A100.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["gpt2", "gpt2-medium", "gpt2-xl", "transfo-xl/transfo-xl-wt103"],
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            Task = ModelTask.LanguageModeling,
        });
        Assert.Equal("gpt2-xl", Chosen(result).Model.Id);
        Assert.Equal("wikitext103-test-ppl", result.Benchmark);
        Assert.Equal(["gpt2-xl", "transfo-xl/transfo-xl-wt103", "gpt2-medium", "gpt2"], result.Ranked.Select(c => c.Model.Id));
    }

    [Fact]
    public void Language_modelling_under_a_memory_cap_prefers_TransformerXL_to_a_bigger_GPT2()
    {
        // Under 1 GiB, GPT-2 XL (1.56B parameters, 3.1 GB at fp16) is out; Transformer-XL's 18.3 perplexity beats the
        // 345M GPT-2's 26.37 at a smaller size (Dai et al. 2019 Table 1; Radford et al. 2019 Table 3).
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["gpt2", "gpt2-medium", "gpt2-xl", "transfo-xl/transfo-xl-wt103"],
            DeviceIds = ["raspberry-pi-5-8gb"],
            Task = ModelTask.LanguageModeling,
            Constraints = new SelectionConstraints { MaxMemoryBytes = 1L << 30 },
        }));
        Assert.Equal("transfo-xl/transfo-xl-wt103", choice.Model.Id);
    }

    [Fact]
    public void Long_documents_beyond_GPT2s_1024_positions_go_to_TransformerXL()
    {
        // GPT-2 has 1024 learned positions (n_positions); Transformer-XL's relative encodings and segment recurrence
        // have no such bound (Dai et al. 2019, §3.2–3.3).
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["gpt2", "gpt2-xl", "transfo-xl/transfo-xl-wt103"],
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            Task = ModelTask.LanguageModeling,
            Workload = new InferenceWorkload { InputTokens = 2048 },
        });
        Assert.Equal("transfo-xl/transfo-xl-wt103", Chosen(result).Model.Id);
        Assert.All(result.Rejected, r => Assert.Equal(RejectionCode.ExceedsContext, r.Reasons[0].Code));
    }

    [Fact]
    public void RaspberryPi_question_answering_in_100ms_chooses_MobileBERT()
    {
        // MobileBERT reaches 90.0 SQuAD v1.1 dev F1 (Sun et al. 2020, Table 5), above DistilBERT's 85.8 (Sanh et al.
        // 2019, Table 2), at a quarter of BERT-base's FLOPs: on Cortex-A76 cores it is the model built for this budget.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = SeedEncoders,
            DeviceIds = ["raspberry-pi-5-8gb"],
            Precisions = Fp16Int8,
            Task = ModelTask.ExtractiveQuestionAnswering,
            Constraints = new SelectionConstraints { MaxLatency = TimeSpan.FromSeconds(0.1) },
        }));
        Assert.Equal("google/mobilebert-uncased", choice.Model.Id);
    }

    [Fact]
    public void Datacenter_question_answering_chooses_RoBERTa_large()
    {
        // RoBERTa-large: 94.6 SQuAD v1.1 dev F1 against BERT-LARGE's 90.9 (Liu et al. 2019, Table 6).
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = SeedEncoders,
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Task = ModelTask.ExtractiveQuestionAnswering,
        }));
        Assert.Equal("roberta-large", choice.Model.Id);
        Assert.Equal(SizeClass.Large, choice.SizeClass);
    }

    [Fact]
    public void Mixtral_on_an_H100_runs_at_fp8_not_4_bit()
    {
        // 46.7B parameters × 2 bytes = 93 GB exceed the H100's 80 GB; at fp8 they take 47 GB and keep 99.5 % of MMLU
        // (neuralmagic Llama-3-8B-Instruct-FP8 card), where Q4_K_M adds +0.1754 perplexity (llama.cpp QUANT_OPTIONS).
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["mistralai/Mixtral-8x7B-v0.1"],
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Parse("fp8", null), NumericPrecision.GgufQ4KM],
            Task = ModelTask.TextGeneration,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
        }));
        Assert.Equal("fp8-e4m3", choice.Precision.Name);
    }

    [Fact]
    public void Phi3_mini_on_a_24GB_GPU_stays_at_fp16()
    {
        // 3.8B × 2 bytes = 7.6 GB fits an RTX 4090's 24 GB with room for the cache: 16-bit loses nothing, so neither
        // int8 nor 4-bit is worth its quality cost.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["microsoft/Phi-3-mini-4k-instruct"],
            DeviceIds = ["nvidia-rtx-4090"],
            Precisions = Fp16Int8Q4,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 256 },
        }));
        Assert.Equal(NumericPrecision.Fp16, choice.Precision);
    }

    [Fact]
    public void Llama2_13B_on_a_24GB_GPU_runs_at_8_bits()
    {
        // 13.0B × 2 bytes = 26 GB do not fit 24 GB; int8 (13 GB) keeps 99.3 % of MMLU (neuralmagic W8A8 card), more than
        // Q4_K_M's 98.5 %: 8 bits where they fit, 4 only when memory needs it.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-2-13b-hf"],
            DeviceIds = ["nvidia-rtx-4090"],
            Precisions = Fp16Int8Q4,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
        }));
        Assert.Equal(NumericPrecision.Int8, choice.Precision);
    }

    [Fact]
    public void A_24GB_GPU_takes_13B_at_8_bits_over_70B_that_cannot_fit_and_7B_that_scores_less()
    {
        // Llama-2-70B needs ~39 GB even at 4.9 bits; 13B at int8 (MMLU 54.8 × 0.993) beats 7B at fp16 (45.3), Touvron
        // et al. 2023, Table 3.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-2-70b-hf", "meta-llama/Llama-2-13b-hf", "meta-llama/Llama-2-7b-hf"],
            DeviceIds = ["nvidia-rtx-3090"],
            Precisions = Fp16Int8Q4,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
        });
        var choice = Chosen(result);
        Assert.Equal("meta-llama/Llama-2-13b-hf", choice.Model.Id);
        Assert.Equal(NumericPrecision.Int8, choice.Precision);
        Assert.All(result.Rejected.Where(r => r.Candidate.Model.Id.EndsWith("70b-hf", StringComparison.Ordinal)), r => Assert.Equal(RejectionCode.ExceedsMemory, r.Reasons[0].Code));
    }

    [Fact]
    public void A_phone_chats_with_Phi3_mini_at_4_bits()
    {
        // Phi-3 report (Abdin et al. 2024, §1): phi-3-mini quantised to 4 bits takes ~1.8 GB and runs on an iPhone 14
        // at over 12 tokens/s; at fp16 its 7.6 GB do not fit beside iOS in an 8 GB phone.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["microsoft/Phi-3-mini-4k-instruct", "meta-llama/Llama-2-7b-hf", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"],
            DeviceIds = ["apple-a17-pro"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.GgufQ4KM],
            Workload = new InferenceWorkload { InputTokens = 256, GeneratedTokens = 128 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromSeconds(0.1) },
        }));
        Assert.Equal("microsoft/Phi-3-mini-4k-instruct", choice.Model.Id);
        Assert.Equal(NumericPrecision.GgufQ4KM, choice.Precision);
    }

    [Fact]
    public void Jetson_Orin_Nano_chat_at_20_tokens_per_second_takes_Phi3_mini_below_16_bits()
    {
        // The Orin Nano has 8 GB shared at 102 GB/s: Phi-3-mini (MMLU 68.8, above Llama-3-8B's 66.6) cannot stay at
        // fp16 (7.6 GB plus the OS), and an 8-bit or 4-bit copy decodes within 50 ms per token.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Meta-Llama-3-8B", "microsoft/Phi-3-mini-4k-instruct", "google/gemma-2b", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"],
            DeviceIds = ["nvidia-jetson-orin-nano-8gb"],
            Precisions = Fp16Int8Q4,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromSeconds(0.05) },
        }));
        Assert.Equal("microsoft/Phi-3-mini-4k-instruct", choice.Model.Id);
        Assert.True(choice.Precision.BitsPerWeight <= 8, choice.Key);
    }

    [Fact]
    public void A_48GB_laptop_runs_Mixtral_at_4_bits()
    {
        // An M3 Max with 48 GB cannot hold Mixtral at 8 bits (47 GB) beside macOS, but at Q4_K_M (~27 GB) it can, and
        // reading only the two routed experts per token (12.9B active) keeps decoding fast at 400 GB/s. Its MMLU 70.6
        // (Jiang et al. 2024) less the 4-bit delta still beats Llama-3-8B at fp16 (66.6).
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["mistralai/Mixtral-8x7B-v0.1", "meta-llama/Meta-Llama-3-8B", "microsoft/Phi-3-mini-4k-instruct"],
            DeviceIds = ["apple-m3-max-40c"],
            Precisions = Fp16Int8Q4,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromSeconds(0.1) },
        }));
        Assert.Equal("mistralai/Mixtral-8x7B-v0.1", choice.Model.Id);
        Assert.Equal(NumericPrecision.GgufQ4KM, choice.Precision);
    }

    [Fact]
    public void A_141GB_H200_serves_Mixtral_at_16_bits()
    {
        // 93 GB of fp16 weights fit 141 GB: the lossless format wins when it fits (Mixtral's MMLU 70.6 beats
        // Llama-2-70B's 68.9, which would need 8 bits here).
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["mistralai/Mixtral-8x7B-v0.1", "meta-llama/Llama-2-70b-hf", "meta-llama/Llama-2-13b-hf"],
            DeviceIds = ["nvidia-h200-sxm-141gb"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Parse("fp8", null), NumericPrecision.GgufQ4KM],
            Task = ModelTask.TextGeneration,
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
        }));
        Assert.Equal("mistralai/Mixtral-8x7B-v0.1", choice.Model.Id);
        Assert.Equal(NumericPrecision.Fp16, choice.Precision);
    }

    [Fact]
    public void Embeddings_on_a_phone_go_to_the_best_MTEB_encoder_within_budget()
    {
        // MTEB English v1 averages (FlagEmbedding's table): bge-base-en-v1.5 63.55 > bge-small 62.17 > e5-base-v2 61.5 >
        // e5-small-v2 59.93 > all-MiniLM-L6-v2 56.26. A 128-token query embeds in well under 50 ms on an A17 Pro's GPU,
        // so the best score wins; decoders are not embedders (Reimers & Gurevych 2019, Sentence-BERT).
        var result = Selector.Select(new SelectionRequest { DeviceIds = ["apple-a17-pro"], Task = ModelTask.Embedding, Constraints = new SelectionConstraints { MaxLatency = TimeSpan.FromSeconds(0.05) } });
        var choice = Chosen(result);
        Assert.Equal("BAAI/bge-base-en-v1.5", choice.Model.Id);
        Assert.Equal("mteb-en-v1", result.Benchmark);
        Assert.Equal(RankingBasis.Score, result.RankedBy);
        Assert.All(result.Rejected.Where(r => r.Candidate.Model.Architecture.Kind == ModelKind.Decoder), r => Assert.Equal(RejectionCode.UnsupportedTask, r.Reasons[0].Code));
    }

    [Fact]
    public void Embeddings_without_scores_rank_by_the_stated_proxy()
    {
        // Among models with no MTEB score the choice may not claim "by quality": it says the parameter count ranked them.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["bert-base-uncased", "distilbert-base-uncased", "google/mobilebert-uncased"],
            DeviceIds = ["apple-a17-pro"],
            Task = ModelTask.Embedding,
        });
        Assert.Equal("bert-base-uncased", Chosen(result).Model.Id);
        Assert.Equal(RankingBasis.ParameterProxy, result.RankedBy);
        Assert.Contains("parameter count as a proxy for quality", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Translation_goes_to_an_encoder_decoder()
    {
        // T5 casts translation as text-to-text with an encoder-decoder (Raffel et al. 2020, §2.4); a BERT encoder
        // cannot emit a sentence and GPT-2 was not trained for WMT. T5-base outranks T5-small by size (no WMT score
        // is in the catalog, so the proxy decides and says so).
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["t5-small", "t5-base", "gpt2", "bert-base-uncased"],
            DeviceIds = ["nvidia-t4"],
            Task = ModelTask.SequenceToSequence,
            Workload = new InferenceWorkload { InputTokens = 128, GeneratedTokens = 128 },
        });
        Assert.Equal("t5-base", Chosen(result).Model.Id);
        Assert.Equal(RankingBasis.ParameterProxy, result.RankedBy);
        Assert.All(result.Rejected, r => Assert.Equal(RejectionCode.UnsupportedTask, r.Reasons[0].Code));
    }

    [Fact]
    public void With_no_task_and_no_benchmark_the_explanation_does_not_claim_quality()
    {
        // The first-wave answer to 'select --device raspberry-pi-5-8gb' was TinyBERT "by quality" with no score behind it.
        var result = Selector.Select(new SelectionRequest { DeviceIds = ["raspberry-pi-5-8gb"] });
        Chosen(result);
        Assert.Null(result.Task);
        Assert.Null(result.Benchmark);
        Assert.Equal(RankingBasis.ParameterProxy, result.RankedBy);
        Assert.DoesNotContain("by quality", result.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("by highest", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cost_objective_on_unpriced_devices_says_cost_is_unknown()
    {
        // A Raspberry Pi has no hourly price: ranking "by lowest cost" would rank by nothing.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = SeedEncoders,
            DeviceIds = ["raspberry-pi-5-8gb"],
            Task = ModelTask.Classification,
            Objective = SelectionObjective.Cost,
        });
        Chosen(result);
        Assert.Equal(RankingBasis.TieBreaks, result.RankedBy);
        Assert.DoesNotContain("by lowest cost", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("cost is unknown for every feasible candidate", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_or_retired_benchmarks_are_errors_with_a_suggestion()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Selector.Select(new SelectionRequest { DeviceIds = ["nvidia-l4"], Constraints = new SelectionConstraints { QualityBenchmark = "mmlu" } }));
        Assert.Contains("did you mean mmlu-5shot", unknown.Message, StringComparison.Ordinal);
        var retired = Assert.Throws<ArgumentException>(() => Selector.Select(new SelectionRequest { DeviceIds = ["nvidia-l4"], Constraints = new SelectionConstraints { QualityBenchmark = "glue" } }));
        Assert.Contains("retired", retired.Message, StringComparison.Ordinal);
        Assert.Contains("glue-test", retired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TinyBERTs_task_distilled_scores_do_not_stand_for_the_general_checkpoints()
    {
        // Jiao et al. 2020, Table 1 caption: TinyBERT4 is "task-specifically distilled from BERT-BASE" (with data
        // augmentation); the General_4L/6L checkpoints in the catalog are the general-distillation stage only.
        var request = new SelectionRequest
        {
            CandidateIds = ["huawei-noah/TinyBERT_General_6L_768D", "google/mobilebert-uncased"],
            DeviceIds = ["nvidia-t4"],
            Task = ModelTask.Classification,
            Constraints = new SelectionConstraints { QualityBenchmark = "glue-test" },
        };
        var strict = Selector.Select(request);
        Assert.Equal("google/mobilebert-uncased", Chosen(strict).Model.Id);
        var reason = Assert.Single(RejectionOf(strict, "huawei-noah/TinyBERT_General_6L_768D").Reasons.Where(r => r.Code == RejectionCode.MissingQualityScore));
        Assert.Contains("related checkpoint", reason.Message, StringComparison.Ordinal);

        var related = Selector.Select(request with { UseScoresOfRelatedCheckpoints = true });
        var choice = Chosen(related);
        Assert.Equal("huawei-noah/TinyBERT_General_6L_768D", choice.Model.Id); // 79.4 > 78.8
        Assert.Contains("stand-in", choice.QualityAssumption, StringComparison.Ordinal);
    }

    [Fact]
    public void Datacenter_chat_chooses_the_best_scored_model_that_fits()
    {
        // Among the 2023 models Mixtral 8x7B leads MMLU (70.6, Jiang et al. 2024 Table 2; Llama-2-70B 68.9) and fits an
        // 80 GB H100 at fp8 (47 GB); Llama-2-70B at fp8 (69 GB) fits too but scores lower.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            CandidateIds = ["mistralai/Mixtral-8x7B-v0.1", "meta-llama/Llama-2-70b-hf", "meta-llama/Llama-2-13b-hf", "mistralai/Mistral-7B-v0.1"],
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Parse("fp8", null), NumericPrecision.GgufQ4KM],
            Workload = new InferenceWorkload { InputTokens = 1024, GeneratedTokens = 256 },
        }));
        Assert.Equal("mistralai/Mixtral-8x7B-v0.1", choice.Model.Id);
        Assert.Equal("fp8-e4m3", choice.Precision.Name);
        Assert.Equal(SizeClass.Large, choice.SizeClass);
    }

    [Fact]
    public void A_quality_floor_in_perplexity_is_a_ceiling()
    {
        // Perplexity is lower-is-better: a floor of 20 keeps GPT-2 XL (17.48) and Transformer-XL (18.3) and rejects
        // GPT-2 large (22.05), Radford et al. 2019 Table 3.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["gpt2-large", "gpt2-xl", "transfo-xl/transfo-xl-wt103"],
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            Task = ModelTask.LanguageModeling,
            Constraints = new SelectionConstraints { MinQuality = 20 },
        });
        Assert.Equal(2, result.Ranked.Count);
        Assert.Equal(RejectionCode.BelowQualityFloor, RejectionOf(result, "gpt2-large").Reasons[0].Code);
    }

    [Fact]
    public void An_H100_serves_the_best_current_model_that_fits_at_8_bits()
    {
        // Qwen2.5-72B scores 86.1 on MMLU (Qwen2.5 report), above Llama-3.1-70B's 79.3 (Meta card) and Mixtral 8x22B's
        // 77.8; at fp8 its 72.7 GB fit an 80 GB H100 for a short chat, where 16 bits (145 GB) and Mixtral 8x22B (141 GB)
        // do not.
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Parse("fp8", null)],
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
        }));
        Assert.Equal("Qwen/Qwen2.5-72B", choice.Model.Id);
        Assert.Equal("fp8-e4m3", choice.Precision.Name);
    }

    [Fact]
    public void A_phone_chats_with_a_current_small_model_at_4_bits()
    {
        // The 2024–25 small models beat Phi-3-mini on MMLU at the same size (Qwen2.5-3B 65.6, Qwen3-4B-Base 72.99,
        // Phi-3.5-mini 69): on an 8 GB A17 Pro with 10 tokens/s the choice is a ~4B decoder at 4 bits (at llama.cpp's
        // real Q4_K_M sizes Qwen3-4B, 4.02B parameters, makes the 100 ms per token; the size-class line is at 4B).
        var choice = Chosen(Selector.Select(new SelectionRequest
        {
            DeviceIds = ["apple-a17-pro"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.GgufQ4KM],
            Workload = new InferenceWorkload { InputTokens = 256, GeneratedTokens = 128 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromSeconds(0.1) },
        }));
        Assert.InRange(choice.Model.Parameters.Count, 1_000_000_000, 4_500_000_000);
        Assert.Equal(NumericPrecision.GgufQ4KM, choice.Precision);
        Assert.True(choice.Quality >= 60, choice.Key);
    }

    [Fact]
    public void A_128k_context_request_goes_to_a_128k_model()
    {
        // Llama 3.1 was trained to 128K tokens (Meta card, rope_scaling llama3); Gemma 2 serves 8K and Mistral 7B v0.1 8K.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-3.1-8B", "google/gemma-2-9b", "mistralai/Mistral-7B-v0.1"],
            DeviceIds = ["nvidia-h200-sxm-141gb"],
            Workload = new InferenceWorkload { InputTokens = 100_000, GeneratedTokens = 512 },
        });
        Assert.Equal("meta-llama/Llama-3.1-8B", Chosen(result).Model.Id);
        Assert.All(result.Rejected, r => Assert.Equal(RejectionCode.ExceedsContext, r.Reasons[0].Code));
    }

    [Fact]
    public void ModernBERT_reads_documents_no_BERT_can()
    {
        // ModernBERT's native sequence length is 8,192 tokens (Warner et al. 2024, §2); BERT's learned table holds 512.
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["answerdotai/ModernBERT-base", "bert-base-uncased", "roberta-base"],
            DeviceIds = ["nvidia-l4"],
            Task = ModelTask.Classification,
            Workload = new InferenceWorkload { InputTokens = 4096 },
        });
        Assert.Equal("answerdotai/ModernBERT-base", Chosen(result).Model.Id);
        Assert.All(result.Rejected, r => Assert.Equal(RejectionCode.ExceedsContext, r.Reasons[0].Code));
    }
}
