using ModelSelection.Models;

namespace ModelSelection.Internal;

/// <summary>
/// The per-model sums every estimate needs, read once from the tensor inventory so that estimating is O(1)
/// arithmetic without allocation.
/// </summary>
internal sealed class ModelAggregates
{
    public ModelAggregates(ModelArchitecture a, TensorInventory inventory)
    {
        foreach (var g in inventory.Groups)
        {
            var stored = g.Parameters;
            if (g.Kind == TensorKind.EmbeddingTable || g.Role == TensorRole.LanguageModelHead)
            {
                SixteenBitParameters += stored; // embeddings and the head stay at 16 bits under weight quantisation
            }
            else
            {
                QuantizableParameters += stored;
            }

            if (g.Role is TensorRole.ExpertUp or TensorRole.ExpertGate or TensorRole.ExpertDown)
            {
                ExpertParameters += stored;
            }

            var flops = g.FlopsPerToken;
            if (g.Role == TensorRole.Pooler)
            {
                PoolerFlopsPerSequence += flops;
            }
            else if (g.Role is TensorRole.CrossAttentionKey or TensorRole.CrossAttentionValue)
            {
                CrossKeyValueFlopsPerInputToken += flops;
            }
            else if (g.Part == TensorPart.Head)
            {
                HeadFlopsPerToken += flops;
            }
            else if (g.Part == TensorPart.DecoderBlocks)
            {
                DecoderFlopsPerToken += flops;
            }
            else
            {
                BlockFlopsPerToken += flops;
            }
        }

        Kind = a.Kind;
        Layers = a.Layers;
        DecoderLayers = a.DecoderLayers;
        Hidden = a.HiddenSize;
        Heads = a.AttentionHeads;
        KeyValueHeads = a.KeyValueHeads;
        HeadDimension = a.HeadDimension;
        FeedForward = (long)a.FeedForwardSize * Math.Max(1, a.ExpertsPerToken);
        Vocabulary = a.VocabularySize;
        Window = a.SlidingWindow;
        MemoryLength = a.MemoryLength;
        Experts = a.Experts;
        ExpertsPerToken = a.ExpertsPerToken;
        TotalParameters = inventory.TotalParameters.Count;
        NormsPerLayer = a.Kind == ModelKind.EncoderDecoder ? 3 : 2;

        // Weight bytes for every format, with and without 16-bit embeddings: estimates look them up.
        _weightBytes = new long[NumericPrecision.Count];
        _weightBytesEmbeddings16 = new long[NumericPrecision.Count];
        foreach (var precision in NumericPrecision.All)
        {
            _weightBytes[precision.Code] = precision.GetWeightBytes(inventory.TotalParameters);
            _weightBytesEmbeddings16[precision.Code] = checked(precision.GetWeightBytes(ParameterCount.FromCount(QuantizableParameters)) + NumericPrecision.Fp16.GetWeightBytes(ParameterCount.FromCount(SixteenBitParameters)));
        }
    }

    private readonly long[] _weightBytes;
    private readonly long[] _weightBytesEmbeddings16;

    /// <summary>Gets the weight bytes in a format; embeddings and the head at 16 bits when <paramref name="embeddingsAt16Bit"/>.</summary>
    public long WeightBytes(NumericPrecision precision, bool embeddingsAt16Bit) =>
        embeddingsAt16Bit ? _weightBytesEmbeddings16[precision.Code] : _weightBytes[precision.Code];

    public ModelKind Kind { get; }

    public int Layers { get; }

    public int DecoderLayers { get; }

    public long Hidden { get; }

    public long Heads { get; }

    public long KeyValueHeads { get; }

    public long HeadDimension { get; }

    public long FeedForward { get; }

    public long Vocabulary { get; }

    public int? Window { get; }

    public int MemoryLength { get; }

    public int Experts { get; }

    public int ExpertsPerToken { get; }

    public long TotalParameters { get; }

    public long SixteenBitParameters { get; }

    public long QuantizableParameters { get; }

    public long ExpertParameters { get; }

    public double BlockFlopsPerToken { get; }

    public double DecoderFlopsPerToken { get; }

    public double CrossKeyValueFlopsPerInputToken { get; }

    public double HeadFlopsPerToken { get; }

    public double PoolerFlopsPerSequence { get; }

    public int NormsPerLayer { get; }

    /// <summary>Layers whose self-attention keeps a KV cache while generating.</summary>
    public int GeneratingLayers => Kind == ModelKind.EncoderDecoder ? DecoderLayers : Layers;
}
