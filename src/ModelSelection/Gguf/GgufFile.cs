using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace ModelSelection.Gguf;

/// <summary>
/// The header of one GGUF file (llama.cpp, Ollama, LM Studio, LLamaSharp): its version, typed metadata, tensor infos
/// and alignment, read without touching the tensor data.
/// </summary>
/// <remarks>
/// <para>
/// Format (ggml <c>docs/gguf.md</c>): the magic <c>GGUF</c>, a version (2 or 3; version 1's 32-bit counts are not
/// read), the tensor and metadata counts, the metadata (key string, value type, value), the tensor infos (name,
/// dimension count, dimensions, ggml type, offset), padding to <c>general.alignment</c> (32 by default), then the
/// data. Every number is little-endian.
/// </para>
/// <para>
/// Reading is bounded by the file: a count is refused when the bytes left could not hold that many entries, a string
/// or array longer than what is left is refused before anything is allocated for it, arrays of arrays are refused (as
/// llama.cpp refuses them), at most <see cref="GgmlMaxDimensions"/> dimensions are read and multiplied with overflow
/// checks, every type must be a defined ggml type whose block divides the row, and every tensor must start where the
/// previous one ends (padded to the alignment), as llama.cpp's loader requires, and end inside the file. Any problem is
/// a <see cref="ModelImportException"/> naming the file, the place and what was expected. Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class GgufFile
{
    /// <summary>The most dimensions a ggml tensor has (<c>GGML_MAX_DIMS</c>).</summary>
    public const int GgmlMaxDimensions = 4;

    /// <summary>The longest tensor name llama.cpp accepts, in bytes (<c>GGML_MAX_NAME</c> − 1).</summary>
    public const int MaxTensorNameBytes = 63;

    /// <summary>The longest string value read, in bytes (chat templates run to tens of kilobytes).</summary>
    public const int MaxStringBytes = 16 * 1024 * 1024;

    /// <summary>The most elements of a numeric array whose values are kept (see <see cref="GgufValue.Numbers"/>).</summary>
    public const int MaxKeptArrayElements = 4096;

    /// <summary>The alignment when the file sets none (<c>GGUF_DEFAULT_ALIGNMENT</c>).</summary>
    public const int DefaultAlignment = 32;

    private GgufFile(string sourceName, int version, long fileBytes, long dataOffset, int alignment, ImmutableSortedDictionary<string, GgufValue> metadata, ImmutableArray<GgufTensorInfo> tensors)
    {
        SourceName = sourceName;
        Version = version;
        FileBytes = fileBytes;
        DataOffset = dataOffset;
        Alignment = alignment;
        Metadata = metadata;
        Tensors = tensors;
        long elements = 0, bytes = 0;
        foreach (var t in tensors)
        {
            elements = checked(elements + t.Elements);
            bytes = checked(bytes + t.Bytes);
        }

        TensorElements = elements;
        TensorBytes = bytes;
    }

    /// <summary>Gets the file (or stream name) the header was read from.</summary>
    public string SourceName { get; }

    /// <summary>Gets the GGUF version (2 or 3).</summary>
    public int Version { get; }

    /// <summary>Gets the length of the file in bytes.</summary>
    public long FileBytes { get; }

    /// <summary>Gets where the data section starts: the end of the header padded to <see cref="Alignment"/>.</summary>
    public long DataOffset { get; }

    /// <summary>Gets the alignment of tensor data (<c>general.alignment</c>, 32 by default).</summary>
    public int Alignment { get; }

    /// <summary>Gets the metadata by key.</summary>
    public ImmutableSortedDictionary<string, GgufValue> Metadata { get; }

    /// <summary>Gets the tensors in file order.</summary>
    public ImmutableArray<GgufTensorInfo> Tensors { get; }

    /// <summary>Gets Σ elements of the tensors.</summary>
    public long TensorElements { get; }

    /// <summary>Gets Σ bytes of the tensors (padding excluded): what llama.cpp loads into its model buffers.</summary>
    public long TensorBytes { get; }

    /// <summary>Gets <c>general.architecture</c>, or <see langword="null"/>.</summary>
    public string? Architecture => Metadata.TryGetValue("general.architecture", out var v) ? v.AsString() : null;

    /// <summary>Gets a metadata value, or <see langword="null"/>.</summary>
    /// <param name="key">The key, e.g. <c>llama.block_count</c>.</param>
    /// <returns>The value, or <see langword="null"/> when the file has no such key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public GgufValue? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Metadata.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>Reads the header of a file.</summary>
    /// <param name="path">The <c>.gguf</c> file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file, or the header is malformed, truncated or inconsistent with the file.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Internal.BoundedFile.Check(path, long.MaxValue, "a GGUF file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads the header from a seekable stream positioned at the start of a GGUF file.</summary>
    /// <param name="stream">The stream; its length bounds every count and the data.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot seek or read.</exception>
    /// <exception cref="ModelImportException">The header is malformed, truncated or inconsistent with the stream's length.</exception>
    public static GgufFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable: its length bounds the header and the data.", nameof(stream));
        }

        var reader = new Reader(new BufferedStream(stream, 1 << 16), stream.Length - stream.Position, sourceName);
        var magic = reader.Bytes(4, "magic");
        if (!magic.SequenceEqual("GGUF"u8))
        {
            throw reader.Error("magic", $"expected the bytes \"GGUF\"; found {Convert.ToHexString(magic)} — not a GGUF file");
        }

        var version = reader.UInt32("version");
        if (version is not (2 or 3))
        {
            throw reader.Error("version", version == 1
                ? "version 1 (32-bit counts, before August 2023) is not read; convert the file with a current llama.cpp"
                : $"expected version 2 or 3; found {version}");
        }

        var tensorCount = reader.UInt64("tensor count");
        var metadataCount = reader.UInt64("metadata count");

        // Each metadata entry takes at least 8 (key length) + 4 (type) + 1 bytes, each tensor info 8 + 4 + 8 + 4 + 8.
        reader.EnsureCount(metadataCount, 13, "metadata count", "metadata entries");
        reader.EnsureCount(tensorCount, 32, "tensor count", "tensor infos");
        var metadata = ImmutableSortedDictionary.CreateBuilder<string, GgufValue>(StringComparer.Ordinal);
        for (ulong i = 0; i < metadataCount; i++)
        {
            var key = reader.String($"metadata entry {i} key", ushort.MaxValue);
            if (key.Length == 0)
            {
                throw reader.Error($"metadata entry {i} key", "expected a non-empty key");
            }

            var type = reader.ValueType($"metadata '{Short(key)}' type");
            var value = ReadValue(reader, type, $"metadata '{Short(key)}'");
            if (!metadata.TryAdd(key, value))
            {
                throw reader.Error($"metadata '{Short(key)}'", "each key must appear once; this one appears twice");
            }
        }

        var alignment = DefaultAlignment;
        if (metadata.TryGetValue("general.alignment", out var alignmentValue))
        {
            alignment = alignmentValue.Type == GgufValueType.UInt32 && alignmentValue.AsInt64() is { } a && a > 0 && a <= 1 << 30 && (a & (a - 1)) == 0
                ? (int)a
                : throw reader.Error("metadata 'general.alignment'", $"expected a UInt32 power of two; found {alignmentValue.Type} {alignmentValue}");
        }

        var tensors = ImmutableArray.CreateBuilder<GgufTensorInfo>((int)Math.Min(tensorCount, 1 << 16));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong i = 0; i < tensorCount; i++)
        {
            tensors.Add(ReadTensorInfo(reader, i, names));
        }

        var dataOffset = Pad(reader.Position, alignment);
        var fileBytes = reader.Length;
        long expected = 0;
        foreach (var tensor in tensors)
        {
            if (tensor.Offset != expected)
            {
                throw reader.Error($"tensor '{tensor.Name}' offset", tensor.Offset < expected
                    ? $"the tensor starts at {tensor.Offset}, inside the data of the tensor before it, which ends at {expected}: tensors must not overlap"
                    : $"expected {expected}, where the tensor before it ends (padded to {alignment}); found {tensor.Offset}");
            }

            if (tensor.Bytes > fileBytes - dataOffset - tensor.Offset)
            {
                throw reader.Error($"tensor '{tensor.Name}' data", $"the tensor's {tensor.Bytes} bytes at {dataOffset + tensor.Offset} run past the end of the {fileBytes}-byte file (truncated?)");
            }

            expected = Pad(tensor.Offset + tensor.Bytes, alignment);
        }

        return new GgufFile(sourceName, (int)version, fileBytes, dataOffset, alignment, metadata.ToImmutable(), tensors.ToImmutable());
    }

    private static GgufTensorInfo ReadTensorInfo(Reader reader, ulong index, HashSet<string> names)
    {
        var name = reader.String($"tensor info {index} name", MaxTensorNameBytes);
        if (name.Length == 0 || !names.Add(name))
        {
            throw reader.Error($"tensor info {index} name", name.Length == 0 ? "expected a non-empty name" : $"each tensor name must appear once; '{name}' appears twice");
        }

        var place = $"tensor '{name}'";
        var dimensionCount = reader.UInt32(place + " dimension count");
        if (dimensionCount is < 1 or > GgmlMaxDimensions)
        {
            throw reader.Error(place + " dimension count", $"expected 1 to {GgmlMaxDimensions} dimensions; found {dimensionCount}");
        }

        var dimensions = ImmutableArray.CreateBuilder<long>((int)dimensionCount);
        Int128 elements = 1;
        for (var d = 0; d < dimensionCount; d++)
        {
            var size = reader.UInt64($"{place} dimension {d}");
            if (size > long.MaxValue)
            {
                throw reader.Error($"{place} dimension {d}", $"expected at most {long.MaxValue}; found {size}");
            }

            dimensions.Add((long)size);
            elements *= (long)size;
            if (elements > long.MaxValue)
            {
                throw reader.Error(place + " dimensions", "the product of the dimensions overflows a 64-bit element count");
            }
        }

        var typeNumber = reader.UInt32(place + " type");
        var type = typeNumber <= int.MaxValue ? (GgmlType)(int)typeNumber : (GgmlType)(-1);
        if (!GgmlTypes.IsKnown(type))
        {
            throw reader.Error(place + " type", $"{typeNumber} is not a ggml tensor type; known: {string.Join(", ", GgmlTypes.All.Select(t => $"{GgmlTypes.Name(t)} ({(int)t})"))}");
        }

        var block = GgmlTypes.BlockElements(type);
        if (dimensions[0] % block != 0)
        {
            throw reader.Error(place + " dimension 0", $"a {GgmlTypes.Name(type)} row holds whole blocks of {block} elements; the row has {dimensions[0]}");
        }

        var offset = reader.UInt64(place + " offset");
        if (offset > long.MaxValue)
        {
            throw reader.Error(place + " offset", $"expected at most {long.MaxValue}; found {offset}");
        }

        var bytes = (Int128)(long)elements / block * GgmlTypes.BlockBytes(type);
        if (bytes > long.MaxValue)
        {
            throw reader.Error(place + " dimensions", "the tensor's bytes overflow a 64-bit count");
        }

        return new GgufTensorInfo(name, type, dimensions.MoveToImmutable(), (long)offset, (long)elements, (long)bytes);
    }

    private static GgufValue ReadValue(Reader reader, GgufValueType type, string place)
    {
        switch (type)
        {
            case GgufValueType.String:
                return new GgufValue(type, reader.String(place, MaxStringBytes));
            case GgufValueType.Array:
                var elementType = reader.ValueType(place + " element type");
                if (elementType == GgufValueType.Array)
                {
                    throw reader.Error(place, "arrays of arrays are not read (llama.cpp refuses them too)");
                }

                var length = reader.UInt64(place + " length");
                reader.EnsureCount(length, elementType == GgufValueType.String ? 8 : Size(elementType), place + " length", "elements");
                var numeric = elementType is not (GgufValueType.String or GgufValueType.Bool);
                var keep = numeric && length <= MaxKeptArrayElements;
                var numbers = keep ? ImmutableArray.CreateBuilder<double>((int)length) : null;
                for (ulong i = 0; i < length; i++)
                {
                    if (elementType == GgufValueType.String)
                    {
                        reader.SkipString(place + $"[{i}]", MaxStringBytes);
                    }
                    else if (numbers is not null)
                    {
                        numbers.Add(ReadValue(reader, elementType, place).AsDouble() ?? 0);
                    }
                    else
                    {
                        if (elementType == GgufValueType.Bool)
                        {
                            _ = ReadValue(reader, elementType, place + $"[{i}]");
                        }
                        else
                        {
                            reader.Skip(Size(elementType), place);
                        }
                    }
                }

                return new GgufValue(type, null, elementType, (long)length, numbers?.MoveToImmutable() ?? default);
            case GgufValueType.Bool:
                var b = reader.Bytes(1, place)[0];
                return b <= 1 ? new GgufValue(type, b == 1) : throw reader.Error(place, $"expected a boolean byte of 0 or 1; found {b}");
            case GgufValueType.Float32:
                return new GgufValue(type, (double)BinaryPrimitives.ReadSingleLittleEndian(reader.Bytes(4, place)));
            case GgufValueType.Float64:
                return new GgufValue(type, BinaryPrimitives.ReadDoubleLittleEndian(reader.Bytes(8, place)));
            case GgufValueType.UInt64:
                return new GgufValue(type, reader.UInt64(place));
            default:
                var raw = reader.Bytes(Size(type), place);
                long value = type switch
                {
                    GgufValueType.UInt8 => raw[0],
                    GgufValueType.Int8 => unchecked((sbyte)raw[0]),
                    GgufValueType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(raw),
                    GgufValueType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw),
                    GgufValueType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(raw),
                    GgufValueType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw),
                    _ => BinaryPrimitives.ReadInt64LittleEndian(raw),
                };
                return new GgufValue(type, value);
        }
    }

    private static int Size(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        _ => 8,
    };

    private static long Pad(long value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>A forward reader that knows how many bytes are left and refuses to read or allocate past them.</summary>
    private sealed class Reader(Stream stream, long length, string sourceName)
    {
        private readonly byte[] _scratch = new byte[8];

        public long Length { get; } = length;

        public long Position { get; private set; }

        private long Left => Length - Position;

        public ModelImportException Error(string place, string problem) => new(sourceName, place, problem);

        public void EnsureCount(ulong count, int minimumBytesEach, string place, string what)
        {
            if (count > (ulong)(Left / minimumBytesEach))
            {
                throw Error(place, $"the file declares {count} {what} but its {Left} remaining bytes could hold at most {Left / minimumBytesEach}");
            }
        }

        public ReadOnlySpan<byte> Bytes(int count, string place)
        {
            Fill(_scratch.AsSpan(0, count), place);
            return _scratch.AsSpan(0, count);
        }

        public uint UInt32(string place) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, place));

        public ulong UInt64(string place) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, place));

        public GgufValueType ValueType(string place)
        {
            var type = UInt32(place);
            return type <= (uint)GgufValueType.Float64
                ? (GgufValueType)type
                : throw Error(place, $"{type} is not a GGUF value type; expected 0 to 12 (uint8 … float64)");
        }

        public string String(string place, int maxBytes)
        {
            var length = StringLength(place, maxBytes);
            var buffer = new byte[length];
            Fill(buffer, place);
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer);
            }
            catch (DecoderFallbackException exception)
            {
                throw new ModelImportException(sourceName, place, "expected UTF-8 text; the string holds bytes that are not UTF-8", exception);
            }
        }

        public void SkipString(string place, int maxBytes) => Skip(StringLength(place, maxBytes), place);

        public void Skip(long count, string place)
        {
            if (count > Left)
            {
                throw Error(place, $"the file ends {count - Left} bytes too early (truncated?)");
            }

            // A forward seek on the buffered stream: nothing is allocated for skipped bytes.
            stream.Seek(count, SeekOrigin.Current);
            Position += count;
        }

        private int StringLength(string place, int maxBytes)
        {
            var length = UInt64(place + " length");
            if (length > (ulong)Left)
            {
                throw Error(place, $"the string declares {length} bytes but only {Left} are left in the file (truncated?)");
            }

            return length <= (ulong)maxBytes ? (int)length : throw Error(place, $"expected a string of at most {maxBytes} bytes; found {length}");
        }

        private void Fill(Span<byte> buffer, string place)
        {
            if (buffer.Length > Left)
            {
                throw Error(place, $"the file ends {buffer.Length - Left} bytes too early (truncated?)");
            }

            stream.ReadExactly(buffer);
            Position += buffer.Length;
        }
    }
}
