using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// Makes the inputs of one run at a shape from a session's input metadata. Free dimensions (symbolic or −1) bind by
/// name — containing <c>batch</c> to the batch, <c>seq</c> or <c>length</c> to the sequence length — and otherwise by
/// position: the first free one not yet bound is the batch, the next the sequence. A fixed dimension stays as the model
/// says, but where the batch (axis 0) or the sequence (axis 1) would be, it must equal the asked size. Integer inputs
/// (int64, int32) named like <c>mask</c> are ones, like <c>token_type</c> or <c>segment</c> zeros, like
/// <c>position</c> the position along the sequence, and any other (token ids) deterministic pseudo-random ids in
/// [1000, min(vocabulary, 30000)) — [1, vocabulary) for a vocabulary of at most 1,001, [1, 100) when the vocabulary is
/// unknown; float inputs are deterministic normal values (masks: ones).
/// </summary>
internal sealed class InputBinder : IDisposable
{
    private readonly OrtValue[] _values;

    private InputBinder(string[] names, OrtValue[] values, long bytes)
    {
        Names = names;
        _values = values;
        Bytes = bytes;
    }

    /// <summary>Gets the input names, in the session's order.</summary>
    public string[] Names { get; }

    /// <summary>Gets the input values, in <see cref="Names"/>' order.</summary>
    public IReadOnlyCollection<OrtValue> Values => _values;

    /// <summary>Gets the bytes of all input tensors.</summary>
    public long Bytes { get; }

    /// <summary>Checks that every input can be filled at the shape and returns each one's dimensions, without allocating tensors.</summary>
    /// <exception cref="ArgumentException">An input's type or rank cannot be filled, a fixed dimension contradicts the shape, or a tensor would be too large.</exception>
    public static long[][] Check(InferenceSession session, ShapeToMeasure shape, string source) =>
        [.. session.InputNames.Select(name => Dimensions(name, session.InputMetadata[name], shape, source))];

    /// <summary>Allocates and fills the inputs of a run at <paramref name="shape"/>.</summary>
    public static InputBinder Bind(InferenceSession session, ShapeToMeasure shape, int? vocabulary, string source)
    {
        var names = session.InputNames.ToArray();
        var values = new List<OrtValue>(names.Length);
        long bytes = 0;
        try
        {
            foreach (var name in names)
            {
                var metadata = session.InputMetadata[name];
                var dims = Dimensions(name, metadata, shape, source);
                var (_, sequenceAxis) = Axes(metadata);
                var positionAxis = sequenceAxis ?? (dims.Length >= 2 ? 1 : dims.Length - 1);
                var elements = (int)dims.Aggregate(1L, (p, d) => p * d);
                var random = DeterministicRandom.For((shape.Batch * 1_000_003L) + shape.SequenceLength, name);
                var lower = name.ToLowerInvariant();
                var role = lower.Contains("mask", StringComparison.Ordinal) ? Fill.Ones
                    : lower.Contains("token_type", StringComparison.Ordinal) || lower.Contains("segment", StringComparison.Ordinal) ? Fill.Zeros
                    : lower.Contains("position", StringComparison.Ordinal) ? Fill.Positions
                    : Fill.Random;
                var (low, high) = vocabulary is { } v ? (v > 1001 ? (1000L, Math.Min(v, 30_000L)) : (1L, Math.Max(2L, v))) : (1L, 100L);
                long Integer(int index) => role switch
                {
                    Fill.Ones => 1,
                    Fill.Zeros => 0,
                    Fill.Positions => positionAxis < 0 ? 0 : Coordinate(index, dims, positionAxis),
                    _ => random.NextInt64(low, high),
                };

                switch (metadata.ElementDataType)
                {
                    case TensorElementType.Int64:
                        var longs = new long[elements];
                        for (var i = 0; i < elements; i++)
                        {
                            longs[i] = Integer(i);
                        }

                        values.Add(OrtValue.CreateTensorValueFromMemory(longs, dims));
                        bytes += elements * 8L;
                        break;
                    case TensorElementType.Int32:
                        var ints = new int[elements];
                        for (var i = 0; i < elements; i++)
                        {
                            ints[i] = (int)Integer(i);
                        }

                        values.Add(OrtValue.CreateTensorValueFromMemory(ints, dims));
                        bytes += elements * 4L;
                        break;
                    default:
                        var floats = new float[elements];
                        for (var i = 0; i < elements; i++)
                        {
                            floats[i] = role switch { Fill.Ones => 1f, Fill.Zeros => 0f, _ => (float)random.NextNormal() };
                        }

                        values.Add(OrtValue.CreateTensorValueFromMemory(floats, dims));
                        bytes += elements * 4L;
                        break;
                }
            }
        }
        catch
        {
            foreach (var value in values)
            {
                value.Dispose();
            }

            throw;
        }

        return new InputBinder(names, [.. values], bytes);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var value in _values)
        {
            value.Dispose();
        }
    }

    /// <summary>The concrete dimensions of an input at a shape.</summary>
    private static long[] Dimensions(string name, NodeMetadata metadata, ShapeToMeasure shape, string source, string modelParamName = "onnxPath", string shapeParamName = "shapes")
    {
        var described = Describe(name, metadata);
        if (!metadata.IsTensor || metadata.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32 or TensorElementType.Float))
        {
            throw new ArgumentException($"{source}: input {described} cannot be filled: the measurer fills int64, int32 and float tensors only.", modelParamName);
        }

        var (batchAxis, sequenceAxis) = Axes(metadata);
        var free = metadata.Dimensions.Select((d, i) => (d, i)).Where(x => x.d < 0).Select(x => x.i).ToList();
        var unbound = free.Where(i => i != batchAxis && i != sequenceAxis && !IsSequenceName(metadata, i)).ToList();
        if (unbound.Count > 0)
        {
            throw new ArgumentException(Guard.Invariant($"{source}: input {described} cannot be filled: it has more free dimensions than a batch and a sequence (dimension {unbound[0]})."), modelParamName);
        }

        var dims = new long[metadata.Dimensions.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = metadata.Dimensions[i] >= 0 ? metadata.Dimensions[i]
                : i == batchAxis ? shape.Batch
                : shape.SequenceLength;
        }

        if (batchAxis is null && dims.Length >= 1 && metadata.Dimensions[0] >= 0 && dims[0] != shape.Batch)
        {
            throw new ArgumentException(Guard.Invariant($"{source}: input {described} fixes dimension 0, where the batch goes, at {dims[0]}; the shape {shape} asks for batch {shape.Batch}. This model runs only at batch {dims[0]}."), shapeParamName);
        }

        if (sequenceAxis is null && dims.Length >= 2 && metadata.Dimensions[1] >= 0 && dims[1] != shape.SequenceLength)
        {
            throw new ArgumentException(Guard.Invariant($"{source}: input {described} fixes dimension 1, where the sequence goes, at {dims[1]}; the shape {shape} asks for sequence length {shape.SequenceLength}. This model runs only at sequence length {dims[1]}."), shapeParamName);
        }

        var elements = 1L;
        foreach (var d in dims)
        {
            elements = d == 0 ? 0 : elements > Array.MaxLength / d ? long.MaxValue : elements * d;
        }

        if (elements > Array.MaxLength / 8)
        {
            throw new ArgumentException(Guard.Invariant($"{source}: input {described} at {shape} would be a [{string.Join(", ", dims)}] tensor, more elements than one array holds."), shapeParamName);
        }

        return dims;
    }

    /// <summary>Which free axis is the batch and which the sequence: by name first, then the first free axes in order.</summary>
    private static (int? Batch, int? Sequence) Axes(NodeMetadata metadata)
    {
        int? batch = null, sequence = null;
        var free = Enumerable.Range(0, metadata.Dimensions.Length).Where(i => metadata.Dimensions[i] < 0).ToList();
        foreach (var i in free)
        {
            var symbol = Symbol(metadata, i);
            if (batch is null && symbol.Contains("batch", StringComparison.Ordinal))
            {
                batch = i;
            }
            else if (sequence is null && IsSequenceName(metadata, i))
            {
                sequence = i;
            }
        }

        foreach (var i in free)
        {
            if (i == batch || i == sequence || IsSequenceName(metadata, i) || Symbol(metadata, i).Contains("batch", StringComparison.Ordinal))
            {
                continue;
            }

            if (batch is null)
            {
                batch = i;
            }
            else if (sequence is null)
            {
                sequence = i;
            }
        }

        return (batch, sequence);
    }

    private static bool IsSequenceName(NodeMetadata metadata, int axis)
    {
        var symbol = Symbol(metadata, axis);
        return metadata.Dimensions[axis] < 0 && (symbol.Contains("seq", StringComparison.Ordinal) || symbol.Contains("length", StringComparison.Ordinal));
    }

    private static string Symbol(NodeMetadata metadata, int axis) =>
        axis < metadata.SymbolicDimensions.Length ? metadata.SymbolicDimensions[axis]?.ToLowerInvariant() ?? string.Empty : string.Empty;

    private static long Coordinate(int index, long[] dims, int axis)
    {
        long stride = 1;
        for (var i = dims.Length - 1; i > axis; i--)
        {
            stride *= dims[i];
        }

        return index / stride % dims[axis];
    }

    private static string Describe(string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            return $"'{name}' ({metadata.OnnxValueType})";
        }

        var dims = metadata.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : i < metadata.SymbolicDimensions.Length && !string.IsNullOrEmpty(metadata.SymbolicDimensions[i]) ? metadata.SymbolicDimensions[i] : "?");
        return $"'{name}' ({metadata.ElementDataType}[{string.Join(", ", dims)}])";
    }

    private enum Fill
    {
        Random,
        Ones,
        Zeros,
        Positions,
    }
}
