namespace ModelSelection.Models;

/// <summary>
/// The shape of a transformer as estimators need it: stacks, widths, heads, feed-forward, vocabulary, positions,
/// mixture of experts, attention window. The exact tensors live in the <see cref="TensorInventory"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="HeadDimension"/> is the config's <c>head_dim</c> when present (Gemma: 256 with 8 × 256 ≠ 2048), else
/// hidden ÷ heads. <see cref="KeyValueHeads"/> equals <see cref="AttentionHeads"/> for multi-head attention, is
/// smaller for grouped-query attention and 1 for multi-query attention. The KV cache of a decoder holds
/// 2 · layers · KV heads · head dimension values per token, capped at <see cref="SlidingWindow"/> tokens when set.
/// </para>
/// <para>This type is immutable and thread-safe; <c>with</c> expressions derive variants.</para>
/// </remarks>
public sealed record ModelArchitecture
{
    /// <summary>Gets encoder, decoder or encoder-decoder.</summary>
    public required ModelKind Kind { get; init; }

    /// <summary>Gets the transformer blocks (of the encoder, for an encoder-decoder).</summary>
    public required int Layers { get; init; }

    /// <summary>Gets the decoder blocks of an encoder-decoder; 0 otherwise.</summary>
    public int DecoderLayers { get; init; }

    /// <summary>Gets the width of the residual stream (<c>hidden_size</c>, <c>d_model</c>, <c>n_embd</c>).</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Gets the attention (query) heads per layer.</summary>
    public required int AttentionHeads { get; init; }

    /// <summary>Gets the key/value heads per layer: equal to the heads (MHA), fewer (GQA) or 1 (MQA).</summary>
    public required int KeyValueHeads { get; init; }

    /// <summary>Gets the width of one attention head.</summary>
    public required int HeadDimension { get; init; }

    /// <summary>Gets the feed-forward inner width (per expert for a mixture of experts).</summary>
    public required int FeedForwardSize { get; init; }

    /// <summary>Gets whether the feed-forward is gated (SwiGLU, GeGLU: three matrices instead of two).</summary>
    public bool GatedFeedForward { get; init; }

    /// <summary>Gets the vocabulary size.</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Gets the width of the token embeddings when it differs from the hidden size (ALBERT 128, MobileBERT 128); else the hidden size.</summary>
    public int EmbeddingSize { get; init; }

    /// <summary>Gets the longest sequence the model was built for (<c>max_position_embeddings</c>, <c>n_positions</c>); 0 when unbounded.</summary>
    public int MaxPositions { get; init; }

    /// <summary>Gets how positions are encoded.</summary>
    public PositionEncoding PositionEncoding { get; init; }

    /// <summary>Gets the fraction of each head that rotary embeddings rotate (1 for full RoPE, 0.4 for Phi-2; 0 when not rotary).</summary>
    public double RotaryFraction { get; init; }

    /// <summary>Gets whether the language-model head shares the token embedding matrix.</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>Gets the experts per layer of a mixture of experts; 0 for a dense model.</summary>
    public int Experts { get; init; }

    /// <summary>Gets the experts each token is routed to; 0 for a dense model.</summary>
    public int ExpertsPerToken { get; init; }

    /// <summary>Gets the sliding attention window in tokens, or <see langword="null"/> for full attention.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Gets whether attention and feed-forward run in parallel from one normalisation (Falcon, Phi, GPT-J).</summary>
    public bool ParallelAttentionAndFeedForward { get; init; }

    /// <summary>Gets the hidden states Transformer-XL keeps per layer from earlier segments (<c>mem_len</c>); 0 otherwise.</summary>
    public int MemoryLength { get; init; }

    /// <summary>Gets whether this is a mixture of experts.</summary>
    public bool IsMixtureOfExperts => Experts > 1;
}
