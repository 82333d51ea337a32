namespace ModelSelection.Models;

/// <summary>What a group of tensors does in the model; estimators read FLOPs, bytes and KV sizes by role.</summary>
public enum TensorRole
{
    /// <summary>The token embedding table (or, for adaptive embeddings, one of its clusters).</summary>
    TokenEmbedding = 0,

    /// <summary>A learned position embedding table.</summary>
    PositionEmbedding = 1,

    /// <summary>BERT's token-type (segment) embedding table.</summary>
    TokenTypeEmbedding = 2,

    /// <summary>A projection between the embedding width and the hidden width (ALBERT, MobileBERT, adaptive embeddings).</summary>
    EmbeddingProjection = 3,

    /// <summary>A normalisation's scale or bias (LayerNorm, RMSNorm, MobileBERT's NoNorm).</summary>
    Normalization = 4,

    /// <summary>The attention query projection.</summary>
    AttentionQuery = 5,

    /// <summary>The attention key projection.</summary>
    AttentionKey = 6,

    /// <summary>The attention value projection.</summary>
    AttentionValue = 7,

    /// <summary>A fused query-key-value projection (GPT-2 <c>c_attn</c>, Phi-3 <c>qkv_proj</c>, Falcon).</summary>
    AttentionQueryKeyValue = 8,

    /// <summary>The attention output projection.</summary>
    AttentionOutput = 9,

    /// <summary>Cross-attention's query projection (decoder of an encoder-decoder).</summary>
    CrossAttentionQuery = 10,

    /// <summary>Cross-attention's key projection (applied to the encoder's output).</summary>
    CrossAttentionKey = 11,

    /// <summary>Cross-attention's value projection (applied to the encoder's output).</summary>
    CrossAttentionValue = 12,

    /// <summary>Cross-attention's output projection.</summary>
    CrossAttentionOutput = 13,

    /// <summary>Relative-position parameters: T5's bias table, Transformer-XL's position projection and biases.</summary>
    RelativePosition = 14,

    /// <summary>The feed-forward up projection (or, for gated FFNs, the up half).</summary>
    FeedForwardUp = 15,

    /// <summary>The feed-forward gate projection of a gated (SwiGLU, GeGLU) FFN.</summary>
    FeedForwardGate = 16,

    /// <summary>A fused gate-and-up projection (Phi-3 <c>gate_up_proj</c>).</summary>
    FeedForwardGateUp = 17,

    /// <summary>The feed-forward down projection.</summary>
    FeedForwardDown = 18,

    /// <summary>MobileBERT's bottleneck projections between the block width and the inner width.</summary>
    Bottleneck = 19,

    /// <summary>A mixture-of-experts router.</summary>
    Router = 20,

    /// <summary>An expert's up projection.</summary>
    ExpertUp = 21,

    /// <summary>An expert's gate projection.</summary>
    ExpertGate = 22,

    /// <summary>An expert's down projection.</summary>
    ExpertDown = 23,

    /// <summary>The encoder's pooler (BERT-style <c>[CLS]</c> dense layer).</summary>
    Pooler = 24,

    /// <summary>The language-model head (or adaptive-softmax output layers) that produces logits.</summary>
    LanguageModelHead = 25,
}
