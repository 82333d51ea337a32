using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>
/// Propagates concrete shapes through a graph once its symbolic input dimensions are bound to a batch and a sequence
/// length, evaluating the small integer tensors that shape arithmetic uses (<c>Shape</c>, <c>Gather</c>, <c>Concat</c>,
/// <c>Unsqueeze</c>, constants), and counts the multiply-accumulate work of <c>MatMul</c>, <c>Gemm</c>, <c>Conv</c> and
/// attention operators: 2 FLOPs per multiply-add.
/// </summary>
internal sealed class OnnxShapeInference
{
    private const int MaxValueElements = 64;
    private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);

    private OnnxShapeInference()
    {
    }

    /// <summary>Gets the FLOPs counted, per node, in graph order.</summary>
    public List<(OnnxNode Node, long[] Output, double Flops)> Counted { get; } = [];

    /// <summary>Gets the compute nodes whose FLOPs could not be counted (unknown shapes, or control flow whose body is not counted).</summary>
    public List<OnnxNode> Uncounted { get; } = [];

    public double TotalFlops => Counted.Sum(c => c.Flops);

    public long[]? ShapeOf(string name) => _shapes.GetValueOrDefault(name);

    public bool IsInitializer(string name) => _initializers.Contains(name);

    /// <summary>How a symbolic input dimension is bound: <c>batch</c>, <c>sequence</c>, or 0 for a past length.</summary>
    public static long Bind(string? symbol, int axis, long batch, long sequence)
    {
        var s = symbol?.ToLowerInvariant() ?? string.Empty;
        return s.Contains("past", StringComparison.Ordinal) ? 0
            : s.Contains("batch", StringComparison.Ordinal) ? batch
            : s.Contains("seq", StringComparison.Ordinal) || s.Contains("len", StringComparison.Ordinal) || s.Contains("token", StringComparison.Ordinal) ? sequence
            : axis == 0 ? batch : sequence;
    }

    public static OnnxShapeInference Run(OnnxGraph graph, long batch, long sequence)
    {
        var inference = new OnnxShapeInference();
        foreach (var tensor in graph.Initializers)
        {
            inference._initializers.Add(tensor.Name);
            inference._shapes[tensor.Name] = [.. tensor.Dimensions];
        }

        foreach (var (name, values) in graph.InitializerValues)
        {
            inference._values[name] = [.. values];
        }

        foreach (var input in graph.Inputs)
        {
            if (inference._initializers.Contains(input.Name) || input.Dimensions is not { } dims)
            {
                continue;
            }

            inference._shapes[input.Name] = [.. dims.Select((d, axis) => d.Value ?? Bind(d.Symbol, axis, batch, sequence))];
        }

        foreach (var node in graph.Nodes)
        {
            inference.Visit(node);
        }

        return inference;
    }

    private void Visit(OnnxNode node)
    {
        long[]? In(int i) => i < node.Inputs.Length && node.Inputs[i].Length > 0 ? _shapes.GetValueOrDefault(node.Inputs[i]) : null;
        long[]? Value(int i) => i < node.Inputs.Length && node.Inputs[i].Length > 0 ? _values.GetValueOrDefault(node.Inputs[i]) : null;
        void Out(long[]? shape, long[]? value = null, int index = 0)
        {
            if (index < node.Outputs.Length && node.Outputs[index].Length > 0)
            {
                if (shape is not null && shape.All(d => d >= 0))
                {
                    _shapes[node.Outputs[index]] = shape;
                }

                if (value is not null && value.Length <= MaxValueElements)
                {
                    _values[node.Outputs[index]] = value;
                }
            }
        }

        var a = In(0);
        try
        {
            switch (node.OpType)
            {
                case "Constant" when node.Tensor is { } t:
                    Out([.. t.Dimensions], t.Values is { } v ? [.. v] : null);
                    break;
                case "Shape" when a is not null:
                    var start = Axis(node.Int("start", 0), a.Length + 1);
                    var end = Math.Max(start, Axis(node.Int("end", a.Length), a.Length + 1));
                    Out([end - start], a[start..end]);
                    break;
                case "Size" when a is not null:
                    Out([], [a.Aggregate(1L, (p, d) => checked(p * d))]);
                    break;
                case "Gather" when a is not null && In(1) is { } indices:
                    var axis = Axis(node.Int("axis", 0), a.Length);
                    Out([.. a[..axis], .. indices, .. a[(axis + 1)..]],
                        Value(0) is { } data && Value(1) is { } which && a.Length == 1
                            ? [.. which.Select(i => data[i < 0 ? i + data.Length : i])]
                            : null);
                    break;
                case "Unsqueeze" when a is not null && (node.IntLists.GetValueOrDefault("axes") is { IsDefault: false } listed ? [.. listed] : Value(1)) is { } axes:
                    var rank = a.Length + axes.Length;
                    var inserted = axes.Select(x => Axis(x, rank)).ToHashSet();
                    var shape = new long[rank];
                    for (int i = 0, j = 0; i < rank; i++)
                    {
                        shape[i] = inserted.Contains(i) ? 1 : a[j++];
                    }

                    Out(shape, Value(0));
                    break;
                case "Squeeze" when a is not null:
                    var squeezed = (node.IntLists.GetValueOrDefault("axes") is { IsDefault: false } sq ? [.. sq] : Value(1))?.Select(x => Axis(x, a.Length)).ToHashSet();
                    Out([.. a.Where((d, i) => squeezed is null ? d != 1 : !squeezed.Contains(i))], Value(0));
                    break;
                case "Concat":
                    var parts = Enumerable.Range(0, node.Inputs.Length).Select(In).ToList();
                    if (parts.All(p => p is not null) && parts.Count > 0)
                    {
                        var catAxis = Axis(node.Int("axis", 0), parts[0]!.Length);
                        var joined = (long[])parts[0]!.Clone();
                        joined[catAxis] = parts.Sum(p => p![catAxis]);
                        var values = Enumerable.Range(0, node.Inputs.Length).Select(Value).ToList();
                        Out(joined, joined.Length == 1 && values.All(v => v is not null) ? [.. values.SelectMany(v => v!)] : null);
                    }

                    break;
                case "Reshape" when a is not null && Value(1) is { } target:
                    Out(Reshape(a, target, node.Int("allowzero", 0) != 0), Value(0));
                    break;
                case "Flatten" when a is not null:
                    var flat = Axis(node.Int("axis", 1), a.Length + 1);
                    Out([a[..flat].Aggregate(1L, (p, d) => checked(p * d)), a[flat..].Aggregate(1L, (p, d) => checked(p * d))]);
                    break;
                case "Transpose" when a is not null:
                    var perm = node.IntLists.GetValueOrDefault("perm") is { IsDefault: false } p ? p.Select(x => (int)x).ToArray() : [.. Enumerable.Range(0, a.Length).Reverse()];
                    Out([.. perm.Select(i => a[i])]);
                    break;
                case "Slice" when a is not null:
                    Out(Slice(node, a, Value), a.Length == 1 && Value(0) is { } sliced && Slice(node, a, Value) is { } s1 ? Values1D(node, sliced, Value) : null);
                    break;
                case "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceProd" or "ReduceL2" or "ReduceSumSquare" when a is not null:
                    var reduce = (node.IntLists.GetValueOrDefault("axes") is { IsDefault: false } ra ? [.. ra] : Value(1))?.Select(x => Axis(x, a.Length)).ToHashSet()
                        ?? [.. Enumerable.Range(0, a.Length)];
                    Out(node.Int("keepdims", 1) != 0 ? [.. a.Select((d, i) => reduce.Contains(i) ? 1 : d)] : [.. a.Where((d, i) => !reduce.Contains(i))]);
                    break;
                case "MatMul" or "MatMulInteger" or "FusedMatMul" when a is not null && In(1) is { } b:
                    MatMul(node, a, b, Out);
                    break;
                case "Gemm" when a is not null && In(1) is { } gb && a.Length == 2 && gb.Length == 2:
                    var (m, k) = node.Int("transA", 0) != 0 ? (a[1], a[0]) : (a[0], a[1]);
                    var n = node.Int("transB", 0) != 0 ? gb[0] : gb[1];
                    Out([m, n]);
                    Counted.Add((node, [m, n], 2.0 * m * n * k));
                    break;
                case "Conv" when a is not null && In(1) is { } w && a.Length >= 3 && w.Length == a.Length:
                    Conv(node, a, w, Out);
                    break;
                case "Attention" when node.Domain == "com.microsoft" && a is { Length: 3 } && In(1) is { Length: 2 } qkv:
                    Out(a);
                    Counted.Add((node, a, (2.0 * a[0] * a[1] * qkv[0] * qkv[1]) + (4.0 * a[0] * a[1] * a[1] * (qkv[1] / 3))));
                    break;
                case "MultiHeadAttention" when node.Domain == "com.microsoft" && a is { Length: 3 }:
                    var keys = In(1) is { Length: >= 3 } kk ? kk[^2] : a[1];
                    Out(a);
                    Counted.Add((node, a, 4.0 * a[0] * a[1] * keys * a[2]));
                    break;
                case "Attention" when node.Domain.Length == 0 && a is { Length: 3 or 4 } && In(1) is { Length: 3 or 4 } k4 && In(2) is { Length: 3 or 4 } v4:
                    // ONNX Attention (opset 23): Q·Kᵀ and the weighted sum of V, each 2 FLOPs per multiply-add.
                    var qWidth = a.Length == 4 ? a[1] * a[3] : a[2];
                    var queries = a.Length == 4 ? a[2] : a[1];
                    var keyCount = k4.Length == 4 ? k4[2] : k4[1];
                    var vWidth = v4.Length == 4 ? v4[1] * v4[3] : v4[2];
                    Out(a.Length == 4 ? [a[0], a[1], a[2], v4.Length == 4 ? v4[3] : vWidth / a[1]] : [a[0], a[1], vWidth]);
                    Counted.Add((node, a, (2.0 * a[0] * queries * keyCount * qWidth) + (2.0 * a[0] * queries * keyCount * vWidth)));
                    break;
                case "ConstantOfShape" when Value(0) is { } dimsOf:
                    Out(dimsOf);
                    break;
                case "Expand" when a is not null && Value(1) is { } to:
                    Out(Broadcast(a, to));
                    break;
                case "Range" when Value(0) is [var from] && Value(1) is [var limit] && Value(2) is [var delta and not 0]:
                    var count = Math.Max(0, (long)Math.Ceiling((double)(limit - from) / delta));
                    Out([count], count <= MaxValueElements ? [.. Enumerable.Range(0, (int)count).Select(i => from + (i * delta))] : null);
                    break;
                case "Split" when a is not null:
                    var splitAxis = Axis(node.Int("axis", 0), a.Length);
                    var sizes = node.IntLists.GetValueOrDefault("split") is { IsDefault: false } sp ? [.. sp] : Value(1)
                        ?? [.. Enumerable.Repeat(a[splitAxis] / node.Outputs.Length, node.Outputs.Length)];
                    for (var i = 0; i < node.Outputs.Length && i < sizes.Length; i++)
                    {
                        var part = (long[])a.Clone();
                        part[splitAxis] = sizes[i];
                        Out(part, null, i);
                    }

                    break;
                case "LayerNormalization" or "SkipLayerNormalization" or "SimplifiedLayerNormalization" or "SkipSimplifiedLayerNormalization"
                    or "BatchNormalization" or "InstanceNormalization" or "Softmax" or "LogSoftmax" or "Dropout" or "Identity" or "Cast" or "CastLike"
                    or "Erf" or "Sqrt" or "Relu" or "Gelu" or "FastGelu" or "BiasGelu" or "QuickGelu" or "Tanh" or "Sigmoid" or "Neg" or "Exp" or "Log"
                    or "Abs" or "Reciprocal" or "Not" or "Clip" or "LeakyRelu" or "Elu" or "HardSigmoid" or "Softplus" or "IsNaN" or "Floor" or "Ceil"
                    or "Round" or "Sign" or "Sin" or "Cos" or "Mish" or "HardSwish" or "Celu" or "Selu" or "PRelu" or "DequantizeLinear" or "QuantizeLinear"
                    or "DynamicQuantizeLinear" or "RotaryEmbedding" when a is not null:
                    Out(a, node.OpType is "Cast" or "Identity" or "CastLike" ? Value(0) : null);
                    break;
                case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "And" or "Or"
                    or "Xor" or "Max" or "Min" or "Mod" or "Where" or "Sum" or "Mean" or "BitShift":
                    var shapes = Enumerable.Range(0, node.Inputs.Length).Select(In).ToList();
                    if (shapes.Count > 0 && shapes.All(s => s is not null))
                    {
                        var result = shapes.Skip(1).Aggregate(shapes[0]!, (x, y) => Broadcast(x, y!));
                        Out(result, Arithmetic(node.OpType, Value(0), Value(1), result));
                    }

                    break;
                default:
                    if (node.HasSubgraph || node.OpType is "MatMul" or "Gemm" or "Conv" or "ConvTranspose" or "Attention" or "MultiHeadAttention" or "Einsum"
                        or "MatMulInteger" or "QLinearMatMul" or "QLinearConv" or "MatMulNBits" or "FusedMatMul" or "GroupQueryAttention" or "Loop" or "Scan" or "If")
                    {
                        Uncounted.Add(node);
                    }

                    break;
            }
        }
        catch (Exception exception) when (exception is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException or DivideByZeroException or ArgumentException or InvalidOperationException)
        {
            // Shapes that contradict the operator (a wrong axis, an index past a shape): the outputs stay unknown.
            if (node.OpType is "MatMul" or "Gemm" or "Conv" or "Attention" or "MultiHeadAttention")
            {
                Uncounted.Add(node);
            }
        }
    }

    private void MatMul(OnnxNode node, long[] a, long[] b, Action<long[]?, long[]?, int> output)
    {
        var aa = a.Length == 1 ? [1, a[0]] : a;
        var bb = b.Length == 1 ? [b[0], 1] : b;
        var k = aa[^1];
        var batchShape = Broadcast(aa[..^2], bb[..^2]);
        long[] full = [.. batchShape, aa[^2], bb[^1]];
        long[] result = a.Length == 1 && b.Length == 1 ? [] : a.Length == 1 ? [.. batchShape, bb[^1]] : b.Length == 1 ? [.. batchShape, aa[^2]] : full;
        output(result, null, 0);
        Counted.Add((node, full, 2.0 * full.Aggregate(1.0, (p, d) => p * d) * k));
    }

    private void Conv(OnnxNode node, long[] x, long[] w, Action<long[]?, long[]?, int> output)
    {
        var spatial = x.Length - 2;
        var strides = node.IntLists.GetValueOrDefault("strides") is { IsDefault: false } s ? s : [.. Enumerable.Repeat(1L, spatial)];
        var dilations = node.IntLists.GetValueOrDefault("dilations") is { IsDefault: false } d ? d : [.. Enumerable.Repeat(1L, spatial)];
        var pads = node.IntLists.GetValueOrDefault("pads") is { IsDefault: false } p ? p : [.. Enumerable.Repeat(0L, spatial * 2)];
        var result = new long[x.Length];
        result[0] = x[0];
        result[1] = w[0];
        for (var i = 0; i < spatial; i++)
        {
            var effective = (dilations[i] * (w[i + 2] - 1)) + 1;
            result[i + 2] = ((x[i + 2] + pads[i] + pads[i + spatial] - effective) / strides[i]) + 1;
        }

        output(result, null, 0);
        var perOutput = w.Skip(1).Aggregate(1.0, (acc, v) => acc * v);
        Counted.Add((node, result, 2.0 * result.Aggregate(1.0, (acc, v) => acc * v) * perOutput));
    }

    private static long[]? Slice(OnnxNode node, long[] a, Func<int, long[]?> value)
    {
        var starts = node.IntLists.GetValueOrDefault("starts") is { IsDefault: false } s ? s.ToArray() : value(1);
        var ends = node.IntLists.GetValueOrDefault("ends") is { IsDefault: false } e ? e.ToArray() : value(2);
        if (starts is null || ends is null)
        {
            return null;
        }

        var axes = node.IntLists.GetValueOrDefault("axes") is { IsDefault: false } ax ? ax.ToArray() : value(3) ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        var steps = value(4) ?? [.. Enumerable.Repeat(1L, starts.Length)];
        var result = (long[])a.Clone();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = Axis(axes[i], a.Length);
            var dim = a[axis];
            var step = steps[i];
            var begin = Clamp(starts[i], dim, step);
            var stop = Clamp(ends[i], dim, step);
            result[axis] = step > 0 ? Math.Max(0, (stop - begin + step - 1) / step) : Math.Max(0, (begin - stop - step - 1) / -step);
        }

        return result;

        static long Clamp(long index, long dim, long step)
        {
            var i = index < 0 ? index + dim : index;
            return step > 0 ? Math.Clamp(i, 0, dim) : Math.Clamp(i, -1, dim - 1);
        }
    }

    private static long[]? Values1D(OnnxNode node, long[] data, Func<int, long[]?> value)
    {
        if (Slice(node, [data.Length], value) is not [var count] || value(1) is not [var first] || (value(4) ?? [1]) is not [var step])
        {
            return null;
        }

        var begin = first < 0 ? first + data.Length : Math.Min(first, data.Length);
        return [.. Enumerable.Range(0, (int)count).Select(i => data[begin + (i * step)])];
    }

    private static long[] Reshape(long[] input, long[] target, bool allowZero)
    {
        var shape = target.Select((t, i) => t == 0 && !allowZero ? input[i] : t).ToArray();
        var total = input.Aggregate(1L, (p, d) => checked(p * d));
        var inferred = Array.IndexOf(shape, -1L);
        if (inferred >= 0)
        {
            var known = shape.Where((d, i) => i != inferred).Aggregate(1L, (p, d) => checked(p * d));
            shape[inferred] = known == 0 ? 0 : total / known;
        }

        return shape.Aggregate(1L, (p, d) => checked(p * d)) == total ? shape : throw new ArgumentException("The reshape target does not hold the input's elements.");
    }

    private static long[] Broadcast(long[] x, long[] y)
    {
        var rank = Math.Max(x.Length, y.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var dx = i < rank - x.Length ? 1 : x[i - (rank - x.Length)];
            var dy = i < rank - y.Length ? 1 : y[i - (rank - y.Length)];
            result[i] = dx == 1 ? dy : dy == 1 || dx == dy ? dx : throw new ArgumentException("The shapes do not broadcast.");
        }

        return result;
    }

    private static long[]? Arithmetic(string op, long[]? x, long[]? y, long[] shape)
    {
        if (x is null || y is null || shape.Length > 1 || (x.Length != y.Length && x.Length != 1 && y.Length != 1))
        {
            return null;
        }

        var n = Math.Max(x.Length, y.Length);
        var result = new long[n];
        for (var i = 0; i < n; i++)
        {
            long l = x[x.Length == 1 ? 0 : i], r = y[y.Length == 1 ? 0 : i];
            result[i] = op switch
            {
                "Add" => checked(l + r),
                "Sub" => checked(l - r),
                "Mul" => checked(l * r),
                "Div" when r != 0 => l / r,
                "Max" => Math.Max(l, r),
                "Min" => Math.Min(l, r),
                _ => throw new InvalidOperationException("Not evaluated."),
            };
        }

        return result;
    }

    private static int Axis(long axis, long rank) =>
        axis < -rank || axis >= rank ? throw new ArgumentOutOfRangeException(nameof(axis)) : (int)(axis < 0 ? axis + rank : axis);
}
