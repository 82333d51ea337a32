using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// Falcon as <c>FalconForCausalLM</c>: a fused query-key-value projection sized by the attention layout — new
/// decoder architecture (<c>num_kv_heads</c> groups), multi-query (one K and one V head) or multi-head —, parallel
/// attention and MLP, LayerNorms with biases, Linear biases when <c>bias</c>, LM head tied by default. Legacy
/// RefinedWeb keys (<c>n_head</c>, <c>n_layer</c>) are read too. Source: transformers
/// <c>models/falcon/modeling_falcon.py</c>, <c>configuration_falcon.py</c>.
/// </summary>
internal static class FalconFamily
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers", "n_layer");
        var heads = config.RequiredPositive("num_attention_heads", "n_head");
        var headDim = FamilyRules.EvenHeads(config, hidden, heads, "hidden_size", "num_attention_heads");
        var newArchitecture = config.Bool("new_decoder_architecture", false);
        var multiQuery = config.Bool("multi_query", true);
        var parallel = config.Bool("parallel_attn", true);
        var bias = config.Bool("bias", false);
        var alibi = config.Bool("alibi", false);
        var ffn = config.Positive("ffn_hidden_size", 4 * hidden);
        var tied = config.Bool("tie_word_embeddings", true);

        // FalconConfig: num_kv_heads defaults to num_attention_heads; the attention uses it only in the new
        // architecture, else multi_query means one K/V head and otherwise every head has its own.
        int kvHeads = newArchitecture
            ? FamilyRules.KeyValueHeads(config, heads, config.Positive("num_kv_heads", heads, "n_head_kv"), "num_kv_heads")
            : multiQuery ? 1 : heads;
        long qkvOut = newArchitecture ? ((2L * kvHeads) + heads) * headDim : multiQuery ? hidden + (2L * headDim) : 3L * hidden;

        const string L = "transformer.h.*.";
        var b = new InventoryBuilder()
            .Embedding("transformer.word_embeddings", TensorRole.TokenEmbedding, vocab, hidden);
        if (newArchitecture && config.Positive("num_ln_in_parallel_attn", 2) == 2)
        {
            b.Norm(L + "ln_attn", TensorPart.Blocks, hidden, layers, bias: true)
                .Norm(L + "ln_mlp", TensorPart.Blocks, hidden, layers, bias: true);
        }
        else
        {
            b.Norm(L + "input_layernorm", TensorPart.Blocks, hidden, layers, bias: true);
            if (!parallel)
            {
                b.Norm(L + "post_attention_layernorm", TensorPart.Blocks, hidden, layers, bias: true);
            }
        }

        b.Linear(L + "self_attention.query_key_value", TensorRole.AttentionQueryKeyValue, TensorPart.Blocks, hidden, qkvOut, layers, bias)
            .Linear(L + "self_attention.dense", TensorRole.AttentionOutput, TensorPart.Blocks, hidden, hidden, layers, bias)
            .Linear(L + "mlp.dense_h_to_4h", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, ffn, layers, bias)
            .Linear(L + "mlp.dense_4h_to_h", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, layers, bias)
            .Norm("transformer.ln_f", TensorPart.Blocks, hidden, 1, bias: true);
        b.LanguageModelHead(hidden, vocab, tied, "transformer.word_embeddings");

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
            PositionEncoding = alibi ? PositionEncoding.Alibi : PositionEncoding.Rotary,
            RotaryFraction = alibi ? 0 : 1,
            TiedEmbeddings = tied,
            ParallelAttentionAndFeedForward = newArchitecture || parallel,
        };
        return new ImportedModel("falcon", architecture, b.Build());
    }
}
