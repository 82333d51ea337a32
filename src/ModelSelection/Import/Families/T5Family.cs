using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// T5 as <c>T5ForConditionalGeneration</c>: a shared token embedding, encoder and decoder stacks without biases,
/// RMS-style LayerNorms (a scale only), a relative attention bias table in the first self-attention of each stack,
/// cross-attention in the decoder, a plain (ReLU) or gated (<c>gated-gelu</c>) feed-forward, and an LM head tied to
/// the shared embedding unless <c>tie_word_embeddings</c> is false. Source: transformers <c>models/t5/modeling_t5.py</c>.
/// </summary>
internal static class T5Family
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var model = config.RequiredPositive("d_model");
        var kvWidth = config.RequiredPositive("d_kv");
        var ffn = config.RequiredPositive("d_ff");
        var layers = config.RequiredPositive("num_layers");
        var decoderLayers = config.Positive("num_decoder_layers", layers);
        var heads = config.RequiredPositive("num_heads");
        var buckets = config.Positive("relative_attention_num_buckets", 32);
        var projection = config.String("feed_forward_proj") ?? "relu";
        var parts = projection.Split('-');
        var gated = parts.Length == 2 && parts[0] == "gated";
        if (!(parts.Length == 1 || gated) || parts[^1].Length == 0)
        {
            throw config.Error("feed_forward_proj", $"expected an activation such as \"relu\" or \"gated-gelu\"; found \"{projection}\"");
        }

        var tied = config.Bool("tie_word_embeddings", true);
        long inner = (long)heads * kvWidth;
        var b = new InventoryBuilder().Embedding("shared", TensorRole.TokenEmbedding, vocab, model);
        AddStack(b, "encoder", TensorPart.Blocks, layers, model, inner, ffn, heads, buckets, gated, cross: false);
        AddStack(b, "decoder", TensorPart.DecoderBlocks, decoderLayers, model, inner, ffn, heads, buckets, gated, cross: true);
        b.LanguageModelHead(model, vocab, tied, "shared");

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.EncoderDecoder,
            Layers = layers,
            DecoderLayers = decoderLayers,
            HiddenSize = model,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = kvWidth,
            FeedForwardSize = ffn,
            GatedFeedForward = gated,
            VocabularySize = vocab,
            EmbeddingSize = model,
            PositionEncoding = PositionEncoding.RelativeBias,
            TiedEmbeddings = tied,
        };
        return new ImportedModel("t5", architecture, b.Build());
    }

    private static void AddStack(InventoryBuilder b, string prefix, TensorPart part, int layers, long model, long inner, long ffn, int heads, int buckets, bool gated, bool cross)
    {
        var block = prefix + ".block.*.layer.";
        b.Linear(block + "0.SelfAttention.q", TensorRole.AttentionQuery, part, model, inner, layers, bias: false)
            .Linear(block + "0.SelfAttention.k", TensorRole.AttentionKey, part, model, inner, layers, bias: false)
            .Linear(block + "0.SelfAttention.v", TensorRole.AttentionValue, part, model, inner, layers, bias: false)
            .Linear(block + "0.SelfAttention.o", TensorRole.AttentionOutput, part, inner, model, layers, bias: false)
            .Parameter(prefix + ".block.0.layer.0.SelfAttention.relative_attention_bias.weight", TensorRole.RelativePosition, part, buckets, heads, 1)
            .Norm(block + "0.layer_norm", part, model, layers, bias: false);
        var ff = block + "1.";
        if (cross)
        {
            b.Linear(block + "1.EncDecAttention.q", TensorRole.CrossAttentionQuery, part, model, inner, layers, bias: false)
                .Linear(block + "1.EncDecAttention.k", TensorRole.CrossAttentionKey, part, model, inner, layers, bias: false)
                .Linear(block + "1.EncDecAttention.v", TensorRole.CrossAttentionValue, part, model, inner, layers, bias: false)
                .Linear(block + "1.EncDecAttention.o", TensorRole.CrossAttentionOutput, part, inner, model, layers, bias: false)
                .Norm(block + "1.layer_norm", part, model, layers, bias: false);
            ff = block + "2.";
        }

        if (gated)
        {
            b.Linear(ff + "DenseReluDense.wi_0", TensorRole.FeedForwardGate, part, model, ffn, layers, bias: false)
                .Linear(ff + "DenseReluDense.wi_1", TensorRole.FeedForwardUp, part, model, ffn, layers, bias: false);
        }
        else
        {
            b.Linear(ff + "DenseReluDense.wi", TensorRole.FeedForwardUp, part, model, ffn, layers, bias: false);
        }

        b.Linear(ff + "DenseReluDense.wo", TensorRole.FeedForwardDown, part, ffn, model, layers, bias: false)
            .Norm(ff + "layer_norm", part, model, layers, bias: false)
            .Norm(prefix + ".final_layer_norm", part, model, 1, bias: false);
    }
}
