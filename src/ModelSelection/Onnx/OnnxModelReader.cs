using System.Collections.Immutable;
using ModelSelection.Internal;

namespace ModelSelection.Onnx;

/// <summary>Walks a <c>ModelProto</c> from a stream: the model, graph and initializer messages field by field (tensor data skipped by seeking), everything else read into memory within <see cref="OnnxModel.MaxStructureBytes"/> and parsed by <see cref="OnnxProtoParser"/>.</summary>
internal sealed class OnnxModelReader
{
    private readonly OnnxStreamReader _in;
    private readonly string? _folder;
    private long _structureBytes;

    private OnnxModelReader(OnnxStreamReader reader, string? folder)
    {
        _in = reader;
        _folder = folder;
    }

    public static async ValueTask<OnnxModel> ReadAsync(Stream stream, string sourceName, string? folder, bool async, CancellationToken cancellationToken)
    {
        var reader = new OnnxModelReader(new OnnxStreamReader(stream, sourceName, async, cancellationToken), folder);
        return await reader.ModelAsync().ConfigureAwait(false);
    }

    private string Source => _in.SourceName;

    private async ValueTask<OnnxModel> ModelAsync()
    {
        if (_in.Length == 0)
        {
            throw new ModelImportException(Source, "file", "expected an ONNX ModelProto; the file is empty");
        }

        long irVersion = 0;
        string producer = string.Empty, producerVersion = string.Empty;
        var opsets = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        OnnxGraph? graph = null;
        var end = _in.Length;
        while (await _in.ReadTagAsync(end, "$").ConfigureAwait(false) is var (field, wire))
        {
            var at = _in.Position;
            switch (field, wire)
            {
                case (1, 0):
                    irVersion = unchecked((long)await _in.ReadVarintAsync(end, "$.ir_version").ConfigureAwait(false));
                    break;
                case (2 or 3, 2):
                    var text = await StructureAsync(end, field == 2 ? "$.producer_name" : "$.producer_version").ConfigureAwait(false);
                    var value = new ProtoSpanReader(Prefix(text), at, Source, "$.producer").ReadString();
                    (producer, producerVersion) = field == 2 ? (value, producerVersion) : (producer, value);
                    break;
                case (8, 2):
                    var opset = await StructureAsync(end, $"$.opset_import[{opsets.Count}]").ConfigureAwait(false);
                    var (domain, version) = Opset(opset, at, $"$.opset_import[{opsets.Count}]");
                    opsets[domain] = version;
                    break;
                case (7, 2):
                    if (graph is not null)
                    {
                        throw _in.Fail("$.graph", at, "a model holds one graph; found a second");
                    }

                    OnnxProtoParser.CheckDepth(2, at, Source, "$.graph");
                    graph = await GraphAsync(await _in.ReadLengthAsync(end, "$.graph").ConfigureAwait(false)).ConfigureAwait(false);
                    break;
                default:
                    await _in.SkipFieldAsync(wire, end, "$").ConfigureAwait(false);
                    break;
            }
        }

        if (graph is null)
        {
            throw new ModelImportException(Source, "$.graph", $"expected a ModelProto with a graph (field 7); the {_in.Length} bytes hold none");
        }

        return new OnnxModel(Source, irVersion, producer, producerVersion, opsets.ToImmutable(), graph);
    }

    /// <summary>Re-encodes a payload with its length so a <see cref="ProtoSpanReader"/> can read it as one length-delimited field.</summary>
    private static byte[] Prefix(byte[] payload)
    {
        var length = new List<byte>();
        var n = (ulong)payload.Length;
        do
        {
            length.Add((byte)((n & 0x7F) | (n >= 0x80 ? 0x80u : 0)));
            n >>= 7;
        }
        while (n > 0);
        return [.. length, .. payload];
    }

    private (string Domain, long Version) Opset(byte[] bytes, long offset, string location)
    {
        var r = new ProtoSpanReader(bytes, offset, Source, location);
        var domain = string.Empty;
        long version = 0;
        while (r.TryReadTag(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoSpanReader.LengthDelimited)
            {
                domain = r.ReadString();
            }
            else if (field == 2 && wire == ProtoSpanReader.Varint)
            {
                version = r.ReadInt64("an opset version", 1, 100_000);
            }
            else
            {
                r.Skip(wire);
            }
        }

        return (domain is "ai.onnx" ? string.Empty : domain, version);
    }

    /// <summary>Reads a length-delimited payload into memory, counted against <see cref="OnnxModel.MaxStructureBytes"/>.</summary>
    private async ValueTask<byte[]> StructureAsync(long end, string location)
    {
        var payloadEnd = await _in.ReadLengthAsync(end, location).ConfigureAwait(false);
        var left = OnnxModel.MaxStructureBytes - _structureBytes;
        var payload = await _in.ReadPayloadAsync(payloadEnd, left, location, $"graph structure (all but tensor data) within the {OnnxModel.MaxStructureBytes}-byte budget, {left} bytes left,").ConfigureAwait(false);
        _structureBytes += payload.Length;
        return payload;
    }

    private async ValueTask<OnnxGraph> GraphAsync(long end)
    {
        var nodes = new List<OnnxNode>();
        var inputs = ImmutableArray.CreateBuilder<OnnxValueInfo>();
        var outputs = ImmutableArray.CreateBuilder<OnnxValueInfo>();
        var valueInfo = ImmutableArray.CreateBuilder<OnnxValueInfo>();
        var initializers = new List<OnnxTensorInfo>();
        var byName = new Dictionary<string, OnnxTensorInfo>(StringComparer.Ordinal);
        var values = ImmutableDictionary.CreateBuilder<string, ImmutableArray<long>>(StringComparer.Ordinal);
        var subgraphInitializers = new List<OnnxTensorInfo>();
        var initializerIndex = 0;
        while (await _in.ReadTagAsync(end, "$.graph").ConfigureAwait(false) is var (field, wire))
        {
            if (nodes.Count + initializerIndex + inputs.Count + outputs.Count + valueInfo.Count > OnnxProtoParser.MaxItems)
            {
                throw _in.Fail("$.graph", _in.Position, $"expected at most {OnnxProtoParser.MaxItems} nodes, initializers and values in one graph");
            }

            var at = _in.Position;
            switch (field, wire)
            {
                case (1, 2):
                    var location = $"$.graph.node[{nodes.Count}]";
                    var node = await StructureAsync(end, location).ConfigureAwait(false);
                    nodes.Add(OnnxProtoParser.Node(node, _in.Position - node.Length, Source, location, 3, subgraphInitializers));
                    break;
                case (5, 2):
                    var (info, held) = await InitializerAsync(end, $"$.graph.initializer[{initializerIndex}]").ConfigureAwait(false);
                    if (byName.TryGetValue(info.Name, out var earlier))
                    {
                        if (earlier.DataType != info.DataType || !earlier.Dimensions.SequenceEqual(info.Dimensions))
                        {
                            throw _in.Fail($"$.graph.initializer[{initializerIndex}]", at, $"the initializer '{info.Name}' is declared twice with different types or shapes ({earlier.DataType}[{string.Join(", ", earlier.Dimensions)}] and {info.DataType}[{string.Join(", ", info.Dimensions)}])");
                        }
                    }
                    else
                    {
                        byName.Add(info.Name, info);
                        initializers.Add(info);
                        if (held is { } v)
                        {
                            values[info.Name] = v;
                        }
                    }

                    initializerIndex++;
                    break;
                case (11 or 12 or 13, 2):
                    var list = field == 11 ? inputs : field == 12 ? outputs : valueInfo;
                    var where = $"$.graph.{(field == 11 ? "input" : field == 12 ? "output" : "value_info")}[{list.Count}]";
                    var bytes = await StructureAsync(end, where).ConfigureAwait(false);
                    list.Add(OnnxProtoParser.ValueInfo(bytes, _in.Position - bytes.Length, Source, where));
                    break;
                case (15, 2):
                    throw _in.Fail("$.graph.sparse_initializer", at, "sparse initializers are not read; only dense initializers (field 5) are supported");
                default:
                    await _in.SkipFieldAsync(wire, end, "$.graph").ConfigureAwait(false);
                    break;
            }
        }

        return new OnnxGraph
        {
            Nodes = OnnxProtoParser.TopologicalOrder(nodes, Source),
            Inputs = inputs.ToImmutable(),
            Outputs = outputs.ToImmutable(),
            ValueInfo = valueInfo.ToImmutable(),
            Initializers = [.. initializers],
            InitializerValues = values.ToImmutable(),
            SubgraphInitializers = [.. subgraphInitializers],
        };
    }

    private async ValueTask<(OnnxTensorInfo Info, ImmutableArray<long>? Values)> InitializerAsync(long graphEnd, string location)
    {
        var start = _in.Position;
        OnnxProtoParser.CheckDepth(3, start, Source, location);
        var end = await _in.ReadLengthAsync(graphEnd, location).ConfigureAwait(false);
        var tensor = new OnnxTensorBuilder(location);
        while (await _in.ReadTagAsync(end, location).ConfigureAwait(false) is var (field, wire))
        {
            var at = _in.Position;
            switch (field, wire)
            {
                case (1, 0):
                    var dim = unchecked((long)await _in.ReadVarintAsync(end, location + ".dims").ConfigureAwait(false));
                    tensor.AddDimension(dim < 0 ? throw _in.Fail(location + ".dims", at, $"expected a dimension between 0 and {long.MaxValue}; found {dim}") : dim, _in.Fail(location + ".dims", at, $"expected at most {OnnxTensorBuilder.MaxRank} dimensions"));
                    break;
                case (2, 0):
                    var type = await _in.ReadVarintAsync(end, location + ".data_type").ConfigureAwait(false);
                    tensor.DataType = type <= 1000 ? (int)type : throw _in.Fail(location + ".data_type", at, $"expected an element type between 1 and 23; found {type}");
                    break;
                case (14, 0):
                    var where = await _in.ReadVarintAsync(end, location + ".data_location").ConfigureAwait(false);
                    tensor.DataLocation = where <= 1 ? (int)where : throw _in.Fail(location + ".data_location", at, $"expected 0 (DEFAULT) or 1 (EXTERNAL); found {where}");
                    break;
                case (9 or 4 or 5 or 6 or 7 or 10 or 11, 2):
                    var payloadEnd = await _in.ReadLengthAsync(end, location).ConfigureAwait(false);
                    var length = payloadEnd - _in.Position;
                    tensor.StoredDataBytes += length;
                    if (field == 9)
                    {
                        tensor.RawDataBytes = length;
                    }

                    if (length <= OnnxTensorBuilder.MaxKeptDataBytes && field is 9 or 5 or 7)
                    {
                        var data = await _in.ReadPayloadAsync(payloadEnd, OnnxTensorBuilder.MaxKeptDataBytes, location, "small data").ConfigureAwait(false);
                        if (field == 9)
                        {
                            tensor.RawData = data;
                        }
                        else
                        {
                            var list = new ProtoSpanReader(data, payloadEnd - length, Source, location + (field == 5 ? ".int32_data" : ".int64_data"));
                            while (!list.AtEnd)
                            {
                                tensor.AddInt64(unchecked((long)list.ReadVarint()));
                            }
                        }
                    }
                    else
                    {
                        _in.SkipTo(payloadEnd); // tensor data is never read
                    }

                    break;
                case (5 or 7 or 11, 0) or (4, 5) or (10, 1):
                    if (field is 5 or 7)
                    {
                        tensor.AddInt64(unchecked((long)await _in.ReadVarintAsync(end, location).ConfigureAwait(false)));
                    }
                    else
                    {
                        await _in.SkipFieldAsync(wire, end, location).ConfigureAwait(false);
                    }

                    tensor.StoredDataBytes += 1;
                    break;
                case (1 or 8 or 13, 2):
                    var field2 = field;
                    var payload = await StructureAsync(end, location).ConfigureAwait(false);
                    var r = new ProtoSpanReader(Prefix(payload), at, Source, location);
                    OnnxProtoParser.TensorField(ref r, field2, wire, tensor);
                    break;
                default:
                    await _in.SkipFieldAsync(wire, end, location).ConfigureAwait(false);
                    break;
            }
        }

        var info = tensor.Build(Source, start, null);
        if (tensor.DataLocation == 1)
        {
            CheckExternal(tensor, info, location, start);
        }

        return (info, tensor.IntegerValues(info.Elements));
    }

    /// <summary>Checks external data: a relative path inside the model's folder, and a range that the file holds.</summary>
    private void CheckExternal(OnnxTensorBuilder tensor, OnnxTensorInfo info, string location, long offset)
    {
        var place = $"{location}.external_data (byte {offset})";
        var relative = tensor.ExternalLocation!;
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal)
            || relative.Split('/', '\\').Any(part => part == ".."))
        {
            throw new ModelImportException(Source, place, $"the external data location '{relative}' must be a path relative to the model's folder without '..'; it is not read");
        }

        var dataOffset = tensor.ExternalOffset ?? 0;
        if (_folder is null)
        {
            if (tensor.ExternalLength != info.Bytes)
            {
                throw new ModelImportException(Source, place, $"the tensor's data is in the external file '{relative}', which a stream cannot reach, and its 'length' ({(tensor.ExternalLength is { } l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}) does not give the {info.Bytes} bytes its shape needs; read the model from its path");
            }

            return;
        }

        var full = Path.GetFullPath(Path.Combine(_folder, relative));
        var root = Path.EndsInDirectorySeparator(_folder) ? _folder : _folder + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ModelImportException(Source, place, $"the external data location '{relative}' resolves outside the model's folder {_folder}; it is not read");
        }

        var fileBytes = BoundedFile.Check(full, long.MaxValue, "an external data file");
        BoundedFile.Confine(full, _folder, Source, place);
        var length = tensor.ExternalLength ?? fileBytes - dataOffset;
        if (dataOffset > fileBytes || length > fileBytes - dataOffset)
        {
            throw new ModelImportException(Source, place, $"the external data [{dataOffset}, {dataOffset}+{length}) lies beyond the end of '{relative}' ({fileBytes} bytes)");
        }

        if (tensor.ExternalLength is not null ? length != info.Bytes : length < info.Bytes)
        {
            throw new ModelImportException(Source, place, $"the dimensions [{string.Join(", ", info.Dimensions)}] of {info.DataType} need {info.Bytes} bytes; the external data in '{relative}' holds {length}");
        }
    }
}
