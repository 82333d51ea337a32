using System.Text;

namespace ModelSelection.Tests.Onnx;

/// <summary>Writes protobuf wire format by hand, so the tests build ONNX models (and broken ones) byte by byte without an ONNX library.</summary>
internal sealed class OnnxProto
{
    private readonly List<byte> _bytes = [];

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            bytes.Add((byte)((value & 0x7F) | (value >= 0x80 ? 0x80u : 0)));
            value >>= 7;
        }
        while (value > 0);
        return [.. bytes];
    }

    public OnnxProto Int(int field, long value)
    {
        _bytes.AddRange(Varint((ulong)field << 3));
        _bytes.AddRange(Varint(unchecked((ulong)value)));
        return this;
    }

    public OnnxProto Bytes(int field, byte[] payload)
    {
        _bytes.AddRange(Varint(((ulong)field << 3) | 2));
        _bytes.AddRange(Varint((ulong)payload.Length));
        _bytes.AddRange(payload);
        return this;
    }

    /// <summary>A length-delimited field whose declared length is <paramref name="declared"/>, followed by <paramref name="payload"/> whatever its size.</summary>
    public OnnxProto Declared(int field, ulong declared, byte[] payload)
    {
        _bytes.AddRange(Varint(((ulong)field << 3) | 2));
        _bytes.AddRange(Varint(declared));
        _bytes.AddRange(payload);
        return this;
    }

    public OnnxProto Text(int field, string text) => Bytes(field, Encoding.UTF8.GetBytes(text));

    public OnnxProto Message(int field, OnnxProto message) => Bytes(field, message.ToArray());

    public byte[] ToArray() => [.. _bytes];

    // ONNX messages (onnx.proto field numbers).

    /// <summary>A <c>ModelProto</c>: IR 8, opset 17, producer, then the graph last (so every proper prefix lacks a complete graph).</summary>
    public static byte[] Model(OnnxProto graph, long opset = 17) => new OnnxProto()
        .Int(1, 8)
        .Message(8, new OnnxProto().Text(1, string.Empty).Int(2, opset))
        .Text(2, "tests")
        .Message(7, graph)
        .ToArray();

    /// <summary>A float <c>TensorProto</c> with raw data of the bytes its shape needs.</summary>
    public static OnnxProto Tensor(string name, params long[] dims) => Tensor(name, 1, dims);

    public static OnnxProto Tensor(string name, int dataType, long[] dims, int bytesPerElement = 4)
    {
        var tensor = new OnnxProto();
        foreach (var d in dims)
        {
            tensor.Int(1, d);
        }

        return tensor.Int(2, dataType).Text(8, name).Bytes(9, new byte[dims.Aggregate(1L, (p, d) => p * d) * bytesPerElement]);
    }

    /// <summary>A <c>ValueInfoProto</c> of a float tensor; a string dimension is a symbol.</summary>
    public static OnnxProto Value(string name, params object[] dims)
    {
        var shape = new OnnxProto();
        foreach (var d in dims)
        {
            shape.Message(1, d is string symbol ? new OnnxProto().Text(2, symbol) : new OnnxProto().Int(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var tensorType = new OnnxProto().Int(1, 1).Message(2, shape);
        return new OnnxProto().Text(1, name).Message(2, new OnnxProto().Message(1, tensorType));
    }

    public static OnnxProto Node(string op, string name, string[] inputs, string[] outputs)
    {
        var node = new OnnxProto();
        foreach (var input in inputs)
        {
            node.Text(1, input);
        }

        foreach (var output in outputs)
        {
            node.Text(2, output);
        }

        return node.Text(3, name).Text(4, op);
    }

    /// <summary>
    /// The small valid model: <c>y = x · W + b</c> with <c>x: float[batch, sequence, 4]</c>, <c>W: float[4, 3]</c>, <c>b: float[3]</c>
    /// — 15 parameters, 60 bytes, and 2·batch·sequence·4·3 FLOPs.
    /// </summary>
    public static OnnxProto LinearGraph() => new OnnxProto()
        .Message(1, Node("MatMul", "matmul", ["x", "W"], ["xw"]))
        .Message(1, Node("Add", "add", ["xw", "b"], ["y"]))
        .Text(2, "linear")
        .Message(5, Tensor("W", 4, 3))
        .Message(5, Tensor("b", 3))
        .Message(11, Value("x", "batch_size", "sequence_length", 4))
        .Message(12, Value("y", "batch_size", "sequence_length", 3));
}
