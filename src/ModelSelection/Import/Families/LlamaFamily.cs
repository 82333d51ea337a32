using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// The Llama-shaped decoders: Llama (Llama 2/3, TinyLlama), Mistral, Mixtral, Qwen2 and Gemma, as
/// <c>…ForCausalLM</c>. RMSNorm (a scale, no shift), rotary positions, gated feed-forward (gate, up, down), grouped-
/// query attention, optional explicit <c>head_dim</c>. Family differences: Qwen2 has q/k/v biases; Mixtral replaces
/// the MLP with <c>num_local_experts</c> experts and a router; Gemma ties the LM head by default; Llama may carry
/// <c>attention_bias</c> and <c>mlp_bias</c>. Sources: transformers <c>models/{llama,mistral,mixtral,qwen2,gemma}/modeling_*.py</c>
/// and the defaults in their <c>configuration_*.py</c>.
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
        var positions = config.Positive("max_position_embeddings", family switch { "llama" => 2048, "gemma" => 8192, "qwen2" => 32768, _ => 4096 * 32 });
        var tied = config.Bool("tie_word_embeddings", family == "gemma");
        var qkvBias = family == "qwen2" || config.Bool("attention_bias", false);
        var outputBias = family != "qwen2" && config.Bool("attention_bias", false);
        var mlpBias = family == "llama" && config.Bool("mlp_bias", false);
        int? window = family switch
        {
            // MistralConfig defaults to a 4096-token window; an explicit null (Mistral v0.2 and later) means none.
            "mistral" => config.IsPresent("sliding_window") ? config.OptionalPositive("sliding_window") : 4096,
            "mixtral" => config.OptionalPositive("sliding_window"),
            "qwen2" => config.Bool("use_sliding_window", false) ? config.Positive("sliding_window", 4096) : null,
            _ => null,
        };
        var experts = family == "mixtral" ? config.Positive("num_local_experts", 8) : 0;
        var perToken = family == "mixtral" ? config.Positive("num_experts_per_tok", 2) : 0;
        if (perToken > experts)
        {
            throw config.Error("num_experts_per_tok", $"expected at most {ConfigReader.Path("num_local_experts")} ({experts}); found {perToken}");
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
        if (experts > 0)
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
            FeedForwardSize = ffn,
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
