using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// Phi-3 as <c>Phi3ForCausalLM</c>: Llama-like blocks with a fused <c>qkv_proj</c> and a fused <c>gate_up_proj</c>, no
/// biases, RMSNorm, untied LM head. Source: transformers <c>models/phi3/modeling_phi3.py</c>, <c>configuration_phi3.py</c>.
/// </summary>
internal static class Phi3Family
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers");
        var heads = config.RequiredPositive("num_attention_heads");
        var ffn = config.RequiredPositive("intermediate_size");
        var kvHeads = FamilyRules.KeyValueHeads(config, heads, config.Positive("num_key_value_heads", heads), "num_key_value_heads");
        var headDim = FamilyRules.HeadDimension(config, hidden, heads, "hidden_size", "num_attention_heads");
        var tied = config.Bool("tie_word_embeddings", false);
        var rotary = config.Number("partial_rotary_factor", 1.0);
        if (rotary is <= 0 or > 1)
        {
            throw config.Error("partial_rotary_factor", $"expected a fraction in (0, 1]; found {rotary}");
        }

        long q = (long)heads * headDim, kv = (long)kvHeads * headDim;
        const string L = "model.layers.*.";
        var b = new InventoryBuilder()
            .Embedding("model.embed_tokens", TensorRole.TokenEmbedding, vocab, hidden)
            .Norm(L + "input_layernorm", TensorPart.Blocks, hidden, layers, bias: false)
            .Linear(L + "self_attn.qkv_proj", TensorRole.AttentionQueryKeyValue, TensorPart.Blocks, hidden, q + (2 * kv), layers, bias: false)
            .Linear(L + "self_attn.o_proj", TensorRole.AttentionOutput, TensorPart.Blocks, q, hidden, layers, bias: false)
            .Norm(L + "post_attention_layernorm", TensorPart.Blocks, hidden, layers, bias: false)
            .Linear(L + "mlp.gate_up_proj", TensorRole.FeedForwardGateUp, TensorPart.Blocks, hidden, 2L * ffn, layers, bias: false)
            .Linear(L + "mlp.down_proj", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, layers, bias: false)
            .Norm("model.norm", TensorPart.Blocks, hidden, 1, bias: false);
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
            MaxPositions = config.Positive("max_position_embeddings", 4096),
            PositionEncoding = PositionEncoding.Rotary,
            RotaryFraction = rotary,
            TiedEmbeddings = tied,
            SlidingWindow = config.OptionalPositive("sliding_window"),
        };
        return new ImportedModel("phi3", architecture, b.Build());
    }
}
