using System.Buffers.Binary;
using System.Globalization;

namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// Builds an ONNX <c>ModelProto</c> with <see cref="ProtoMessage"/>: nodes in the order they are added (which must be
/// topological), initializers (small integer constants kept in memory, float weights generated when written), graph
/// inputs and outputs with symbolic or fixed dimensions. Field numbers are <c>onnx.proto</c>'s: ModelProto
/// <c>ir_version</c> 1, <c>producer_name</c> 2, <c>producer_version</c> 3, <c>graph</c> 7, <c>opset_import</c> 8;
/// GraphProto <c>node</c> 1, <c>name</c> 2, <c>initializer</c> 5, <c>input</c> 11, <c>output</c> 12; NodeProto
/// <c>input</c> 1, <c>output</c> 2, <c>name</c> 3, <c>op_type</c> 4, <c>attribute</c> 5; AttributeProto <c>name</c> 1,
/// <c>f</c> 2, <c>i</c> 3, <c>t</c> 5, <c>ints</c> 8, <c>type</c> 20; TensorProto <c>dims</c> 1, <c>data_type</c> 2,
/// <c>name</c> 8, <c>raw_data</c> 9; ValueInfoProto <c>name</c> 1, <c>type</c> 2; TypeProto <c>tensor_type</c> 1;
/// TypeProto.Tensor <c>elem_type</c> 1, <c>shape</c> 2; TensorShapeProto <c>dim</c> 1; Dimension <c>dim_value</c> 1,
/// <c>dim_param</c> 2; OperatorSetIdProto <c>domain</c> 1, <c>version</c> 2. Not thread-safe.
/// </summary>
internal sealed class OnnxGraphWriter
{
    /// <summary>ONNX's <c>TensorProto.DataType</c> for 32-bit floats.</summary>
    public const int FloatType = 1;

    /// <summary>ONNX's <c>TensorProto.DataType</c> for 64-bit integers.</summary>
    public const int Int64Type = 7;

    private const int AttributeFloat = 1, AttributeInt = 2, AttributeTensor = 4, AttributeInts = 7;

    private readonly List<ProtoMessage> _nodes = [];
    private readonly List<ProtoMessage> _initializers = [];
    private readonly List<ProtoMessage> _inputs = [];
    private readonly List<ProtoMessage> _outputs = [];
    private int _next;

    /// <summary>Adds a node and returns the name of its (single) output, a fresh one unless <paramref name="output"/> is given.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string? output = null, params ProtoMessage[] attributes)
    {
        output ??= Fresh(opType);
        var node = new ProtoMessage();
        foreach (var input in inputs)
        {
            node.Text(1, input);
        }

        node.Text(2, output).Text(3, Guard.Invariant($"{opType}_{_nodes.Count}")).Text(4, opType);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }

        _nodes.Add(node);
        return output;
    }

    /// <summary>Adds a <c>Constant</c> node holding a float scalar (as the PyTorch exporter does for literals, so they are not initializers).</summary>
    public string Scalar(float value)
    {
        var raw = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(raw, value);
        var tensor = new ProtoMessage().Int(2, FloatType).Bytes(9, raw);
        return Node("Constant", [], null, TensorAttribute("value", tensor));
    }

    /// <summary>Adds a 64-bit integer initializer (a shape constant, an axis list, the position ids) and returns its name.</summary>
    public string Int64Initializer(string name, IReadOnlyList<long> dims, IReadOnlyList<long> values)
    {
        var raw = new byte[values.Count * 8];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        }

        _initializers.Add(Dims(new ProtoMessage(), dims).Int(2, Int64Type).Text(8, name).Bytes(9, raw));
        return name;
    }

    /// <summary>Adds a float initializer whose values <paramref name="fill"/> writes into each chunk when the model is written.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="dims">Its shape.</param>
    /// <param name="fill">Fills a span with the next values, in order; called once per chunk with a running state it owns.</param>
    public string FloatInitializer(string name, IReadOnlyList<long> dims, Func<FloatFill> fill)
    {
        var elements = dims.Aggregate(1L, (p, d) => checked(p * d));
        var tensor = Dims(new ProtoMessage(), dims).Int(2, FloatType).Text(8, name);
        tensor.Data(9, checked(elements * 4), stream =>
        {
            var fillNext = fill();
            var values = new float[(int)Math.Min(elements, 16_384)];
            var bytes = new byte[values.Length * 4];
            for (long done = 0; done < elements;)
            {
                var count = (int)Math.Min(values.Length, elements - done);
                fillNext(values.AsSpan(0, count));
                for (var i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
                }

                stream.Write(bytes, 0, count * 4);
                done += count;
            }
        });
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Declares a graph input; each dimension is a <see cref="string"/> symbol, a fixed <see cref="long"/>, or <see langword="null"/> for a free dimension without a name.</summary>
    public void Input(string name, int elementType, params object?[] dims) => _inputs.Add(ValueInfo(name, elementType, dims));

    /// <summary>Declares a graph output; each dimension is as in <see cref="Input"/>.</summary>
    public void Output(string name, int elementType, params object?[] dims) => _outputs.Add(ValueInfo(name, elementType, dims));

    /// <summary>Builds the <c>ModelProto</c>.</summary>
    public ProtoMessage Model(string graphName, long irVersion, long opset, string producer, string producerVersion)
    {
        var graph = new ProtoMessage();
        foreach (var node in _nodes)
        {
            graph.Message(1, node);
        }

        graph.Text(2, graphName);
        foreach (var initializer in _initializers)
        {
            graph.Message(5, initializer);
        }

        foreach (var input in _inputs)
        {
            graph.Message(11, input);
        }

        foreach (var output in _outputs)
        {
            graph.Message(12, output);
        }

        return new ProtoMessage()
            .Int(1, irVersion)
            .Text(2, producer)
            .Text(3, producerVersion)
            .Message(7, graph)
            .Message(8, new ProtoMessage().Text(1, string.Empty).Int(2, opset));
    }

    /// <summary>An INT attribute.</summary>
    public static ProtoMessage IntAttribute(string name, long value) => new ProtoMessage().Text(1, name).Int(3, value).Int(20, AttributeInt);

    /// <summary>A FLOAT attribute.</summary>
    public static ProtoMessage FloatAttribute(string name, float value) => new ProtoMessage().Text(1, name).Float(2, value).Int(20, AttributeFloat);

    /// <summary>An INTS attribute (written unpacked, as proto2 does).</summary>
    public static ProtoMessage IntsAttribute(string name, params long[] values)
    {
        var attribute = new ProtoMessage().Text(1, name);
        foreach (var value in values)
        {
            attribute.Int(8, value);
        }

        return attribute.Int(20, AttributeInts);
    }

    /// <summary>A TENSOR attribute.</summary>
    public static ProtoMessage TensorAttribute(string name, ProtoMessage tensor) => new ProtoMessage().Text(1, name).Message(5, tensor).Int(20, AttributeTensor);

    private string Fresh(string opType) => string.Create(CultureInfo.InvariantCulture, $"{opType}_{_next++}_out");

    private static ProtoMessage Dims(ProtoMessage tensor, IReadOnlyList<long> dims)
    {
        foreach (var d in dims)
        {
            tensor.Int(1, d);
        }

        return tensor;
    }

    private static ProtoMessage ValueInfo(string name, int elementType, object?[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var d in dims)
        {
            shape.Message(1, d switch
            {
                null => new ProtoMessage(),
                string symbol => new ProtoMessage().Text(2, symbol),
                long value => new ProtoMessage().Int(1, value),
                int value => new ProtoMessage().Int(1, value),
                _ => throw new ArgumentException($"A dimension is a string symbol or a number; was {d.GetType().Name}.", nameof(dims)),
            });
        }

        var tensorType = new ProtoMessage().Int(1, elementType).Message(2, shape);
        return new ProtoMessage().Text(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }
}
