using ModelSelection.Gguf;

namespace ModelSelection.Internal;

/// <summary>
/// llama.cpp's per-tensor quantisation recipe (<c>src/llama-quant.cpp</c>: <c>llama_ftype_get_default_type</c>,
/// <c>llama_tensor_get_type_impl</c> and <c>tensor_type_fallback</c>, read at commit 007dbbf): which ggml type a file of
/// a given file type stores each tensor in. The mixes differ by tensor and layer — Q4_K_M keeps the value projections
/// and feed-forward downs of the first and last eighth of the layers and of every third layer between at Q6_K, and the
/// output at Q6_K — and rows whose length is not a multiple of the block fall back (Q4_K → Q5_0, Q6_K → Q8_0, …).
/// </summary>
/// <remarks>
/// Assumptions, as <c>llama-quantize</c> runs by default: no <c>--pure</c>, no per-tensor overrides, the output
/// quantised, and an importance matrix only for the types that demand one (IQ1, IQ2, IQ3_XXS); tensors the recipe
/// leaves alone keep the type of the converted checkpoint, F16 for matrices and F32 for vectors.
/// </remarks>
internal static class LlamaQuantRecipe
{
    /// <summary>The llama.cpp tensor categories the recipe distinguishes.</summary>
    internal enum Category
    {
        TokenEmbedding,
        AttentionQuery,
        AttentionKey,
        AttentionValue,
        AttentionQkv,
        AttentionOutput,
        FeedForwardUp,
        FeedForwardGate,
        FeedForwardDown,
        Output,
        Other,

        /// <summary>Not quantised by any recipe: norms, biases, position and token-type embeddings, routers, relative-position biases.</summary>
        Kept,
    }

    /// <summary>What of the model the recipe reads: its architecture name's effects, grouped-query ratio, experts, size class.</summary>
    internal readonly record struct Shape(bool Falcon, int GroupedQueryRatio, int Experts, bool Is70B, bool TiedEmbeddings, int Layers);

    // llama_ftype values.
    private const int F32 = 0, F16 = 1, Q40 = 2, Q41 = 3, Q80 = 7, Q50 = 8, Q51 = 9, Q2K = 10, Q3KS = 11, Q3KM = 12, Q3KL = 13, Q4KS = 14, Q4KM = 15,
        Q5KS = 16, Q5KM = 17, Q6K = 18, IQ2XXS = 19, IQ2XS = 20, Q2KS = 21, IQ3XS = 22, IQ3XXS = 23, IQ1S = 24, IQ4NL = 25, IQ3S = 26, IQ3M = 27,
        IQ2S = 28, IQ2M = 29, IQ4XS = 30, IQ1M = 31, BF16 = 32;

    /// <summary>The ggml type the file type stores most tensors in (<c>llama_ftype_get_default_type</c>).</summary>
    public static GgmlType DefaultType(int fileType) => fileType switch
    {
        F32 => GgmlType.F32,
        F16 => GgmlType.F16,
        BF16 => GgmlType.BF16,
        Q40 => GgmlType.Q4_0,
        Q41 => GgmlType.Q4_1,
        Q50 => GgmlType.Q5_0,
        Q51 => GgmlType.Q5_1,
        Q80 => GgmlType.Q8_0,
        Q2K or Q2KS => GgmlType.Q2_K,
        IQ3XS => GgmlType.IQ3_S,
        Q3KS or Q3KM or Q3KL => GgmlType.Q3_K,
        Q4KS or Q4KM => GgmlType.Q4_K,
        Q5KS or Q5KM => GgmlType.Q5_K,
        Q6K => GgmlType.Q6_K,
        IQ2XXS => GgmlType.IQ2_XXS,
        IQ2XS or IQ2S => GgmlType.IQ2_XS,
        IQ2M => GgmlType.IQ2_S,
        IQ3XXS => GgmlType.IQ3_XXS,
        IQ1S => GgmlType.IQ1_S,
        IQ1M => GgmlType.IQ1_M,
        IQ4NL => GgmlType.IQ4_NL,
        IQ4XS => GgmlType.IQ4_XS,
        IQ3S or IQ3M => GgmlType.IQ3_S,
        _ => throw new ArgumentOutOfRangeException(nameof(fileType), fileType, "Not a llama.cpp file type the recipe knows."),
    };

    /// <summary>The ggml type of one tensor: <paramref name="layer"/> is its block (0-based; -1 outside the blocks), <paramref name="columns"/> its row length (<c>ne[0]</c>), <paramref name="matrix"/> whether it has two or more dimensions.</summary>
    public static GgmlType TypeOf(int fileType, Category category, int layer, long columns, bool matrix, Shape shape)
    {
        if (!matrix)
        {
            return GgmlType.F32; // 1-D tensors stay F32 in converted checkpoints and are never quantised
        }

        var baseType = DefaultType(fileType);
        if (category == Category.Kept || !GgmlTypes.IsQuantized(baseType))
        {
            return baseType is GgmlType.F32 or GgmlType.BF16 ? baseType : GgmlType.F16;
        }

        var chosen = Choose(fileType, baseType, category, layer, columns, shape);
        return Fallback(chosen, columns);
    }

    private static bool UseMoreBits(int layer, int layers) => layer < layers / 8 || layer >= 7 * layers / 8 || (layer - (layers / 8)) % 3 == 2;

    private static GgmlType Choose(int ftype, GgmlType type, Category category, int i, long columns, Shape s)
    {
        var n = s.Layers;
        var gqa = s.GroupedQueryRatio;
        var imatrix = ftype is IQ1S or IQ1M or IQ2XXS or IQ2XS or IQ2S or IQ2M or IQ3XXS;
        var attnV = category is Category.AttentionValue or Category.AttentionQkv;
        if (category == Category.Output || (s.TiedEmbeddings && category == Category.TokenEmbedding))
        {
            if (s.Falcon || columns % GgmlTypes.BlockElements(type) != 0)
            {
                return GgmlType.Q8_0;
            }

            if (ftype is IQ2XXS or IQ2XS or IQ3XXS or IQ1S or IQ2S or IQ2M or IQ1M)
            {
                return GgmlType.Q5_K;
            }

            return type != GgmlType.Q8_0 ? GgmlType.Q6_K : type;
        }

        if (category == Category.TokenEmbedding)
        {
            return ftype switch
            {
                IQ2XXS or IQ2XS or IQ1S or IQ1M => GgmlType.Q2_K,
                IQ2S or IQ2M or IQ3XXS => GgmlType.IQ3_S,
                _ => type,
            };
        }

        if (ftype is IQ2XXS or IQ2XS or IQ1S or IQ2S or IQ2M or IQ1M)
        {
            if (attnV)
            {
                return gqa >= 4 || s.Experts >= 4 ? GgmlType.Q4_K : ftype is IQ2S or IQ2M ? GgmlType.IQ3_S : GgmlType.Q2_K;
            }

            if (s.Experts == 8 && category == Category.AttentionKey)
            {
                return GgmlType.Q4_K;
            }

            if (category == Category.FeedForwardDown)
            {
                return i < n / 8 ? (ftype is IQ2S or IQ2M ? GgmlType.IQ3_S : GgmlType.Q2_K) : type;
            }

            if (category == Category.AttentionOutput)
            {
                return s.Experts == 8 ? GgmlType.Q5_K
                    : ftype is IQ1S or IQ1M ? GgmlType.IQ2_XXS
                    : ftype is IQ2S or IQ2M ? GgmlType.IQ3_S
                    : type;
            }

            return type;
        }

        switch (category)
        {
            case Category.AttentionValue or Category.AttentionQkv:
                if (ftype == Q2K)
                {
                    type = gqa >= 4 ? GgmlType.Q4_K : GgmlType.Q3_K;
                }
                else if (ftype == Q2KS && gqa >= 4)
                {
                    type = GgmlType.Q4_K;
                }
                else if (ftype == IQ3XXS)
                {
                    type = gqa >= 4 ? GgmlType.Q4_K : !imatrix ? GgmlType.IQ3_S : GgmlType.IQ3_XXS;
                }
                else if (ftype is IQ3XS or IQ3S && gqa >= 4)
                {
                    type = GgmlType.Q4_K;
                }
                else if (ftype == IQ3M)
                {
                    type = GgmlType.Q4_K;
                }
                else if (ftype == Q3KM)
                {
                    type = i < 2 ? GgmlType.Q5_K : GgmlType.Q4_K;
                }
                else if (ftype == Q3KL)
                {
                    type = GgmlType.Q5_K;
                }
                else if (ftype is IQ4NL or IQ4XS && gqa >= 4)
                {
                    type = GgmlType.Q5_K;
                }
                else if (ftype is Q4KM or Q5KM && UseMoreBits(i, n))
                {
                    type = GgmlType.Q6_K;
                }
                else if (ftype == Q4KS && i < 4)
                {
                    type = GgmlType.Q5_K;
                }

                if (s.Is70B && type is GgmlType.Q3_K or GgmlType.Q4_K)
                {
                    type = GgmlType.Q5_K;
                }

                return s.Experts == 8 ? GgmlType.Q8_0 : type;
            case Category.AttentionKey:
                return s.Experts == 8 ? GgmlType.Q8_0 : ftype == IQ3XS ? GgmlType.IQ3_XXS : ftype == IQ3XXS ? GgmlType.IQ2_S : type;
            case Category.AttentionQuery:
                return ftype == IQ3XS ? GgmlType.IQ3_XXS : ftype == IQ3XXS ? GgmlType.IQ2_S : type;
            case Category.FeedForwardDown:
                return ftype switch
                {
                    Q2K => GgmlType.Q3_K,
                    Q2KS => i < n / 8 ? GgmlType.Q4_K : type,
                    IQ3XXS when !imatrix => i < n / 8 ? GgmlType.Q4_K : GgmlType.Q3_K,
                    Q3KM => i < n / 16 ? GgmlType.Q5_K : !s.Falcon || UseMoreBits(i, n) ? GgmlType.Q4_K : GgmlType.Q3_K,
                    IQ3M when i < n / 8 || (s.Experts == 8 && UseMoreBits(i, n)) => GgmlType.Q4_K,
                    Q3KL => s.Falcon ? GgmlType.Q4_K : GgmlType.Q5_K,
                    Q4KM => s.Falcon
                        ? (i < n / 16 ? GgmlType.Q6_K : UseMoreBits(i, n) ? GgmlType.Q5_K : GgmlType.Q4_K)
                        : (UseMoreBits(i, n) ? GgmlType.Q6_K : type),
                    IQ4NL or IQ4XS when i < n / 8 && !imatrix => GgmlType.Q5_K,
                    Q5KM when UseMoreBits(i, n) => GgmlType.Q6_K,
                    Q4KS when !s.Falcon && i < n / 8 => GgmlType.Q5_K,
                    _ => type,
                };
            case Category.AttentionOutput:
                if (!s.Falcon)
                {
                    if (s.Experts == 8)
                    {
                        return ftype is Q2K or IQ3XS or IQ3XXS or Q3KS or Q3KM or IQ4NL or Q4KS or Q4KM or IQ3S or IQ3M or IQ4XS ? GgmlType.Q5_K : type;
                    }

                    return ftype switch
                    {
                        Q2K => GgmlType.Q3_K,
                        IQ3XXS => GgmlType.IQ3_S,
                        Q3KM => GgmlType.Q4_K,
                        Q3KL => GgmlType.Q5_K,
                        IQ3M => GgmlType.Q4_K,
                        _ => type,
                    };
                }

                return ftype == Q3KL ? GgmlType.Q4_K : type;
            case Category.FeedForwardGate or Category.FeedForwardUp:
                return ftype == IQ3XS && i >= n / 8 && i < 7 * n / 8 ? GgmlType.IQ3_XXS : type;
            default:
                return type;
        }
    }

    /// <summary><c>tensor_type_fallback</c>: a row that does not fill whole blocks of the chosen type takes a type with 32-element blocks, or F16.</summary>
    private static GgmlType Fallback(GgmlType type, long columns)
    {
        if (columns % GgmlTypes.BlockElements(type) == 0)
        {
            return type;
        }

        var fallback = type switch
        {
            GgmlType.IQ1_S or GgmlType.IQ1_M or GgmlType.IQ2_XXS or GgmlType.IQ2_XS or GgmlType.IQ2_S or GgmlType.IQ3_XXS or GgmlType.IQ3_S or GgmlType.IQ4_XS => GgmlType.IQ4_NL,
            GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.TQ1_0 or GgmlType.TQ2_0 => GgmlType.Q4_0,
            GgmlType.Q4_K => GgmlType.Q5_0,
            GgmlType.Q5_K => GgmlType.Q5_1,
            GgmlType.Q6_K => GgmlType.Q8_0,
            _ => GgmlType.F16,
        };
        return columns % GgmlTypes.BlockElements(fallback) == 0 ? fallback : GgmlType.F16;
    }
}
