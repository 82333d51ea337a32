using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>DistilBERT as <c>DistilBertModel</c>: no token types, no pooler. Source: transformers <c>models/distilbert/modeling_distilbert.py</c>.</summary>
internal static class DistilBertFamily
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var dim = config.RequiredPositive("dim", "hidden_size");
        var layers = config.RequiredPositive("n_layers", "num_hidden_layers");
        var heads = config.RequiredPositive("n_heads", "num_attention_heads");
        var ffn = config.RequiredPositive("hidden_dim");
        var positions = config.Positive("max_position_embeddings", 512);
        var headDim = FamilyRules.EvenHeads(config, dim, heads, "dim", "n_heads");

        // sinusoidal_pos_embds only changes how the position table is initialised; it is a parameter either way.
        const string L = "transformer.layer.*.";
        var inventory = new InventoryBuilder()
            .Embedding("embeddings.word_embeddings", TensorRole.TokenEmbedding, vocab, dim)
            .Embedding("embeddings.position_embeddings", TensorRole.PositionEmbedding, positions, dim)
            .Norm("embeddings.LayerNorm", TensorPart.Embeddings, dim, 1, bias: true)
            .Linear(L + "attention.q_lin", TensorRole.AttentionQuery, TensorPart.Blocks, dim, dim, layers, bias: true)
            .Linear(L + "attention.k_lin", TensorRole.AttentionKey, TensorPart.Blocks, dim, dim, layers, bias: true)
            .Linear(L + "attention.v_lin", TensorRole.AttentionValue, TensorPart.Blocks, dim, dim, layers, bias: true)
            .Linear(L + "attention.out_lin", TensorRole.AttentionOutput, TensorPart.Blocks, dim, dim, layers, bias: true)
            .Norm(L + "sa_layer_norm", TensorPart.Blocks, dim, layers, bias: true)
            .Linear(L + "ffn.lin1", TensorRole.FeedForwardUp, TensorPart.Blocks, dim, ffn, layers, bias: true)
            .Linear(L + "ffn.lin2", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, dim, layers, bias: true)
            .Norm(L + "output_layer_norm", TensorPart.Blocks, dim, layers, bias: true)
            .Build();

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Encoder,
            Layers = layers,
            HiddenSize = dim,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = headDim,
            FeedForwardSize = ffn,
            VocabularySize = vocab,
            EmbeddingSize = dim,
            MaxPositions = positions,
            PositionEncoding = PositionEncoding.Learned,
        };
        return new ImportedModel("distilbert", architecture, inventory);
    }
}
