using System.Collections.Immutable;
using ModelSelection.Internal;

namespace ModelSelection.Onnx;

/// <summary>Parses the ONNX messages held in memory (nodes, value infos, small tensors, subgraphs) with <see cref="ProtoSpanReader"/>.</summary>
internal static class OnnxProtoParser
{
    /// <summary>The deepest nesting of messages accepted (model → graph → node → attribute → subgraph → …).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most nodes, values or initializers one graph may hold.</summary>
    public const int MaxItems = 1_000_000;

    /// <summary>Reads one <c>TensorProto</c> field into <paramref name="tensor"/>; data fields are measured, and kept only when small.</summary>
    public static void TensorField(ref ProtoSpanReader r, int field, int wire, OnnxTensorBuilder tensor)
    {
        var start = r.Offset;
        switch (field, wire)
        {
            case (1, ProtoSpanReader.Varint):
                tensor.AddDimension(r.ReadInt64("a dimension", 0, long.MaxValue), r.Fail(tensor.Location + ".dims", start, $"expected at most {OnnxTensorBuilder.MaxRank} dimensions"));
                break;
            case (1, ProtoSpanReader.LengthDelimited):
                var packed = r.ReadBytes(out var packedOffset);
                var dims = new ProtoSpanReader(packed, packedOffset, r.SourceName, tensor.Location + ".dims");
                while (!dims.AtEnd)
                {
                    var at = dims.Offset;
                    tensor.AddDimension(dims.ReadInt64("a dimension", 0, long.MaxValue), dims.Fail(at, $"expected at most {OnnxTensorBuilder.MaxRank} dimensions"));
                }

                break;
            case (2, ProtoSpanReader.Varint):
                tensor.DataType = (int)r.ReadInt64("an element type", 0, 1000);
                break;
            case (8, ProtoSpanReader.LengthDelimited):
                tensor.Name = r.ReadString();
                break;
            case (9, ProtoSpanReader.LengthDelimited):
                var raw = r.ReadBytes(out _);
                tensor.RawDataBytes = raw.Length;
                tensor.StoredDataBytes += raw.Length;
                tensor.RawData = raw.Length <= OnnxTensorBuilder.MaxKeptDataBytes ? raw.ToArray() : null;
                break;
            case (5 or 7, ProtoSpanReader.Varint):
                tensor.AddInt64(unchecked((long)r.ReadVarint()));
                tensor.StoredDataBytes += 1;
                break;
            case (4 or 6 or 10 or 11, ProtoSpanReader.LengthDelimited):
                tensor.StoredDataBytes += r.ReadBytes(out _).Length;
                break;
            case (4, ProtoSpanReader.Fixed32) or (10, ProtoSpanReader.Fixed64) or (11, ProtoSpanReader.Varint):
                r.Skip(wire);
                tensor.StoredDataBytes += 1;
                break;
            case (5 or 7, ProtoSpanReader.LengthDelimited):
                var values = r.ReadBytes(out var valuesOffset);
                tensor.StoredDataBytes += values.Length;
                if (values.Length <= OnnxTensorBuilder.MaxKeptDataBytes)
                {
                    var list = new ProtoSpanReader(values, valuesOffset, r.SourceName, tensor.Location + ".int64_data");
                    while (!list.AtEnd)
                    {
                        tensor.AddInt64(unchecked((long)list.ReadVarint()));
                    }
                }

                break;
            case (13, ProtoSpanReader.LengthDelimited):
                var entry = r.ReadBytes(out var entryOffset);
                ExternalEntry(new ProtoSpanReader(entry, entryOffset, r.SourceName, tensor.Location + ".external_data"), tensor);
                break;
            case (14, ProtoSpanReader.Varint):
                tensor.DataLocation = (int)r.ReadInt64("a data_location (0 DEFAULT or 1 EXTERNAL)", 0, 1);
                break;
            default:
                r.Skip(wire);
                break;
        }
    }

    /// <summary>Reads one <c>external_data</c> entry (<c>location</c>, <c>offset</c>, <c>length</c>).</summary>
    public static void ExternalEntry(ProtoSpanReader r, OnnxTensorBuilder tensor)
    {
        string? key = null, value = null;
        var start = r.Offset;
        while (r.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoSpanReader.LengthDelimited)
            {
                key = r.ReadString();
            }
            else if (field == 2 && wire == ProtoSpanReader.LengthDelimited)
            {
                value = r.ReadString();
            }
            else
            {
                r.Skip(wire);
            }
        }

        var problem = r.Fail(start, $"expected the '{key}' of external data as a whole number of bytes of 0 or more; found '{value}'");
        long Number() => long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw problem;
        switch (key)
        {
            case "location":
                tensor.ExternalLocation = value;
                break;
            case "offset":
                tensor.ExternalOffset = Number();
                break;
            case "length":
                tensor.ExternalLength = Number();
                break;
        }
    }

    /// <summary>Parses a whole <c>TensorProto</c> held in memory.</summary>
    public static (OnnxTensorInfo Info, ImmutableArray<long>? Values) Tensor(ReadOnlySpan<byte> bytes, long offset, string source, string location)
    {
        var tensor = new OnnxTensorBuilder(location);
        var r = new ProtoSpanReader(bytes, offset, source, location);
        while (r.TryReadTag(out var field, out var wire))
        {
            TensorField(ref r, field, wire, tensor);
        }

        var info = tensor.Build(source, offset, null);
        return (info, tensor.IntegerValues(info.Elements));
    }

    /// <summary>Parses a <c>ValueInfoProto</c>: name, and the element type and shape of a tensor type.</summary>
    public static OnnxValueInfo ValueInfo(ReadOnlySpan<byte> bytes, long offset, string source, string location)
    {
        var r = new ProtoSpanReader(bytes, offset, source, location);
        var name = string.Empty;
        var type = OnnxDataType.Undefined;
        ImmutableArray<OnnxDimension>? dims = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoSpanReader.LengthDelimited)
            {
                name = r.ReadString();
            }
            else if (field == 2 && wire == ProtoSpanReader.LengthDelimited)
            {
                var typeBytes = r.ReadBytes(out var typeOffset);
                var t = new ProtoSpanReader(typeBytes, typeOffset, source, location + ".type");
                while (t.TryReadTag(out var tf, out var tw))
                {
                    if (tf == 1 && tw == ProtoSpanReader.LengthDelimited)
                    {
                        (type, dims) = TensorType(t.ReadBytes(out var tensorOffset), tensorOffset, source, location + ".type.tensor_type");
                    }
                    else
                    {
                        t.Skip(tw);
                    }
                }
            }
            else
            {
                r.Skip(wire);
            }
        }

        return new OnnxValueInfo(name, type, dims);
    }

    private static (OnnxDataType, ImmutableArray<OnnxDimension>?) TensorType(ReadOnlySpan<byte> bytes, long offset, string source, string location)
    {
        var r = new ProtoSpanReader(bytes, offset, source, location);
        var type = OnnxDataType.Undefined;
        ImmutableArray<OnnxDimension>? dims = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoSpanReader.Varint)
            {
                type = (OnnxDataType)r.ReadInt64("an element type", 0, 1000);
            }
            else if (field == 2 && wire == ProtoSpanReader.LengthDelimited)
            {
                var shape = new ProtoSpanReader(r.ReadBytes(out var shapeOffset), shapeOffset, source, location + ".shape");
                var list = ImmutableArray.CreateBuilder<OnnxDimension>();
                while (shape.TryReadTag(out var sf, out var sw))
                {
                    if (sf != 1 || sw != ProtoSpanReader.LengthDelimited)
                    {
                        shape.Skip(sw);
                        continue;
                    }

                    if (list.Count >= OnnxTensorBuilder.MaxRank)
                    {
                        throw shape.Fail(shape.Offset, $"expected at most {OnnxTensorBuilder.MaxRank} dimensions");
                    }

                    var d = new ProtoSpanReader(shape.ReadBytes(out var dimOffset), dimOffset, source, $"{location}.shape.dim[{list.Count}]");
                    long? value = null;
                    string? symbol = null;
                    while (d.TryReadTag(out var df, out var dw))
                    {
                        if (df == 1 && dw == ProtoSpanReader.Varint)
                        {
                            value = d.ReadInt64("a dimension", 0, long.MaxValue);
                        }
                        else if (df == 2 && dw == ProtoSpanReader.LengthDelimited)
                        {
                            symbol = d.ReadString();
                        }
                        else
                        {
                            d.Skip(dw);
                        }
                    }

                    list.Add(new OnnxDimension(value, value is null && symbol is { Length: > 0 } ? symbol : null));
                }

                dims = list.ToImmutable();
            }
            else
            {
                r.Skip(wire);
            }
        }

        return (type, dims);
    }

    /// <summary>Parses a <c>NodeProto</c>; subgraphs in its attributes are parsed (for their initializers and to bound their depth) into <paramref name="subgraphInitializers"/>.</summary>
    public static OnnxNode Node(ReadOnlySpan<byte> bytes, long offset, string source, string location, int depth, List<OnnxTensorInfo> subgraphInitializers)
    {
        CheckDepth(depth, offset, source, location);
        var r = new ProtoSpanReader(bytes, offset, source, location);
        var inputs = ImmutableArray.CreateBuilder<string>();
        var outputs = ImmutableArray.CreateBuilder<string>();
        string name = string.Empty, op = string.Empty, domain = string.Empty;
        var ints = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        var lists = ImmutableDictionary.CreateBuilder<string, ImmutableArray<long>>(StringComparer.Ordinal);
        (ImmutableArray<long>, ImmutableArray<long>?)? tensor = null;
        var hasSubgraph = false;
        var attributes = 0;
        while (r.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, ProtoSpanReader.LengthDelimited):
                    inputs.Add(r.ReadString());
                    break;
                case (2, ProtoSpanReader.LengthDelimited):
                    outputs.Add(r.ReadString());
                    break;
                case (3, ProtoSpanReader.LengthDelimited):
                    name = r.ReadString();
                    break;
                case (4, ProtoSpanReader.LengthDelimited):
                    op = r.ReadString();
                    break;
                case (7, ProtoSpanReader.LengthDelimited):
                    domain = r.ReadString();
                    break;
                case (5, ProtoSpanReader.LengthDelimited):
                    var attribute = r.ReadBytes(out var attributeOffset);
                    Attribute(attribute, attributeOffset, source, $"{location}.attribute[{attributes++}]", depth + 1, ints, lists, ref tensor, ref hasSubgraph, subgraphInitializers);
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new OnnxNode
        {
            OpType = op,
            Domain = domain is "ai.onnx" ? string.Empty : domain,
            Name = name,
            Inputs = inputs.ToImmutable(),
            Outputs = outputs.ToImmutable(),
            Location = location,
            Ints = ints.ToImmutable(),
            IntLists = lists.ToImmutable(),
            Tensor = tensor,
            HasSubgraph = hasSubgraph,
        };
    }

    private static void Attribute(
        ReadOnlySpan<byte> bytes,
        long offset,
        string source,
        string location,
        int depth,
        ImmutableDictionary<string, long>.Builder ints,
        ImmutableDictionary<string, ImmutableArray<long>>.Builder lists,
        ref (ImmutableArray<long>, ImmutableArray<long>?)? tensor,
        ref bool hasSubgraph,
        List<OnnxTensorInfo> subgraphInitializers)
    {
        CheckDepth(depth, offset, source, location);
        var r = new ProtoSpanReader(bytes, offset, source, location);
        var name = string.Empty;
        long? i = null;
        var list = new List<long>();
        (OnnxTensorInfo, ImmutableArray<long>?)? t = null;
        var graphs = 0;
        while (r.TryReadTag(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, ProtoSpanReader.LengthDelimited):
                    name = r.ReadString();
                    break;
                case (3, ProtoSpanReader.Varint):
                    i = unchecked((long)r.ReadVarint());
                    break;
                case (8, ProtoSpanReader.Varint):
                    if (list.Count < OnnxTensorBuilder.MaxRank * 4)
                    {
                        list.Add(unchecked((long)r.ReadVarint()));
                    }
                    else
                    {
                        r.ReadVarint();
                    }

                    break;
                case (8, ProtoSpanReader.LengthDelimited):
                    var packed = new ProtoSpanReader(r.ReadBytes(out var packedOffset), packedOffset, source, location + ".ints");
                    while (!packed.AtEnd)
                    {
                        var v = unchecked((long)packed.ReadVarint());
                        if (list.Count < OnnxTensorBuilder.MaxRank * 4)
                        {
                            list.Add(v);
                        }
                    }

                    break;
                case (5, ProtoSpanReader.LengthDelimited):
                    var tensorBytes = r.ReadBytes(out var tensorOffset);
                    CheckDepth(depth + 1, tensorOffset, source, location + ".t");
                    t = Tensor(tensorBytes, tensorOffset, source, location + ".t");
                    break;
                case (6 or 11, ProtoSpanReader.LengthDelimited):
                    var graphBytes = r.ReadBytes(out var graphOffset);
                    Subgraph(graphBytes, graphOffset, source, $"{location}.{(field == 6 ? "g" : $"graphs[{graphs++}]")}", depth + 1, subgraphInitializers);
                    hasSubgraph = true;
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        if (i is { } value)
        {
            ints[name] = value;
        }

        if (list.Count > 0)
        {
            lists[name] = [.. list];
        }

        if (t is { } held && name == "value")
        {
            tensor = (held.Item1.Dimensions, held.Item2);
        }
    }

    private static void Subgraph(ReadOnlySpan<byte> bytes, long offset, string source, string location, int depth, List<OnnxTensorInfo> subgraphInitializers)
    {
        CheckDepth(depth, offset, source, location);
        var r = new ProtoSpanReader(bytes, offset, source, location);
        int nodes = 0, initializers = 0;
        while (r.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoSpanReader.LengthDelimited)
            {
                Node(r.ReadBytes(out var nodeOffset), nodeOffset, source, $"{location}.node[{nodes++}]", depth + 1, subgraphInitializers);
            }
            else if (field == 5 && wire == ProtoSpanReader.LengthDelimited)
            {
                var tensorBytes = r.ReadBytes(out var tensorOffset);
                CheckDepth(depth + 1, tensorOffset, source, $"{location}.initializer[{initializers}]");
                subgraphInitializers.Add(Tensor(tensorBytes, tensorOffset, source, $"{location}.initializer[{initializers++}]").Info);
            }
            else
            {
                r.Skip(wire);
            }

            if (nodes > MaxItems || initializers > MaxItems)
            {
                throw r.Fail(r.Offset, $"expected at most {MaxItems} nodes and {MaxItems} initializers in one graph");
            }
        }
    }

    public static void CheckDepth(int depth, long offset, string source, string location)
    {
        if (depth > MaxDepth)
        {
            throw new ModelImportException(source, $"{location} (byte {offset})", $"messages nest {depth} deep; expected at most {MaxDepth} (model, graph, node, attribute, subgraph, …)");
        }
    }

    /// <summary>Orders the nodes so each comes after the producers of its inputs; a cycle is an error naming a node on it.</summary>
    public static ImmutableArray<OnnxNode> TopologicalOrder(IReadOnlyList<OnnxNode> nodes, string source)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < nodes.Count; n++)
        {
            foreach (var output in nodes[n].Outputs)
            {
                if (output.Length > 0 && !producer.TryAdd(output, n))
                {
                    throw new ModelImportException(source, nodes[n].Location + ".output", $"the value '{output}' is produced by two nodes ({nodes[producer[output]].Location} and this one); a graph assigns each value once");
                }
            }
        }

        var pending = new int[nodes.Count];
        var consumers = new List<int>[nodes.Count];
        for (var n = 0; n < nodes.Count; n++)
        {
            consumers[n] = [];
        }

        for (var n = 0; n < nodes.Count; n++)
        {
            foreach (var input in nodes[n].Inputs.Distinct(StringComparer.Ordinal))
            {
                if (input.Length > 0 && producer.TryGetValue(input, out var p))
                {
                    pending[n]++;
                    consumers[p].Add(n);
                }
            }
        }

        var ready = new Queue<int>(Enumerable.Range(0, nodes.Count).Where(n => pending[n] == 0));
        var order = ImmutableArray.CreateBuilder<OnnxNode>(nodes.Count);
        while (ready.TryDequeue(out var n))
        {
            order.Add(nodes[n]);
            foreach (var c in consumers[n])
            {
                if (--pending[c] == 0)
                {
                    ready.Enqueue(c);
                }
            }
        }

        if (order.Count < nodes.Count)
        {
            var stuck = Enumerable.Range(0, nodes.Count).First(n => pending[n] > 0);
            throw new ModelImportException(source, nodes[stuck].Location, $"the graph has a cycle: node '{nodes[stuck].Name}' ({nodes[stuck].OpType}) depends, through {nodes.Count - order.Count} nodes, on its own output; an ONNX graph must be acyclic");
        }

        return order.MoveToImmutable();
    }
}
