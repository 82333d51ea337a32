using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// The Llama-shaped decoders: Llama (Llama 2/3, TinyLlama, SmolLM2), Mistral, Mixtral, Qwen2 (Qwen2.5), Qwen3,
/// Qwen3-MoE, Gemma and Gemma 2, as <c>…ForCausalLM</c>. RMSNorm (a scale, no shift), rotary positions, gated
/// feed-forward (gate, up, down), grouped-query attention, optional explicit <c>head_dim</c>. Family differences:
/// Qwen2 has q/k/v biases; Qwen3 has none but normalises queries and keys per head (<c>q_norm</c>, <c>k_norm</c>, one
/// head wide); Qwen3-MoE adds a router and <c>num_experts</c> experts of <c>moe_intermediate_size</c> on every
/// <c>decoder_sparse_step</c>-th layer not in <c>mlp_only_layers</c>; Mixtral replaces the MLP with
/// <c>num_local_experts</c> experts and a router; Gemma ties the LM head by default; Gemma 2 adds a norm before and
/// after the feed-forward (four per layer) and alternates sliding-window and global layers (counted as global for
/// the KV cache, the larger); Llama may carry <c>attention_bias</c> and <c>mlp_bias</c>. Sources: transformers
/// <c>models/{llama,mistral,mixtral,qwen2,qwen3,qwen3_moe,gemma,gemma2}/modeling_*.py</c> and the defaults in their
/// <c>configuration_*.py</c>.
/// </summary>
internal static class LlamaFamily
{
    public static ImportedModel Read(ConfigReader config, string family)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers");
        var heads = config.RequiredPositive("num_attention_heads");
        var ffn = config.RequiredPositive("intermediate_size");
        var kvHeads = FamilyRules.KeyValueHeads(config, heads, config.Positive("num_key_value_heads", family == "mistral" || family == "mixtral" ? 8 : heads), "num_key_value_heads");
        var headDim = FamilyRules.HeadDimension(config, hidden, heads, "hidden_size", "num_attention_heads");
        var positions = config.Positive("max_position_embeddings", family switch { "llama" => 2048, "gemma" or "gemma2" => 8192, "qwen2" or "qwen3" or "qwen3_moe" => 32768, _ => 4096 * 32 });
        var tied = config.Bool("tie_word_embeddings", family is "gemma" or "gemma2");
        var qkvBias = family == "qwen2" || config.Bool("attention_bias", false);
        var outputBias = family != "qwen2" && config.Bool("attention_bias", false);
        var headNorms = family is "qwen3" or "qwen3_moe";
        var mlpBias = family == "llama" && config.Bool("mlp_bias", false);
        int? window = family switch
        {
            // MistralConfig defaults to a 4096-token window; an explicit null (Mistral v0.2 and later) means none.
            "mistral" => config.IsPresent("sliding_window") ? config.OptionalPositive("sliding_window") : 4096,
            "mixtral" => config.OptionalPositive("sliding_window"),
            "qwen2" => config.Bool("use_sliding_window", false) ? config.Positive("sliding_window", 4096) : null,
            _ => null,
        };
        var experts = family switch { "mixtral" => config.Positive("num_local_experts", 8), "qwen3_moe" => config.Positive("num_experts", 128), _ => 0 };
        var perToken = family switch { "mixtral" => config.Positive("num_experts_per_tok", 2), "qwen3_moe" => config.Positive("num_experts_per_tok", 8), _ => 0 };
        if (perToken > experts)
        {
            throw config.Error("num_experts_per_tok", $"expected at most {ConfigReader.Path(family == "mixtral" ? "num_local_experts" : "num_experts")} ({experts}); found {perToken}");
        }

        // Qwen3-MoE: layer i is sparse when it is not in mlp_only_layers and (i + 1) is a multiple of decoder_sparse_step.
        var sparseLayers = layers;
        var expertWidth = ffn;
        if (family == "qwen3_moe")
        {
            var step = config.Positive("decoder_sparse_step", 1);
            var dense = config.PositiveArray("mlp_only_layers") is { } only ? only.Where(i => i < layers).Distinct().ToHashSet() : [];
            sparseLayers = Enumerable.Range(0, layers).Count(i => !dense.Contains(i) && (i + 1) % step == 0);
            expertWidth = config.RequiredPositive("moe_intermediate_size");
        }

        long q = (long)heads * headDim, kv = (long)kvHeads * headDim;
        const string L = "model.layers.*.";
        var b = new InventoryBuilder()
            .Embedding("model.embed_tokens", TensorRole.TokenEmbedding, vocab, hidden)
            .Norm(L + "input_layernorm", TensorPart.Blocks, hidden, layers, bias: false)
            .Linear(L + "self_attn.q_proj", TensorRole.AttentionQuery, TensorPart.Blocks, hidden, q, layers, qkvBias)
            .Linear(L + "self_attn.k_proj", TensorRole.AttentionKey, TensorPart.Blocks, hidden, kv, layers, qkvBias)
            .Linear(L + "self_attn.v_proj", TensorRole.AttentionValue, TensorPart.Blocks, hidden, kv, layers, qkvBias)
            .Linear(L + "self_attn.o_proj", TensorRole.AttentionOutput, TensorPart.Blocks, q, hidden, layers, outputBias)
            .Norm(L + "post_attention_layernorm", TensorPart.Blocks, hidden, layers, bias: false);
        if (headNorms)
        {
            b.Norm(L + "self_attn.q_norm", TensorPart.Blocks, headDim, layers, bias: false)
                .Norm(L + "self_attn.k_norm", TensorPart.Blocks, headDim, layers, bias: false);
        }

        if (family == "gemma2")
        {
            b.Norm(L + "pre_feedforward_layernorm", TensorPart.Blocks, hidden, layers, bias: false)
                .Norm(L + "post_feedforward_layernorm", TensorPart.Blocks, hidden, layers, bias: false);
        }

        if (family == "qwen3_moe")
        {
            long stored = (long)sparseLayers * experts, used = (long)sparseLayers * perToken;
            var denseLayers = layers - sparseLayers;
            b.Linear(L + "mlp.gate", TensorRole.Router, TensorPart.Blocks, hidden, experts, sparseLayers, bias: false)
                .Linear(L + "mlp.experts.*.gate_proj", TensorRole.ExpertGate, TensorPart.Blocks, hidden, expertWidth, stored, bias: false, uses: used)
                .Linear(L + "mlp.experts.*.up_proj", TensorRole.ExpertUp, TensorPart.Blocks, hidden, expertWidth, stored, bias: false, uses: used)
                .Linear(L + "mlp.experts.*.down_proj", TensorRole.ExpertDown, TensorPart.Blocks, expertWidth, hidden, stored, bias: false, uses: used);
            if (denseLayers > 0)
            {
                b.Linear(L + "mlp.gate_proj", TensorRole.FeedForwardGate, TensorPart.Blocks, hidden, ffn, denseLayers, bias: false)
                    .Linear(L + "mlp.up_proj", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, ffn, denseLayers, bias: false)
                    .Linear(L + "mlp.down_proj", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, denseLayers, bias: false);
            }
        }
        else if (experts > 0)
        {
            long stored = (long)layers * experts, used = (long)layers * perToken;
            b.Linear(L + "block_sparse_moe.gate", TensorRole.Router, TensorPart.Blocks, hidden, experts, layers, bias: false)
                .Linear(L + "block_sparse_moe.experts.*.w1", TensorRole.ExpertGate, TensorPart.Blocks, hidden, ffn, stored, bias: false, uses: used)
                .Linear(L + "block_sparse_moe.experts.*.w3", TensorRole.ExpertUp, TensorPart.Blocks, hidden, ffn, stored, bias: false, uses: used)
                .Linear(L + "block_sparse_moe.experts.*.w2", TensorRole.ExpertDown, TensorPart.Blocks, ffn, hidden, stored, bias: false, uses: used);
        }
        else
        {
            b.Linear(L + "mlp.gate_proj", TensorRole.FeedForwardGate, TensorPart.Blocks, hidden, ffn, layers, mlpBias)
                .Linear(L + "mlp.up_proj", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, ffn, layers, mlpBias)
                .Linear(L + "mlp.down_proj", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, layers, mlpBias);
        }

        b.Norm("model.norm", TensorPart.Blocks, hidden, 1, bias: false);
        b.LanguageModelHead(hidden, vocab, tied, "model.embed_tokens");

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Decoder,
            Layers = layers,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = kvHeads,
            HeadDimension = headDim,
            FeedForwardSize = expertWidth,
            GatedFeedForward = true,
            VocabularySize = vocab,
            EmbeddingSize = hidden,
            MaxPositions = positions,
            PositionEncoding = PositionEncoding.Rotary,
            RotaryFraction = 1,
            TiedEmbeddings = tied,
            Experts = experts,
            ExpertsPerToken = perToken,
            SlidingWindow = window,
        };
        return new ImportedModel(family, architecture, b.Build());
    }
}
