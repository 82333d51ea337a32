using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// ModernBERT as <c>ModernBertModel</c> (Warner et al. 2024): token embeddings and a LayerNorm, then per layer a fused
/// <c>attn.Wqkv</c> (hidden → 3·hidden) and <c>attn.Wo</c>, a gated MLP whose <c>mlp.Wi</c> maps hidden → 2·intermediate
/// and <c>mlp.Wo</c> intermediate → hidden, LayerNorms before attention (none in layer 0, whose input is the embedding
/// norm) and before the MLP, and a final LayerNorm; rotary positions; no biases unless <c>norm_bias</c>,
/// <c>attention_bias</c> or <c>mlp_bias</c> say so. Attention alternates a 128-token local window with a global layer
/// every <c>global_attn_every_n_layers</c> (counted as global for memory, the larger). Source: transformers
/// <c>models/modernbert/modeling_modernbert.py</c> and <c>configuration_modernbert.py</c>.
/// </summary>
internal static class ModernBertFamily
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.Positive("vocab_size", 50368);
        var hidden = config.Positive("hidden_size", 768);
        var layers = config.Positive("num_hidden_layers", 22);
        var heads = config.Positive("num_attention_heads", 12);
        var ffn = config.Positive("intermediate_size", 1152);
        var headDim = FamilyRules.EvenHeads(config, hidden, heads, "hidden_size", "num_attention_heads");
        var normBias = config.Bool("norm_bias", false);
        var attentionBias = config.Bool("attention_bias", false);
        var mlpBias = config.Bool("mlp_bias", false);
        const string L = "layers.*.";
        var b = new InventoryBuilder()
            .Embedding("embeddings.tok_embeddings", TensorRole.TokenEmbedding, vocab, hidden)
            .Norm("embeddings.norm", TensorPart.Embeddings, hidden, 1, normBias);
        if (layers > 1)
        {
            b.Norm(L + "attn_norm", TensorPart.Blocks, hidden, layers - 1, normBias);
        }

        b.Linear(L + "attn.Wqkv", TensorRole.AttentionQueryKeyValue, TensorPart.Blocks, hidden, 3L * hidden, layers, attentionBias)
            .Linear(L + "attn.Wo", TensorRole.AttentionOutput, TensorPart.Blocks, hidden, hidden, layers, attentionBias)
            .Norm(L + "mlp_norm", TensorPart.Blocks, hidden, layers, normBias)
            .Linear(L + "mlp.Wi", TensorRole.FeedForwardGateUp, TensorPart.Blocks, hidden, 2L * ffn, layers, mlpBias)
            .Linear(L + "mlp.Wo", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, layers, mlpBias)
            .Norm("final_norm", TensorPart.Blocks, hidden, 1, normBias);

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Encoder,
            Layers = layers,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = headDim,
            FeedForwardSize = ffn,
            GatedFeedForward = true,
            VocabularySize = vocab,
            EmbeddingSize = hidden,
            MaxPositions = config.Positive("max_position_embeddings", 8192),
            PositionEncoding = PositionEncoding.Rotary,
            RotaryFraction = 1,
        };
        return new ImportedModel("modernbert", architecture, b.Build());
    }
}
