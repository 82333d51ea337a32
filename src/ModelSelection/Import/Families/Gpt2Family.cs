using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// GPT-2 as <c>GPT2LMHeadModel</c>: learned positions, fused <c>c_attn</c> (Conv1D, biases everywhere), LayerNorms,
/// LM head tied to <c>wte</c> unless <c>tie_word_embeddings</c> is false; <c>n_inner</c> absent means 4 × hidden.
/// The causal-mask buffers are not parameters. Source: transformers <c>models/gpt2/modeling_gpt2.py</c>.
/// </summary>
internal static class Gpt2Family
{
    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size");
        var hidden = config.RequiredPositive("n_embd", "hidden_size");
        var layers = config.RequiredPositive("n_layer", "num_hidden_layers");
        var heads = config.RequiredPositive("n_head", "num_attention_heads");
        var positions = config.Positive("n_positions", 1024, "max_position_embeddings");
        var inner = config.Positive("n_inner", 4 * hidden);
        var tied = config.Bool("tie_word_embeddings", true);
        var headDim = FamilyRules.EvenHeads(config, hidden, heads, "n_embd", "n_head");

        const string L = "transformer.h.*.";
        var b = new InventoryBuilder()
            .Embedding("transformer.wte", TensorRole.TokenEmbedding, vocab, hidden)
            .Embedding("transformer.wpe", TensorRole.PositionEmbedding, positions, hidden)
            .Norm(L + "ln_1", TensorPart.Blocks, hidden, layers, bias: true)
            .Linear(L + "attn.c_attn", TensorRole.AttentionQueryKeyValue, TensorPart.Blocks, hidden, 3L * hidden, layers, bias: true)
            .Linear(L + "attn.c_proj", TensorRole.AttentionOutput, TensorPart.Blocks, hidden, hidden, layers, bias: true)
            .Norm(L + "ln_2", TensorPart.Blocks, hidden, layers, bias: true)
            .Linear(L + "mlp.c_fc", TensorRole.FeedForwardUp, TensorPart.Blocks, hidden, inner, layers, bias: true)
            .Linear(L + "mlp.c_proj", TensorRole.FeedForwardDown, TensorPart.Blocks, inner, hidden, layers, bias: true)
            .Norm("transformer.ln_f", TensorPart.Blocks, hidden, 1, bias: true);
        b.LanguageModelHead(hidden, vocab, tied, "transformer.wte");

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Decoder,
            Layers = layers,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = headDim,
            FeedForwardSize = inner,
            VocabularySize = vocab,
            EmbeddingSize = hidden,
            MaxPositions = positions,
            PositionEncoding = PositionEncoding.Learned,
            TiedEmbeddings = tied,
        };
        return new ImportedModel("gpt2", architecture, b.Build());
    }
}
