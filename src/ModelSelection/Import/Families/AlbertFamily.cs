using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// ALBERT as <c>AlbertModel</c>: factorised embeddings (vocabulary × embedding_size, then a projection to the hidden
/// size) and layers shared across depth (<c>num_hidden_groups</c> groups of <c>inner_group_num</c> layers, applied
/// <c>num_hidden_layers</c> times). Source: transformers <c>models/albert/modeling_albert.py</c>.
/// </summary>
internal static class AlbertFamily
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var embedding = config.Positive("embedding_size", 128);
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers");
        var heads = config.RequiredPositive("num_attention_heads");
        var ffn = config.RequiredPositive("intermediate_size");
        var groups = config.Positive("num_hidden_groups", 1);
        var inner = config.Positive("inner_group_num", 1);
        var positions = config.Positive("max_position_embeddings", 512);
        var types = config.NonNegative("type_vocab_size", 2);
        var headDim = FamilyRules.EvenHeads(config, hidden, heads, "hidden_size", "num_attention_heads");
        if (groups > layers)
        {
            throw config.Error("num_hidden_groups", $"expected at most {ConfigReader.Path("num_hidden_layers")} ({layers}) groups; found {groups}");
        }

        long stored = (long)groups * inner;
        long applied = (long)layers * inner;
        if (applied > 100_000)
        {
            throw config.Error("inner_group_num", $"expected num_hidden_layers × inner_group_num to be at most 100000 layer applications; found {applied}");
        }

        var b = new InventoryBuilder()
            .Embedding("embeddings.word_embeddings", TensorRole.TokenEmbedding, vocab, embedding)
            .Embedding("embeddings.position_embeddings", TensorRole.PositionEmbedding, positions, embedding);
        if (types > 0)
        {
            b.Embedding("embeddings.token_type_embeddings", TensorRole.TokenTypeEmbedding, types, embedding);
        }

        const string L = "encoder.albert_layer_groups.*.albert_layers.*.";
        b.Norm("embeddings.LayerNorm", TensorPart.Embeddings, embedding, 1, bias: true)
            .Linear("encoder.embedding_hidden_mapping_in", TensorRole.EmbeddingProjection, TensorPart.Embeddings, embedding, hidden, 1, bias: true)
            .Linear(L + "attention.query", TensorRole.AttentionQuery, TensorPart.Blocks, hidden, hidden, stored, bias: true, uses: applied)
            .Linear(L + "attention.key", TensorRole.AttentionKey, TensorPart.Blocks, hidden, hidden, stored, bias: true, uses: applied)
            .Linear(L + "attention.value", TensorRole.AttentionValue, TensorPart.Blocks, hidden, hidden, stored, bias: true, uses: applied)
            .Linear(L + "attention.dense", TensorRole.AttentionOutput, TensorPart.Blocks, hidden, hidden, stored, bias: true, uses: applied)
            .Norm(L + "attention.LayerNorm", TensorPart.Blocks, hidden, stored, bias: true, uses: applied)
            .Linear(L + "ffn", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, ffn, stored, bias: true, uses: applied)
            .Linear(L + "ffn_output", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, stored, bias: true, uses: applied)
            .Norm(L + "full_layer_layer_norm", TensorPart.Blocks, hidden, stored, bias: true, uses: applied)
            .Linear("pooler", TensorRole.Pooler, TensorPart.Head, hidden, hidden, 1, bias: true);

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Encoder,
            Layers = (int)applied,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = headDim,
            FeedForwardSize = ffn,
            VocabularySize = vocab,
            EmbeddingSize = embedding,
            MaxPositions = positions,
            PositionEncoding = PositionEncoding.Learned,
        };
        return new ImportedModel("albert", architecture, b.Build());
    }
}
