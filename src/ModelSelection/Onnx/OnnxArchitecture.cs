using System.Globalization;
using ModelSelection.Models;

namespace ModelSelection.Onnx;

/// <summary>
/// Recovers a transformer's architecture from an ONNX graph by its structure, not its tensor names: the token embedding is
/// the largest 2-D initializer a <c>Gather</c> reads; each layer has one attention-score product (a <c>MatMul</c> of two
/// computed tensors giving <c>[batch, heads, s, s]</c>, or an attention operator); the feed-forward width is the commonest
/// output of the <c>hidden → n</c> weight products.
/// </summary>
internal sealed class OnnxArchitecture
{
    /// <summary>The probe sequence length: a prime that no model dimension is likely to equal.</summary>
    public const int ProbeSequence = 97;

    private OnnxArchitecture(ModelArchitecture? architecture, string family, string? problem)
    {
        Architecture = architecture;
        Family = family;
        Problem = problem;
    }

    public ModelArchitecture? Architecture { get; }

    public string Family { get; }

    public string? Problem { get; }

    public static OnnxArchitecture Recover(OnnxGraph graph, string source)
    {
        var inference = OnnxShapeInference.Run(graph, 1, ProbeSequence);
        var parameters = graph.Initializers.Where(t => t.IsParameter).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tables = graph.Nodes.Where(n => n.OpType == "Gather" && n.Inputs.Length == 2 && parameters.TryGetValue(n.Inputs[0], out var t) && t.Dimensions.Length == 2)
            .Select(n => parameters[n.Inputs[0]]).DistinctBy(t => t.Name).OrderByDescending(t => t.Dimensions[0]).ToList();
        var missing = new List<string>();
        if (tables.Count == 0)
        {
            missing.Add("no token embedding (a Gather from a 2-D initializer)");
        }

        var vocab = tables.Count > 0 ? tables[0].Dimensions[0] : 0;
        var hidden = tables.Count > 0 ? tables[0].Dimensions[1] : 0;
        var weights = Weights(graph, parameters);
        var scores = inference.Counted.Where(c => c.Node.OpType == "MatMul" && c.Output.Length == 4 && c.Output[^1] == ProbeSequence && c.Output[^2] == ProbeSequence
            && !inference.IsInitializer(c.Node.Inputs[0]) && !inference.IsInitializer(c.Node.Inputs[1])).ToList();
        var fused = graph.Nodes.Where(n => n.OpType is "Attention" or "MultiHeadAttention" or "GroupQueryAttention" && n.Int("num_heads", 0) > 0).ToList();
        long layers = 0, heads = 0, headDim = 0;
        if (scores.Count > 0)
        {
            layers = scores.Count;
            heads = scores[0].Output[1];
            headDim = inference.ShapeOf(scores[0].Node.Inputs[0]) is { Length: 4 } q ? q[3] : 0;
        }
        else if (fused.Count > 0)
        {
            layers = fused.Count;
            heads = fused[0].Int("num_heads", 0);
            headDim = heads > 0 ? hidden / heads : 0;
        }
        else
        {
            missing.Add($"no attention (a MatMul of computed [batch, heads, s, d] × [batch, heads, d, s] tensors, or an Attention operator with num_heads)");
        }

        var ups = weights.Where(w => w.In == hidden && w.Out != hidden && w.Out != 3 * hidden && w.Out != vocab).ToList();
        var ff = ups.Count > 0 ? ups.GroupBy(w => w.Out).OrderByDescending(g => g.Count()).First().Key : 0;
        if (ff == 0 && hidden > 0)
        {
            missing.Add($"no feed-forward (a MatMul or Gemm of a [{hidden}, n] weight with n other than the hidden size)");
        }

        if (missing.Count > 0)
        {
            return new OnnxArchitecture(null, "onnx", "the architecture could not be recovered from the graph: " + string.Join("; ", missing));
        }

        var names = graph.Inputs.Select(i => i.Name).Concat(graph.Outputs.Select(o => o.Name)).ToList();
        var decoder = names.Any(n => n.Contains("past", StringComparison.OrdinalIgnoreCase) || n.Contains("present", StringComparison.OrdinalIgnoreCase));
        var kvHeads = heads;
        if (decoder && graph.Inputs.FirstOrDefault(i => i.Name.Contains("past", StringComparison.OrdinalIgnoreCase) && i.Dimensions is { Length: 4 }) is { Dimensions: { } past } && past[1].Value is > 0 and var kv && heads % kv == 0)
        {
            kvHeads = kv;
        }

        var position = tables.Skip(1).FirstOrDefault(t => t.Dimensions[0] >= 64);
        var tokenTypes = tables.Skip(1).FirstOrDefault(t => t.Dimensions[0] < 64);
        var upsPerLayer = ups.Count(w => w.Out == ff) / Math.Max(1, layers);
        var ownHead = weights.Any(w => w.Out == vocab && w.In == hidden);
        try
        {
            var architecture = new ModelArchitecture
            {
                Kind = decoder ? ModelKind.Decoder : ModelKind.Encoder,
                Layers = checked((int)layers),
                HiddenSize = checked((int)hidden),
                AttentionHeads = checked((int)heads),
                KeyValueHeads = checked((int)kvHeads),
                HeadDimension = checked((int)headDim),
                FeedForwardSize = checked((int)ff),
                GatedFeedForward = upsPerLayer >= 2,
                VocabularySize = checked((int)vocab),
                EmbeddingSize = checked((int)hidden),
                MaxPositions = position is null ? 0 : checked((int)Math.Min(position.Dimensions[0], ModelSpec.MaxContextLength)),
                PositionEncoding = position is null ? PositionEncoding.Rotary : PositionEncoding.Learned,
                RotaryFraction = position is null ? 1 : 0,
                TiedEmbeddings = decoder && !ownHead,
            };
            Internal.ArchitectureRules.Validate(architecture, source, nameof(architecture));
            return new OnnxArchitecture(architecture, !decoder && tokenTypes is not null && position is not null ? "bert" : "onnx", null);
        }
        catch (Exception exception) when (exception is OverflowException or ArgumentException)
        {
            return new OnnxArchitecture(null, "onnx", $"the architecture recovered from the graph is not valid (layers {layers}, hidden {hidden}, heads {heads}, head dimension {headDim}, feed-forward {ff}, vocabulary {vocab}): {exception.Message}");
        }
    }

    /// <summary>One tensor group per parameter initializer, classified by the node that reads it.</summary>
    public static ModelSpec BuildSpec(OnnxGraph graph, ModelArchitecture a, string id, string family)
    {
        var parameters = graph.Initializers.Where(t => t.IsParameter).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var inference = OnnxShapeInference.Run(graph, 1, ProbeSequence);
        var pooled = graph.Nodes.Where(n => n.OpType is "MatMul" or "Gemm" && n.Inputs.Length >= 2 && inference.ShapeOf(n.Inputs[0]) is { Length: 2 } x && x[0] == 1)
            .Select(n => n.Inputs[1]).ToHashSet(StringComparer.Ordinal);
        var weights = Weights(graph, parameters).DistinctBy(w => w.Name).ToDictionary(w => w.Name, StringComparer.Ordinal);
        var gathered = graph.Nodes.Where(n => n.OpType == "Gather" && n.Inputs.Length == 2).Select(n => n.Inputs[0]).ToHashSet(StringComparer.Ordinal);
        var groups = new List<TensorGroup>();
        var square = 0;
        foreach (var tensor in graph.Initializers.Concat(graph.SubgraphInitializers).Where(t => t.IsParameter && t.Elements > 0).DistinctBy(t => t.Name))
        {
            var dims = tensor.Dimensions;
            var rows = dims.Length == 0 ? 1 : dims[0];
            var columns = dims.Length == 0 ? 1 : tensor.Elements / dims[0];
            if (gathered.Contains(tensor.Name) && dims.Length == 2)
            {
                var role = dims[0] == a.VocabularySize && dims[1] == a.HiddenSize ? TensorRole.TokenEmbedding : dims[0] >= 64 ? TensorRole.PositionEmbedding : TensorRole.TokenTypeEmbedding;
                groups.Add(new TensorGroup(tensor.Name, role, TensorKind.EmbeddingTable, TensorPart.Embeddings, rows, columns, 1, 1));
            }
            else if (weights.TryGetValue(tensor.Name, out var w))
            {
                var role = pooled.Contains(tensor.Name) ? TensorRole.Pooler
                    : w.Out == a.VocabularySize ? TensorRole.LanguageModelHead
                    : w.In == a.HiddenSize && w.Out == a.FeedForwardSize ? TensorRole.FeedForwardUp
                    : w.In == a.FeedForwardSize && w.Out == a.HiddenSize ? TensorRole.FeedForwardDown
                    : w.In == a.HiddenSize && w.Out == 3L * a.HiddenSize ? TensorRole.AttentionQueryKeyValue
                    : w.In == w.Out ? (square++ % 4) switch { 0 => TensorRole.AttentionQuery, 1 => TensorRole.AttentionKey, 2 => TensorRole.AttentionValue, _ => TensorRole.AttentionOutput }
                    : TensorRole.Bottleneck;
                groups.Add(new TensorGroup(tensor.Name, role, TensorKind.LinearWeight, role is TensorRole.LanguageModelHead or TensorRole.Pooler ? TensorPart.Head : TensorPart.Blocks, w.Out, w.In, 1, 1));
            }
            else if (dims.Length <= 1)
            {
                groups.Add(new TensorGroup(tensor.Name, TensorRole.Normalization, TensorKind.NormalizationParameter, TensorPart.Blocks, rows, 1, 1, 1));
            }
            else
            {
                groups.Add(new TensorGroup(tensor.Name, TensorRole.RelativePosition, TensorKind.OtherParameter, TensorPart.Blocks, rows, columns, 1, 1));
            }
        }

        return new ModelSpec(id, family, a, new TensorInventory(groups), sources: [$"ONNX graph ({graph.Nodes.Length.ToString(CultureInfo.InvariantCulture)} nodes)"]);
    }

    /// <summary>The weight products: a MatMul whose second input, or a Gemm whose B, is a 2-D parameter initializer, as (name, in, out).</summary>
    private static List<(string Name, long In, long Out)> Weights(OnnxGraph graph, Dictionary<string, OnnxTensorInfo> parameters)
    {
        var result = new List<(string, long, long)>();
        foreach (var node in graph.Nodes)
        {
            if (node.Inputs.Length >= 2 && node.OpType is "MatMul" or "Gemm" && parameters.TryGetValue(node.Inputs[1], out var w) && w.Dimensions.Length == 2)
            {
                var transposed = node.OpType == "Gemm" && node.Int("transB", 0) != 0;
                result.Add((w.Name, transposed ? w.Dimensions[1] : w.Dimensions[0], transposed ? w.Dimensions[0] : w.Dimensions[1]));
            }
        }

        return result;
    }
}
