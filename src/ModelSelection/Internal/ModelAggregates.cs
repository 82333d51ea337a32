using ModelSelection.Models;
using System.Collections.Immutable;

namespace ModelSelection.Internal;

/// <summary>
/// The per-model sums every estimate needs, read once from the tensor inventory so that estimating is O(1)
/// arithmetic without allocation.
/// </summary>
internal sealed class ModelAggregates
{
    public ModelAggregates(ModelArchitecture a, TensorInventory inventory, string family = "", WeightStorage? storedWeights = null)
    {
        _inventory = inventory;
        _stored = storedWeights;
        _recipeShape = new LlamaQuantRecipe.Shape(
            Falcon: family == "falcon",
            GroupedQueryRatio: a.AttentionHeads / Math.Max(1, a.KeyValueHeads),
            Experts: a.Experts,
            Is70B: a.Layers == 80 && ((family is "llama" or "mistral" && a.KeyValueHeads != a.AttentionHeads) || family == "qwen2"),
            TiedEmbeddings: a.TiedEmbeddings || !inventory.Groups.Any(g => g.Role == TensorRole.LanguageModelHead && g.Instances > 0),
            Layers: a.Layers + a.DecoderLayers);
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
        // A tied head is a group without instances of its own: it multiplies by the token table.
        _headReadsTokenTable = inventory.Groups.Any(g => g.Role == TensorRole.LanguageModelHead && g.Instances == 0);
        foreach (var g in inventory.Groups)
        {
            if (g.Part is TensorPart.Embeddings && g.Instances > 0)
            {
                var elements = checked(g.ElementsPerInstance * g.Instances);
                _inputElements = checked(_inputElements + elements);
                _gatheredElements = IsGathered(g) ? checked(_gatheredElements + elements) : _gatheredElements;
            }
        }

        // Weight bytes for every format, with and without 16-bit embeddings: estimates look them up.
        _weightBytes = new long[NumericPrecision.Count];
        _weightBytesEmbeddings16 = new long[NumericPrecision.Count];
        // GGUF formats follow llama.cpp's per-tensor recipe (embeddings and head included), whatever the flag says; a
        // file's own format takes the file's bytes.
        _placements = new Placement?[NumericPrecision.Count];
        foreach (var precision in NumericPrecision.All)
        {
            if (storedWeights is not null && precision == storedWeights.Format)
            {
                _weightBytes[precision.Code] = _weightBytesEmbeddings16[precision.Code] = storedWeights.TotalBytes;
            }
            else if (precision.IsGgufQuantized)
            {
                // Computed on first use: the recipe walks every block of every group.
                _weightBytes[precision.Code] = _weightBytesEmbeddings16[precision.Code] = -1;
            }
            else
            {
                _weightBytes[precision.Code] = precision.GetWeightBytes(inventory.TotalParameters);
                _weightBytesEmbeddings16[precision.Code] = checked(precision.GetWeightBytes(ParameterCount.FromCount(QuantizableParameters)) + NumericPrecision.Fp16.GetWeightBytes(ParameterCount.FromCount(SixteenBitParameters)));
            }
        }
    }

    private readonly TensorInventory _inventory;
    private readonly bool _headReadsTokenTable;
    private readonly long _inputElements;
    private readonly long _gatheredElements;
    private readonly WeightStorage? _stored;
    private readonly LlamaQuantRecipe.Shape _recipeShape;
    private readonly long[] _weightBytes;
    private readonly long[] _weightBytesEmbeddings16;
    private readonly Placement?[] _placements;
    private SixteenBitEntry? _sixteenBitBox;

    /// <summary>Gets the weight bytes in a format; embeddings and the head at 16 bits when <paramref name="embeddingsAt16Bit"/> (not for GGUF formats, whose recipe decides).</summary>
    public long WeightBytes(NumericPrecision precision, bool embeddingsAt16Bit)
    {
        var bytes = embeddingsAt16Bit ? _weightBytesEmbeddings16[precision.Code] : _weightBytes[precision.Code];
        if (bytes >= 0)
        {
            return bytes;
        }

        // A GGUF recipe's total, once (a race computes the same value twice).
        bytes = PlacementOf(precision, false).Total;
        _weightBytes[precision.Code] = _weightBytesEmbeddings16[precision.Code] = bytes;
        return bytes;
    }

    /// <summary>
    /// Gets the bytes of the tables a pass only looks rows up in (<see cref="Placement.GatheredBytes"/>) without
    /// building a placement: the estimator asks for it on every estimate.
    /// </summary>
    public long GatheredBytes(NumericPrecision precision, bool embeddingsAt16Bit)
    {
        if (_gatheredElements == 0)
        {
            return 0;
        }

        if ((_stored is not null && precision == _stored.Format) || precision.IsGgufQuantized)
        {
            return PlacementOf(precision, false).GatheredBytes; // cached per format: neither path depends on the flag
        }

        var format = embeddingsAt16Bit && precision.BitsPerWeight < 16 ? NumericPrecision.Fp16 : precision;
        return format.GetWeightBytes(ParameterCount.FromCount(_gatheredElements));
    }

    /// <summary>
    /// Gets the bytes of a mixture's expert weights in a format: exact for the formats whose experts all take the format's
    /// bits (embeddings and head are never experts), their parameter share of the file's or recipe's bytes otherwise.
    /// </summary>
    public long ExpertBytes(NumericPrecision precision, bool embeddingsAt16Bit)
    {
        if (Experts <= 1 || ExpertParameters == 0)
        {
            return 0;
        }

        if ((_stored is not null && precision == _stored.Format) || precision.IsGgufQuantized)
        {
            return (long)((Int128)WeightBytes(precision, embeddingsAt16Bit) * ExpertParameters / Math.Max(1, TotalParameters));
        }

        return precision.GetWeightBytes(ParameterCount.FromCount(ExpertParameters));
    }

    /// <summary>Where the weight bytes of a format lie: before the blocks, in each block, after them (what layer offload moves).</summary>
    /// <param name="precision">The format.</param>
    /// <param name="embeddingsAt16Bit">Whether embeddings and the head stay at 16 bits (ignored for GGUF formats and a file's own format).</param>
    /// <returns>The placement; its total equals <see cref="WeightBytes"/>.</returns>
    public Placement PlacementOf(NumericPrecision precision, bool embeddingsAt16Bit)
    {
        if (_stored is not null && precision == _stored.Format)
        {
            // A file records bytes per place, not per tensor: the tables' share of its input bytes is their share of the
            // input elements (the tables and the few small tensors beside them share a format in practice).
            return _placements[precision.Code] ??= new Placement(_stored.InputBytes, [.. _stored.LayerBytes], _stored.OutputBytes,
                _inputElements == 0 ? 0 : (long)((Int128)_stored.InputBytes * _gatheredElements / _inputElements));
        }

        var sixteen = embeddingsAt16Bit && !precision.IsGgufQuantized && precision.BitsPerWeight < 16;
        if (!sixteen)
        {
            return _placements[precision.Code] ??= Compute(precision, false);
        }

        // One cached entry for the last format asked with 16-bit embeddings; a boxed tuple, so code and placement are
        // read and written together.
        if (Volatile.Read(ref _sixteenBitBox) is { } box && box.Code == precision.Code)
        {
            return box.Placement;
        }

        var placement = Compute(precision, true);
        Volatile.Write(ref _sixteenBitBox, new SixteenBitEntry(precision.Code, placement));
        return placement;
    }

    private Placement Compute(NumericPrecision precision, bool sixteen)
    {
        var layers = Math.Max(1, Layers + DecoderLayers);
        var perLayer = new long[layers];
        long input = 0, output = 0, gathered = 0;
        var recipe = precision.IsGgufQuantized ? precision.GgufFileType : null;
        foreach (var g in _inventory.Groups)
        {
            if (g.Instances == 0)
            {
                continue;
            }

            var category = CategoryOf(g);
            long BytesOf(int layer)
            {
                if (recipe is { } fileType)
                {
                    var type = LlamaQuantRecipe.TypeOf(fileType, category, layer, g.Columns, g.Columns > 1, _recipeShape);
                    return Gguf.GgmlTypes.Bytes(type, g.ElementsPerInstance);
                }

                var format = sixteen && (g.Kind == TensorKind.EmbeddingTable || g.Role == TensorRole.LanguageModelHead) ? NumericPrecision.Fp16 : precision;
                return format.GetWeightBytes(ParameterCount.FromCount(g.ElementsPerInstance));
            }

            var decoder = g.Part == TensorPart.DecoderBlocks;
            var stack = decoder ? DecoderLayers : Layers;
            var first = decoder ? Layers : 0;
            if (g.Part is TensorPart.Embeddings)
            {
                var bytes = checked(BytesOf(-1) * g.Instances);
                input = checked(input + bytes);
                gathered = IsGathered(g) ? checked(gathered + bytes) : gathered;
            }
            else if (g.Part is TensorPart.Head || stack == 0 || (g.Instances == 1 && stack > 1))
            {
                output = checked(output + (BytesOf(-1) * g.Instances));
            }
            else if (g.Instances % stack == 0)
            {
                var each = g.Instances / stack;
                for (var i = 0; i < stack; i++)
                {
                    perLayer[first + i] = checked(perLayer[first + i] + (BytesOf(i) * each));
                }
            }
            else
            {
                for (long k = 0; k < g.Instances; k++)
                {
                    var layer = (int)(k * stack / g.Instances);
                    perLayer[first + layer] = checked(perLayer[first + layer] + BytesOf(layer));
                }
            }
        }

        return new Placement(input, [.. perLayer], output, gathered);
    }

    /// <summary>
    /// Whether a pass reads only the looked-up rows of a group: an embedding table before the blocks, unless it is the
    /// token table of a model whose tied language-model head multiplies by all of it (decoders and encoder–decoders
    /// with tied embeddings; an encoder computes no head).
    /// </summary>
    private bool IsGathered(TensorGroup g) =>
        g.Part is TensorPart.Embeddings && g.Kind == TensorKind.EmbeddingTable
        && !(g.Role == TensorRole.TokenEmbedding && Kind != ModelKind.Encoder && _headReadsTokenTable);

    private static LlamaQuantRecipe.Category CategoryOf(TensorGroup g)
    {
        if (g.Kind is TensorKind.LinearBias or TensorKind.NormalizationParameter || g.Columns == 1)
        {
            return LlamaQuantRecipe.Category.Kept;
        }

        return g.Role switch
        {
            TensorRole.TokenEmbedding => LlamaQuantRecipe.Category.TokenEmbedding,
            TensorRole.PositionEmbedding or TensorRole.TokenTypeEmbedding or TensorRole.Router or TensorRole.RelativePosition => LlamaQuantRecipe.Category.Kept,
            TensorRole.AttentionQuery => LlamaQuantRecipe.Category.AttentionQuery,
            TensorRole.AttentionKey => LlamaQuantRecipe.Category.AttentionKey,
            TensorRole.AttentionValue => LlamaQuantRecipe.Category.AttentionValue,
            TensorRole.AttentionQueryKeyValue => LlamaQuantRecipe.Category.AttentionQkv,
            TensorRole.AttentionOutput => LlamaQuantRecipe.Category.AttentionOutput,
            TensorRole.FeedForwardUp or TensorRole.FeedForwardGateUp or TensorRole.ExpertUp => LlamaQuantRecipe.Category.FeedForwardUp,
            TensorRole.FeedForwardGate or TensorRole.ExpertGate => LlamaQuantRecipe.Category.FeedForwardGate,
            TensorRole.FeedForwardDown or TensorRole.ExpertDown => LlamaQuantRecipe.Category.FeedForwardDown,
            TensorRole.LanguageModelHead => LlamaQuantRecipe.Category.Output,
            _ when g.Kind == TensorKind.OtherParameter => LlamaQuantRecipe.Category.Kept,
            _ => LlamaQuantRecipe.Category.Other,
        };
    }

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

    /// <summary>A cached placement with the format it is for.</summary>
    private sealed record SixteenBitEntry(int Code, Placement Placement);

    /// <summary>Where a format's weight bytes lie.</summary>
    /// <param name="InputBytes">Before the first block (embeddings).</param>
    /// <param name="LayerBytes">Each block's.</param>
    /// <param name="OutputBytes">After the last block (final norm, head).</param>
    /// <param name="GatheredBytes">
    /// The part of <paramref name="InputBytes"/> a pass only looks rows up in: the embedding tables (token, position,
    /// token-type), less the token table when a tied language-model head multiplies by all of it.
    /// </param>
    internal sealed record Placement(long InputBytes, ImmutableArray<long> LayerBytes, long OutputBytes, long GatheredBytes = 0)
    {
        /// <summary>Gets Σ of every place.</summary>
        public long Total { get; } = checked(InputBytes + OutputBytes + LayerBytes.Sum());

        /// <summary>Gets Σ of the last <paramref name="count"/> blocks (llama.cpp offloads the last ones).</summary>
        public long LastLayers(int count)
        {
            long total = 0;
            for (var i = Math.Max(0, LayerBytes.Length - count); i < LayerBytes.Length; i++)
            {
                total += LayerBytes[i];
            }

            return total;
        }
    }
}
