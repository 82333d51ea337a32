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
        CheckStream(stream, sourceName);
        var reading = ReadCoreAsync(stream, sourceName, async: false, CancellationToken.None);
        System.Diagnostics.Debug.Assert(reading.IsCompleted, "a synchronous read never suspends");
        return reading.GetAwaiter().GetResult();
    }

    /// <summary>Reads the header of a file asynchronously: the same bounds and errors as <see cref="Read(string)"/>.</summary>
    /// <param name="path">The <c>.gguf</c> file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header.</returns>
    /// <remarks>Reads the header, the metadata and the tensor infos (and at most one 64 KiB buffer beyond them); large arrays whose values are not kept are skipped by seeking, and tensor data is never read.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file, or the header is malformed, truncated or inconsistent with the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The BCL convention: every async overload ends in CancellationToken cancellationToken = default.")]
    public static async Task<GgufFile> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        cancellationToken.ThrowIfCancellationRequested();
        Internal.BoundedFile.Check(path, long.MaxValue, "a GGUF file");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadCoreAsync(stream, path, async: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the header from a seekable stream asynchronously: the same bounds and errors as <see cref="Read(Stream, string)"/>.</summary>
    /// <param name="stream">The stream, positioned at the start of a GGUF file; its length bounds every count and the data.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header.</returns>
    /// <remarks>Reads the header, the metadata and the tensor infos (and at most one 64 KiB buffer beyond them); large arrays whose values are not kept are skipped by seeking, and tensor data is never read. The stream is left open.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot seek or read.</exception>
    /// <exception cref="ModelImportException">The header is malformed, truncated or inconsistent with the stream's length.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The BCL convention: every async overload ends in CancellationToken cancellationToken = default.")]
    public static Task<GgufFile> ReadAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        CheckStream(stream, sourceName);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<GgufFile>(cancellationToken)
            : ReadCoreAsync(stream, sourceName, async: true, cancellationToken).AsTask();
    }

    private static void CheckStream(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable: its length bounds the header and the data.", nameof(stream));
        }
    }

    /// <summary>
    /// The one parser: with <paramref name="async"/> false every read is synchronous and the task completes before it
    /// returns (the <c>bool async</c> pattern), so the synchronous and asynchronous readers cannot drift apart.
    /// </summary>
    private static async ValueTask<GgufFile> ReadCoreAsync(Stream stream, string sourceName, bool async, CancellationToken cancellationToken)
    {
        var reader = new Reader(stream, stream.Length - stream.Position, sourceName, async, cancellationToken);
        await reader.EnsureAsync(4, "magic").ConfigureAwait(false);
        var magic = reader.Take(4).ToArray();
        if (!magic.AsSpan().SequenceEqual("GGUF"u8))
        {
            throw reader.Error("magic", $"expected the bytes \"GGUF\"; found {Convert.ToHexString(magic)} — not a GGUF file");
        }

        var version = await reader.UInt32Async("version").ConfigureAwait(false);
        if (version is not (2 or 3))
        {
            throw reader.Error("version", version == 1
                ? "version 1 (32-bit counts, before August 2023) is not read; convert the file with a current llama.cpp"
                : $"expected version 2 or 3; found {version}");
        }

        var tensorCount = await reader.UInt64Async("tensor count").ConfigureAwait(false);
        var metadataCount = await reader.UInt64Async("metadata count").ConfigureAwait(false);

        // Each metadata entry takes at least 8 (key length) + 4 (type) + 1 bytes, each tensor info 8 + 4 + 8 + 4 + 8.
        reader.EnsureCount(metadataCount, 13, "metadata count", "metadata entries");
        reader.EnsureCount(tensorCount, 32, "tensor count", "tensor infos");
        var metadata = ImmutableSortedDictionary.CreateBuilder<string, GgufValue>(StringComparer.Ordinal);
        for (ulong i = 0; i < metadataCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = await reader.StringAsync($"metadata entry {i} key", ushort.MaxValue).ConfigureAwait(false);
            if (key.Length == 0)
            {
                throw reader.Error($"metadata entry {i} key", "expected a non-empty key");
            }

            var type = await reader.ValueTypeAsync($"metadata '{Short(key)}' type").ConfigureAwait(false);
            var value = await ReadValueAsync(reader, type, $"metadata '{Short(key)}'").ConfigureAwait(false);
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
            cancellationToken.ThrowIfCancellationRequested();
            tensors.Add(await ReadTensorInfoAsync(reader, i, names).ConfigureAwait(false));
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

    private static async ValueTask<GgufTensorInfo> ReadTensorInfoAsync(Reader reader, ulong index, HashSet<string> names)
    {
        var name = await reader.StringAsync($"tensor info {index} name", MaxTensorNameBytes).ConfigureAwait(false);
        if (name.Length == 0 || !names.Add(name))
        {
            throw reader.Error($"tensor info {index} name", name.Length == 0 ? "expected a non-empty name" : $"each tensor name must appear once; '{name}' appears twice");
        }

        var place = $"tensor '{name}'";
        var dimensionCount = await reader.UInt32Async(place + " dimension count").ConfigureAwait(false);
        if (dimensionCount is < 1 or > GgmlMaxDimensions)
        {
            throw reader.Error(place + " dimension count", $"expected 1 to {GgmlMaxDimensions} dimensions; found {dimensionCount}");
        }

        var dimensions = ImmutableArray.CreateBuilder<long>((int)dimensionCount);
        Int128 elements = 1;
        for (var d = 0; d < dimensionCount; d++)
        {
            var size = await reader.UInt64Async($"{place} dimension {d}").ConfigureAwait(false);
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

        var typeNumber = await reader.UInt32Async(place + " type").ConfigureAwait(false);
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

        var offset = await reader.UInt64Async(place + " offset").ConfigureAwait(false);
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

    private static async ValueTask<GgufValue> ReadValueAsync(Reader reader, GgufValueType type, string place)
    {
        switch (type)
        {
            case GgufValueType.String:
                return new GgufValue(type, await reader.StringAsync(place, MaxStringBytes).ConfigureAwait(false));
            case GgufValueType.Array:
                var elementType = await reader.ValueTypeAsync(place + " element type").ConfigureAwait(false);
                if (elementType == GgufValueType.Array)
                {
                    throw reader.Error(place, "arrays of arrays are not read (llama.cpp refuses them too)");
                }

                var length = await reader.UInt64Async(place + " length").ConfigureAwait(false);
                reader.EnsureCount(length, elementType == GgufValueType.String ? 8 : Size(elementType), place + " length", "elements");
                var numeric = elementType is not (GgufValueType.String or GgufValueType.Bool);
                var keep = numeric && length <= MaxKeptArrayElements;
                var numbers = keep ? ImmutableArray.CreateBuilder<double>((int)length) : null;
                for (ulong i = 0; i < length; i++)
                {
                    if (elementType == GgufValueType.String)
                    {
                        await reader.SkipStringAsync(place + $"[{i}]", MaxStringBytes).ConfigureAwait(false);
                    }
                    else if (numbers is not null)
                    {
                        numbers.Add((await ReadValueAsync(reader, elementType, place).ConfigureAwait(false)).AsDouble() ?? 0);
                    }
                    else
                    {
                        if (elementType == GgufValueType.Bool)
                        {
                            _ = await ReadValueAsync(reader, elementType, place + $"[{i}]").ConfigureAwait(false);
                        }
                        else
                        {
                            await reader.SkipAsync(Size(elementType), place).ConfigureAwait(false);
                        }
                    }
                }

                return new GgufValue(type, null, elementType, (long)length, numbers?.MoveToImmutable() ?? default);
            case GgufValueType.Bool:
                await reader.EnsureAsync(1, place).ConfigureAwait(false);
                var b = reader.Take(1)[0];
                return b <= 1 ? new GgufValue(type, b == 1) : throw reader.Error(place, $"expected a boolean byte of 0 or 1; found {b}");
            case GgufValueType.Float32:
                await reader.EnsureAsync(4, place).ConfigureAwait(false);
                return new GgufValue(type, (double)BinaryPrimitives.ReadSingleLittleEndian(reader.Take(4)));
            case GgufValueType.Float64:
                await reader.EnsureAsync(8, place).ConfigureAwait(false);
                return new GgufValue(type, BinaryPrimitives.ReadDoubleLittleEndian(reader.Take(8)));
            case GgufValueType.UInt64:
                return new GgufValue(type, await reader.UInt64Async(place).ConfigureAwait(false));
            default:
                await reader.EnsureAsync(Size(type), place).ConfigureAwait(false);
                var raw = reader.Take(Size(type));
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

    /// <summary>
    /// A forward reader that knows how many bytes are left and refuses to read or allocate past them. It buffers 64 KiB
    /// itself, so a value already buffered is read without awaiting; <c>async</c> picks the stream's synchronous or
    /// asynchronous reads for the refills, checking the cancellation token before each.
    /// </summary>
    private sealed class Reader(Stream stream, long length, string sourceName, bool async, CancellationToken cancellationToken)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;

        public long Length { get; } = length;

        public long Position { get; private set; }

        private long Left => Length - Position;

        private int Buffered => _end - _start;

        public ModelImportException Error(string place, string problem) => new(sourceName, place, problem);

        public void EnsureCount(ulong count, int minimumBytesEach, string place, string what)
        {
            if (count > (ulong)(Left / minimumBytesEach))
            {
                throw Error(place, $"the file declares {count} {what} but its {Left} remaining bytes could hold at most {Left / minimumBytesEach}");
            }
        }

        /// <summary>Makes sure the next <paramref name="count"/> bytes (at most 64 KiB) are buffered; completes at once when they are.</summary>
        public ValueTask EnsureAsync(int count, string place)
        {
            if (count > Left)
            {
                throw Error(place, $"the file ends {count - Left} bytes too early (truncated?)");
            }

            return Buffered >= count ? ValueTask.CompletedTask : RefillAsync(count, place);
        }

        /// <summary>Takes <paramref name="count"/> bytes that <see cref="EnsureAsync"/> buffered.</summary>
        public ReadOnlySpan<byte> Take(int count)
        {
            var span = _buffer.AsSpan(_start, count);
            _start += count;
            Position += count;
            return span;
        }

        public async ValueTask<uint> UInt32Async(string place)
        {
            await EnsureAsync(4, place).ConfigureAwait(false);
            return BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        }

        public async ValueTask<ulong> UInt64Async(string place)
        {
            await EnsureAsync(8, place).ConfigureAwait(false);
            return BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        }

        public async ValueTask<GgufValueType> ValueTypeAsync(string place)
        {
            var type = await UInt32Async(place).ConfigureAwait(false);
            return type <= (uint)GgufValueType.Float64
                ? (GgufValueType)type
                : throw Error(place, $"{type} is not a GGUF value type; expected 0 to 12 (uint8 … float64)");
        }

        public async ValueTask<string> StringAsync(string place, int maxBytes)
        {
            var length = await StringLengthAsync(place, maxBytes).ConfigureAwait(false);
            byte[] bytes;
            if (length <= _buffer.Length)
            {
                await EnsureAsync(length, place).ConfigureAwait(false);
                bytes = Take(length).ToArray();
            }
            else
            {
                // Longer than the buffer: what is buffered, then the rest straight from the stream.
                bytes = new byte[length];
                var buffered = Buffered;
                Take(buffered).CopyTo(bytes);
                await ReadDirectAsync(bytes.AsMemory(buffered), place).ConfigureAwait(false);
            }

            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException exception)
            {
                throw new ModelImportException(sourceName, place, "expected UTF-8 text; the string holds bytes that are not UTF-8", exception);
            }
        }

        public async ValueTask SkipStringAsync(string place, int maxBytes) => await SkipAsync(await StringLengthAsync(place, maxBytes).ConfigureAwait(false), place).ConfigureAwait(false);

        public ValueTask SkipAsync(long count, string place)
        {
            if (count > Left)
            {
                throw Error(place, $"the file ends {count - Left} bytes too early (truncated?)");
            }

            if (count <= Buffered)
            {
                _start += (int)count;
            }
            else
            {
                // A forward seek past the buffer: nothing is read or allocated for skipped bytes.
                stream.Seek(count - Buffered, SeekOrigin.Current);
                _start = _end = 0;
            }

            Position += count;
            return ValueTask.CompletedTask;
        }

        private async ValueTask<int> StringLengthAsync(string place, int maxBytes)
        {
            var length = await UInt64Async(place + " length").ConfigureAwait(false);
            if (length > (ulong)Left)
            {
                throw Error(place, $"the string declares {length} bytes but only {Left} are left in the file (truncated?)");
            }

            return length <= (ulong)maxBytes ? (int)length : throw Error(place, $"expected a string of at most {maxBytes} bytes; found {length}");
        }

        private async ValueTask RefillAsync(int count, string place)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
                _end -= _start;
                _start = 0;
            }

            // Never past the length the reader was given: the bytes not yet buffered are Left - Buffered.
            var room = (int)Math.Min(_buffer.Length - _end, Left - Buffered);
            while (_end < count)
            {
                var read = async
                    ? await stream.ReadAsync(_buffer.AsMemory(_end, room), cancellationToken).ConfigureAwait(false)
                    : stream.Read(_buffer, _end, room);
                if (read == 0)
                {
                    throw Error(place, $"the stream ended {count - _end} bytes before the length it declared (truncated while read?)");
                }

                _end += read;
                room -= read;
            }
        }

        private async ValueTask ReadDirectAsync(Memory<byte> destination, string place)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (async)
                {
                    await stream.ReadExactlyAsync(destination, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    stream.ReadExactly(destination.Span);
                }
            }
            catch (EndOfStreamException exception)
            {
                throw new ModelImportException(sourceName, place, "the stream ended before the length it declared (truncated while read?)", exception);
            }

            Position += destination.Length;
        }
    }
}
