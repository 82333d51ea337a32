using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// BERT and RoBERTa as <c>BertModel</c> / <c>RobertaModel</c> (pooler included, pre-training heads excluded), and
/// BERT-shaped configs without <c>model_type</c> (TinyBERT). Source: transformers
/// <c>models/bert/modeling_bert.py</c>, <c>models/roberta/modeling_roberta.py</c>.
/// </summary>
internal static class BertFamily
{
    public static ImportedModel Read(ConfigReader config, string family)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers");
        var heads = config.RequiredPositive("num_attention_heads");
        var ffn = config.RequiredPositive("intermediate_size");
        var positions = config.Positive("max_position_embeddings", 512);
        var types = config.NonNegative("type_vocab_size", 2);
        var headDim = FamilyRules.EvenHeads(config, hidden, heads, "hidden_size", "num_attention_heads");
        var positionType = config.String("position_embedding_type") ?? "absolute";
        if (positionType is not ("absolute" or "relative_key" or "relative_key_query"))
        {
            throw config.Error("position_embedding_type", $"expected \"absolute\", \"relative_key\" or \"relative_key_query\"; found \"{positionType}\"");
        }

        var b = new InventoryBuilder()
            .Embedding("embeddings.word_embeddings", TensorRole.TokenEmbedding, vocab, hidden)
            .Embedding("embeddings.position_embeddings", TensorRole.PositionEmbedding, positions, hidden);
        if (types > 0)
        {
            b.Embedding("embeddings.token_type_embeddings", TensorRole.TokenTypeEmbedding, types, hidden);
        }

        b.Norm("embeddings.LayerNorm", TensorPart.Embeddings, hidden, 1, bias: true);
        const string L = "encoder.layer.*.";
        b.Linear(L + "attention.self.query", TensorRole.AttentionQuery, TensorPart.Blocks, hidden, hidden, layers, bias: true)
            .Linear(L + "attention.self.key", TensorRole.AttentionKey, TensorPart.Blocks, hidden, hidden, layers, bias: true)
            .Linear(L + "attention.self.value", TensorRole.AttentionValue, TensorPart.Blocks, hidden, hidden, layers, bias: true);
        if (positionType != "absolute")
        {
            // relative_key(_query): a (2·max_positions − 1) × head_dim distance table in every self-attention.
            b.Embedding(L + "attention.self.distance_embedding", TensorRole.RelativePosition, (2L * positions) - 1, headDim, layers);
        }

        b.Linear(L + "attention.output.dense", TensorRole.AttentionOutput, TensorPart.Blocks, hidden, hidden, layers, bias: true)
            .Norm(L + "attention.output.LayerNorm", TensorPart.Blocks, hidden, layers, bias: true)
            .Linear(L + "intermediate.dense", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, ffn, layers, bias: true)
            .Linear(L + "output.dense", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, hidden, layers, bias: true)
            .Norm(L + "output.LayerNorm", TensorPart.Blocks, hidden, layers, bias: true)
            .Linear("pooler.dense", TensorRole.Pooler, TensorPart.Head, hidden, hidden, 1, bias: true);

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Encoder,
            Layers = layers,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = headDim,
            FeedForwardSize = ffn,
            VocabularySize = vocab,
            EmbeddingSize = hidden,
            // RoBERTa reserves padding_idx + 1 = 2 position rows (fairseq legacy): 514 rows, 512 usable positions.
            MaxPositions = family == "roberta" ? Math.Max(1, positions - 2) : positions,
            PositionEncoding = PositionEncoding.Learned,
        };
        return new ImportedModel(family, architecture, b.Build());
    }
}
