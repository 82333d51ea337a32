using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// MobileBERT as <c>MobileBertModel</c>: trigram embedding projection, per-layer bottlenecks between the block
/// width (<c>hidden_size</c>) and the inner width (<c>intra_bottleneck_size</c>), and
/// <c>num_feedforward_networks</c> stacked feed-forwards. Source: transformers
/// <c>models/mobilebert/modeling_mobilebert.py</c>.
/// </summary>
internal static class MobileBertFamily
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("hidden_size");
        var layers = config.RequiredPositive("num_hidden_layers");
        var heads = config.RequiredPositive("num_attention_heads");
        var ffn = config.RequiredPositive("intermediate_size");
        var embedding = config.Positive("embedding_size", 128);
        var positions = config.Positive("max_position_embeddings", 512);
        var types = config.NonNegative("type_vocab_size", 2);
        var trigram = config.Bool("trigram_input", true);
        var useBottleneck = config.Bool("use_bottleneck", true);
        var intra = config.Positive("intra_bottleneck_size", 128);
        var bottleneckAttention = config.Bool("use_bottleneck_attention", false);
        var sharedBottleneck = config.Bool("key_query_shared_bottleneck", true);
        var ffnCount = config.Positive("num_feedforward_networks", 4);
        var classifierActivation = config.Bool("classifier_activation", true);
        var normalization = config.String("normalization_type") ?? "no_norm";
        if (normalization is not ("no_norm" or "layer_norm"))
        {
            throw config.Error("normalization_type", $"expected \"no_norm\" or \"layer_norm\"; found \"{normalization}\"");
        }

        // MobileBertConfig: true_hidden_size = intra_bottleneck_size if use_bottleneck else hidden_size.
        var inner = useBottleneck ? intra : hidden;
        if (inner < heads)
        {
            throw config.Error("num_attention_heads", $"expected at most the attention width ({inner}) heads; found {heads}");
        }

        var headDim = inner / heads;           // int(true_hidden_size / num_attention_heads)
        var allHeads = headDim * heads;         // all_head_size
        var valueIn = useBottleneck && bottleneckAttention ? inner : hidden;
        const string L = "encoder.layer.*.";

        // NoNorm and LayerNorm both hold a weight and a bias of the normalised width.
        var b = new InventoryBuilder()
            .Embedding("embeddings.word_embeddings", TensorRole.TokenEmbedding, vocab, embedding)
            .Embedding("embeddings.position_embeddings", TensorRole.PositionEmbedding, positions, hidden);
        if (types > 0)
        {
            b.Embedding("embeddings.token_type_embeddings", TensorRole.TokenTypeEmbedding, types, hidden);
        }

        b.Linear("embeddings.embedding_transformation", TensorRole.EmbeddingProjection, TensorPart.Embeddings, embedding * (trigram ? 3L : 1L), hidden, 1, bias: true)
            .Norm("embeddings.LayerNorm", TensorPart.Embeddings, hidden, 1, bias: true)
            .Linear(L + "attention.self.query", TensorRole.AttentionQuery, TensorPart.Blocks, inner, allHeads, layers, bias: true)
            .Linear(L + "attention.self.key", TensorRole.AttentionKey, TensorPart.Blocks, inner, allHeads, layers, bias: true)
            .Linear(L + "attention.self.value", TensorRole.AttentionValue, TensorPart.Blocks, valueIn, allHeads, layers, bias: true)
            .Linear(L + "attention.output.dense", TensorRole.AttentionOutput, TensorPart.Blocks, inner, inner, layers, bias: true)
            .Norm(L + "attention.output.LayerNorm", TensorPart.Blocks, inner, layers, bias: true)
            .Linear(L + "intermediate.dense", TensorRole.FeedForwardUp, TensorPart.Blocks, inner, ffn, layers, bias: true)
            .Linear(L + "output.dense", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, inner, layers, bias: true)
            .Norm(L + "output.LayerNorm", TensorPart.Blocks, inner, layers, bias: true);
        if (useBottleneck)
        {
            b.Linear(L + "output.bottleneck.dense", TensorRole.Bottleneck, TensorPart.Blocks, inner, hidden, layers, bias: true)
                .Norm(L + "output.bottleneck.LayerNorm", TensorPart.Blocks, hidden, layers, bias: true)
                .Linear(L + "bottleneck.input.dense", TensorRole.Bottleneck, TensorPart.Blocks, hidden, intra, layers, bias: true)
                .Norm(L + "bottleneck.input.LayerNorm", TensorPart.Blocks, intra, layers, bias: true);
            if (sharedBottleneck)
            {
                b.Linear(L + "bottleneck.attention.dense", TensorRole.Bottleneck, TensorPart.Blocks, hidden, intra, layers, bias: true)
                    .Norm(L + "bottleneck.attention.LayerNorm", TensorPart.Blocks, intra, layers, bias: true);
            }
        }

        if (ffnCount > 1)
        {
            long stacked = (long)layers * (ffnCount - 1);
            b.Linear(L + "ffn.*.intermediate.dense", TensorRole.FeedForwardUp, TensorPart.Blocks, inner, ffn, stacked, bias: true)
                .Linear(L + "ffn.*.output.dense", TensorRole.FeedForwardDown, TensorPart.Blocks, ffn, inner, stacked, bias: true)
                .Norm(L + "ffn.*.output.LayerNorm", TensorPart.Blocks, inner, stacked, bias: true);
        }

        if (classifierActivation)
        {
            b.Linear("pooler.dense", TensorRole.Pooler, TensorPart.Head, hidden, hidden, 1, bias: true);
        }

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
            EmbeddingSize = embedding,
            MaxPositions = positions,
            PositionEncoding = PositionEncoding.Learned,
        };
        return new ImportedModel("mobilebert", architecture, b.Build());
    }
}
