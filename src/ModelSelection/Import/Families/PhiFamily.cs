using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// Phi-1/1.5/2 as <c>PhiForCausalLM</c>: one LayerNorm per block feeding attention and MLP in parallel, biases on
/// every projection, partial rotary embeddings (<c>partial_rotary_factor</c>), optional q/k LayerNorms, an untied LM
/// head with a bias. Source: transformers <c>models/phi/modeling_phi.py</c>, <c>configuration_phi.py</c>.
/// </summary>
internal static class PhiFamily
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers");
        var heads = config.RequiredPositive("num_attention_heads");
        var ffn = config.RequiredPositive("intermediate_size");
        var kvHeads = FamilyRules.KeyValueHeads(config, heads, config.Positive("num_key_value_heads", heads), "num_key_value_heads");
        var headDim = FamilyRules.EvenHeads(config, hidden, heads, "hidden_size", "num_attention_heads");
        var rotary = config.Number("partial_rotary_factor", 0.5);
        if (rotary is <= 0 or > 1)
        {
            throw config.Error("partial_rotary_factor", $"expected a fraction in (0, 1]; found {rotary}");
        }

        var qkNorm = config.Bool("qk_layernorm", false);
        var tied = config.Bool("tie_word_embeddings", false);
        long q = (long)heads * headDim, kv = (long)kvHeads * headDim;
        const string L = "model.layers.*.";
        var b = new InventoryBuilder()
            .Embedding("model.embed_tokens", TensorRole.TokenEmbedding, vocab, hidden)
            .Norm(L + "input_layernorm", TensorPart.Blocks, hidden, layers, bias: true)
            .Linear(L + "self_attn.q_proj", TensorRole.AttentionQuery, TensorPart.Blocks, hidden, q, layers, bias: true)
            .Linear(L + "self_attn.k_proj", TensorRole.AttentionKey, TensorPart.Blocks, hidden, kv, layers, bias: true)
            .Linear(L + "self_attn.v_proj", TensorRole.AttentionValue, TensorPart.Blocks, hidden, kv, layers, bias: true)
            .Linear(L + "self_attn.dense", TensorRole.AttentionOutput, TensorPart.Blocks, q, hidden, layers, bias: true);
        if (qkNorm)
        {
            b.Norm(L + "self_attn.q_layernorm", TensorPart.Blocks, headDim, layers, bias: true)
                .Norm(L + "self_attn.k_layernorm", TensorPart.Blocks, headDim, layers, bias: true);
        }

        b.Linear(L + "mlp.fc1", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, ffn, layers, bias: true)
            .Linear(L + "mlp.fc2", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, layers, bias: true)
            .Norm("model.final_layernorm", TensorPart.Blocks, hidden, 1, bias: true);
        b.LanguageModelHead(hidden, vocab, tied, "model.embed_tokens", bias: true);

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Decoder,
            Layers = layers,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = kvHeads,
            HeadDimension = headDim,
            FeedForwardSize = ffn,
            VocabularySize = vocab,
            EmbeddingSize = hidden,
            MaxPositions = config.Positive("max_position_embeddings", 2048),
            PositionEncoding = PositionEncoding.Rotary,
            RotaryFraction = rotary,
            TiedEmbeddings = tied,
            ParallelAttentionAndFeedForward = true,
        };
        return new ImportedModel("phi", architecture, b.Build());
    }
}
