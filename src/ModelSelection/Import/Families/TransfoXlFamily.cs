using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>
/// Transformer-XL as <c>TransfoXLLMHeadModel</c>: adaptive input embeddings (clusters of the vocabulary at
/// shrinking widths, each projected to <c>d_model</c>), relative-position attention with per-layer (untied) or
/// shared <c>r_w_bias</c>/<c>r_r_bias</c>, and a projected adaptive softmax whose output layers share the embedding
/// tables and projections as <c>tie_word_embeddings</c> and <c>tie_projs</c> say. Source: transformers
/// <c>models/deprecated/transfo_xl/modeling_transfo_xl.py</c> and <c>modeling_transfo_xl_utilities.py</c>.
/// </summary>
internal static class TransfoXlFamily
{
    /// <summary>The most adaptive-softmax cutoffs accepted (the released model has 3).</summary>
    public const int MaxClusters = 64;

    public static ImportedModel Read(ConfigReader config)
    {
        var vocab = config.RequiredPositive("vocab_size", "n_token");
        var model = config.RequiredPositive("d_model");
        var embed = config.Positive("d_embed", model);
        var heads = config.RequiredPositive("n_head");
        var headDim = config.RequiredPositive("d_head");
        var inner = config.RequiredPositive("d_inner");
        var layers = config.RequiredPositive("n_layer");
        var divVal = config.Positive("div_val", 4);
        var cutoffs = config.PositiveArray("cutoffs") ?? [20000, 40000, 200000];
        if (cutoffs.Length > MaxClusters)
        {
            // Each cluster is a tensor group; a config with millions of cutoffs describes no real model.
            throw config.Error("cutoffs", $"expected at most {MaxClusters} cutoffs; found {cutoffs.Length}");
        }
        var untieR = config.Bool("untie_r", true);
        var memory = config.NonNegative("mem_len", 1600);
        var tieWeights = config.Bool("tie_word_embeddings", true);
        var tieProjs = config.BoolArray("tie_projs")
            ?? (config.Bool("proj_share_all_but_first", true) ? [false, .. Enumerable.Repeat(true, cutoffs.Length)] : new bool[cutoffs.Length + 1]);
        if (config.Int("attn_type", 0) != 0)
        {
            throw config.Error("attn_type", $"only attn_type 0 (relative partial learnable attention, the one pretrained checkpoints use) is supported; found {config.Int("attn_type", 0)}");
        }

        if (config.Int("sample_softmax", -1) > 0)
        {
            throw config.Error("sample_softmax", "sampled softmax is not supported by transformers' TransfoXLLMHeadModel; expected -1");
        }

        for (var i = 0; i < cutoffs.Length; i++)
        {
            if (cutoffs[i] >= vocab || (i > 0 && cutoffs[i] <= cutoffs[i - 1]))
            {
                throw config.Error($"cutoffs[{i}]", $"expected strictly increasing cutoffs below the vocabulary size {vocab}; found {cutoffs[i]}");
            }
        }

        int[] ends = [0, .. cutoffs, vocab];
        var clusters = cutoffs.Length + 1;
        var b = new InventoryBuilder();

        // AdaptiveEmbedding (transformer.word_emb) and ProjectedAdaptiveLogSoftmax (crit).
        if (divVal == 1)
        {
            b.Embedding("transformer.word_emb.emb_layers.0", TensorRole.TokenEmbedding, vocab, embed);
            if (model != embed)
            {
                b.Parameter("transformer.word_emb.emb_projs.0", TensorRole.EmbeddingProjection, TensorPart.Embeddings, model, embed, 1);
            }

            AddHeadLayer(b, 0, vocab, embed, tieWeights);
            if (model != embed)
            {
                for (var i = 0; i < clusters; i++)
                {
                    var tied = i < tieProjs.Length && tieProjs[i];
                    b.Parameter($"crit.out_projs.{i}", TensorRole.LanguageModelHead, TensorPart.Head, model, embed, 1, tiedTo: tied ? "transformer.word_emb.emb_projs.0" : null);
                }
            }
        }
        else
        {
            for (var i = 0; i < clusters; i++)
            {
                var width = embed / Pow(divVal, i);
                if (width < 1)
                {
                    throw config.Error("div_val", $"d_embed ({embed}) ÷ div_val^{i} leaves no width for cluster {i}; expected a smaller div_val or fewer cutoffs");
                }

                var size = ends[i + 1] - ends[i];
                b.Embedding($"transformer.word_emb.emb_layers.{i}", TensorRole.TokenEmbedding, size, width)
                    .Parameter($"transformer.word_emb.emb_projs.{i}", TensorRole.EmbeddingProjection, TensorPart.Embeddings, model, width, 1);
                AddHeadLayer(b, i, size, width, tieWeights);
                var tied = i < tieProjs.Length && tieProjs[i];
                b.Parameter($"crit.out_projs.{i}", TensorRole.LanguageModelHead, TensorPart.Head, model, width, 1, tiedTo: tied ? $"transformer.word_emb.emb_projs.{i}" : null);
            }
        }

        if (cutoffs.Length > 0)
        {
            b.Parameter("crit.cluster_weight", TensorRole.LanguageModelHead, TensorPart.Head, cutoffs.Length, embed, 1)
                .Parameter("crit.cluster_bias", TensorRole.LanguageModelHead, TensorPart.Head, cutoffs.Length, 1, 1);
        }

        if (!untieR)
        {
            b.Parameter("transformer.r_w_bias", TensorRole.RelativePosition, TensorPart.Blocks, heads, headDim, 1, uses: layers)
                .Parameter("transformer.r_r_bias", TensorRole.RelativePosition, TensorPart.Blocks, heads, headDim, 1, uses: layers);
        }

        long attention = (long)heads * headDim;
        const string L = "transformer.layers.*.";
        b.Linear(L + "dec_attn.qkv_net", TensorRole.AttentionQueryKeyValue, TensorPart.Blocks, model, 3 * attention, layers, bias: false)
            .Linear(L + "dec_attn.r_net", TensorRole.RelativePosition, TensorPart.Blocks, model, attention, layers, bias: false)
            .Linear(L + "dec_attn.o_net", TensorRole.AttentionOutput, TensorPart.Blocks, attention, model, layers, bias: false)
            .Norm(L + "dec_attn.layer_norm", TensorPart.Blocks, model, layers, bias: true);
        if (untieR)
        {
            b.Parameter(L + "dec_attn.r_w_bias", TensorRole.RelativePosition, TensorPart.Blocks, heads, headDim, layers)
                .Parameter(L + "dec_attn.r_r_bias", TensorRole.RelativePosition, TensorPart.Blocks, heads, headDim, layers);
        }

        b.Linear(L + "pos_ff.CoreNet.0", TensorRole.FeedForwardUp, TensorPart.Blocks, model, inner, layers, bias: true)
            .Linear(L + "pos_ff.CoreNet.3", TensorRole.FeedForwardDown, TensorPart.Blocks, inner, model, layers, bias: true)
            .Norm(L + "pos_ff.layer_norm", TensorPart.Blocks, model, layers, bias: true);

        var architecture = new ModelArchitecture
        {
            Kind = ModelKind.Decoder,
            Layers = layers,
            HiddenSize = model,
            AttentionHeads = heads,
            KeyValueHeads = heads,
            HeadDimension = headDim,
            FeedForwardSize = inner,
            VocabularySize = vocab,
            EmbeddingSize = embed,
            PositionEncoding = PositionEncoding.RelativeSinusoidal,
            TiedEmbeddings = tieWeights,
            MemoryLength = memory,
        };
        return new ImportedModel("transfo-xl", architecture, b.Build());
    }

    private static void AddHeadLayer(InventoryBuilder b, int cluster, long size, long width, bool tied)
    {
        var name = $"crit.out_layers.{cluster}";
        if (tied)
        {
            b.TiedLinear(name, TensorRole.LanguageModelHead, TensorPart.Head, width, size, $"transformer.word_emb.emb_layers.{cluster}", bias: true);
        }
        else
        {
            b.Linear(name, TensorRole.LanguageModelHead, TensorPart.Head, width, size, 1, bias: true);
        }
    }

    private static int Pow(int value, int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent && result <= int.MaxValue; i++)
        {
            result *= value;
        }

        return result > int.MaxValue ? int.MaxValue : (int)result;
    }
}
