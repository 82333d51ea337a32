using ModelSelection.OnnxRuntime.Internal;

namespace ModelSelection.OnnxRuntime;

/// <summary>
/// The shape of a BERT-style transformer encoder that <see cref="GeneratedEncoder"/> writes: layers, hidden size,
/// attention heads, feed-forward width, and the sizes of the three embedding tables.
/// </summary>
/// <remarks>
/// <para>
/// Each property is checked when set. The rules that relate two properties are checked when the encoder is generated
/// (<see cref="GeneratedEncoder.Create"/>, <see cref="GeneratedEncoder.Write"/>), as an object initializer may set them
/// in any order: the vocabulary must be larger than <see cref="MaxPositions"/>, and the feed-forward width must differ
/// from the vocabulary. These rules, with the ones the constructor and the setters check (the feed-forward width differs
/// from the hidden size and from three times it, the head dimension is not 97, there are at least 97 positions), are
/// what lets ModelSelection's ONNX importer
/// (<c>OnnxModel.Read</c>) recover exactly this shape from the graph: it tells the embedding tables apart by their
/// row counts, the feed-forward from the attention projections by their widths, and finds attention scores at a
/// probe sequence length of 97.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed record EncoderShape
{
    /// <summary>The most layers: 128.</summary>
    public const int MaxLayers = 128;

    /// <summary>The largest hidden size: 32,768.</summary>
    public const int MaxHiddenSize = 32_768;

    /// <summary>The widest feed-forward layer: 131,072.</summary>
    public const int MaxFeedForwardSize = 131_072;

    /// <summary>The largest vocabulary: 1,000,000 tokens.</summary>
    public const int MaxVocabularySize = 1_000_000;

    /// <summary>The fewest positions: 97, the sequence length at which the ONNX importer probes the graph (a shorter position table could not run it).</summary>
    public const int MinMaxPositions = 97;

    /// <summary>The most positions: 131,072.</summary>
    public const int MaxMaxPositions = 131_072;

    /// <summary>Creates a shape; the embedding tables take BERT's sizes (30,522 tokens, 512 positions, 2 token types) unless set.</summary>
    /// <param name="layers">Transformer layers, 1 to <see cref="MaxLayers"/>.</param>
    /// <param name="hiddenSize">The hidden size, 1 to <see cref="MaxHiddenSize"/>.</param>
    /// <param name="attentionHeads">Attention heads: they divide <paramref name="hiddenSize"/>, and the head dimension (hidden ÷ heads) is not 97.</param>
    /// <param name="feedForwardSize">The feed-forward width, 1 to <see cref="MaxFeedForwardSize"/>, neither the hidden size nor three times it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">The heads do not divide the hidden size, the head dimension is 97, or the feed-forward width equals the hidden size or three times it.</exception>
    public EncoderShape(int layers, int hiddenSize, int attentionHeads, int feedForwardSize)
    {
        Layers = Guard.InRange(layers, 1, MaxLayers, "The layers of an encoder");
        HiddenSize = Guard.InRange(hiddenSize, 1, MaxHiddenSize, "The hidden size of an encoder");
        AttentionHeads = Guard.InRange(attentionHeads, 1, hiddenSize, "The attention heads of an encoder (at most the hidden size)");
        FeedForwardSize = Guard.InRange(feedForwardSize, 1, MaxFeedForwardSize, "The feed-forward size of an encoder");
        if (hiddenSize % attentionHeads != 0)
        {
            throw new ArgumentException(Guard.Invariant($"The attention heads must divide the hidden size; was {attentionHeads} heads for hidden size {hiddenSize}."), nameof(attentionHeads));
        }

        if (hiddenSize / attentionHeads == 97)
        {
            throw new ArgumentException(Guard.Invariant($"The head dimension (hidden size ÷ heads) must not be 97, the sequence length at which the ONNX importer finds attention scores; was {hiddenSize} ÷ {attentionHeads} = 97."), nameof(attentionHeads));
        }

        if (feedForwardSize == hiddenSize || feedForwardSize == 3L * hiddenSize)
        {
            throw new ArgumentException(Guard.Invariant($"The feed-forward size must differ from the hidden size and from three times it, so the ONNX importer tells the feed-forward from the attention projections; was {feedForwardSize} for hidden size {hiddenSize}."), nameof(feedForwardSize));
        }
    }

    /// <summary>Gets the transformer layers (1 to <see cref="MaxLayers"/>).</summary>
    public int Layers { get; }

    /// <summary>Gets the hidden size.</summary>
    public int HiddenSize { get; }

    /// <summary>Gets the attention heads; each has <see cref="HiddenSize"/> ÷ heads dimensions.</summary>
    public int AttentionHeads { get; }

    /// <summary>Gets the feed-forward width.</summary>
    public int FeedForwardSize { get; }

    /// <summary>Gets the rows of the token embedding: 2 to <see cref="MaxVocabularySize"/>, more than <see cref="MaxPositions"/> (checked on generation).</summary>
    /// <value>The default value is 30,522 (BERT's uncased WordPiece vocabulary).</value>
    public int VocabularySize { get => field; init => field = Guard.InRange(value, 2, MaxVocabularySize, "The vocabulary size of an encoder"); } = 30_522;

    /// <summary>Gets the rows of the learned position embedding, the longest sequence the encoder runs: <see cref="MinMaxPositions"/> to <see cref="MaxMaxPositions"/>.</summary>
    /// <value>The default value is 512.</value>
    public int MaxPositions { get => field; init => field = Guard.InRange(value, MinMaxPositions, MaxMaxPositions, "The positions of an encoder"); } = 512;

    /// <summary>Gets the rows of the token-type (segment) embedding: 1 to 63.</summary>
    /// <value>The default value is 2.</value>
    public int TypeVocabularySize { get => field; init => field = Guard.InRange(value, 1, 63, "The token types of an encoder"); } = 2;

    /// <summary>Gets the dimensions of one attention head: <see cref="HiddenSize"/> ÷ <see cref="AttentionHeads"/>.</summary>
    public int HeadDimension => HiddenSize / AttentionHeads;

    /// <summary>Returns the shape as text, e.g. <c>2 layers, hidden 64, 4 heads, feed-forward 256, vocabulary 30522, 512 positions, 2 token types</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Guard.Invariant(
        $"{Layers} layers, hidden {HiddenSize}, {AttentionHeads} heads, feed-forward {FeedForwardSize}, vocabulary {VocabularySize}, {MaxPositions} positions, {TypeVocabularySize} token types");

    /// <summary>Checks the rules that relate the properties (see the remarks).</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message states it and the values.</exception>
    internal void Validate(string paramName)
    {
        if (VocabularySize <= MaxPositions)
        {
            throw new ArgumentException(Guard.Invariant($"The vocabulary size must be larger than the positions, so the ONNX importer tells the token embedding from the position embedding; was {VocabularySize} tokens for {MaxPositions} positions."), paramName);
        }

        if (FeedForwardSize == VocabularySize)
        {
            throw new ArgumentException(Guard.Invariant($"The feed-forward size must differ from the vocabulary size, so the ONNX importer does not take the feed-forward for a language-model head; was {FeedForwardSize} for both."), paramName);
        }
    }

    /// <summary>The parameters by the BERT formula (embeddings, layers, pooler), for the size check.</summary>
    internal long ParameterCount()
    {
        long h = HiddenSize, ff = FeedForwardSize;
        var embeddings = ((long)VocabularySize + MaxPositions + TypeVocabularySize) * h + 2 * h;
        var layer = 4 * (h * h + h) + h * ff + ff + ff * h + h + 4 * h;
        return checked(embeddings + Layers * layer + h * h + h);
    }
}
