using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;

namespace ModelSelection.Safetensors;

/// <summary>
/// The header of one <c>.safetensors</c> file: its tensors, their element types and shapes, and the metadata, read
/// without touching the tensor data.
/// </summary>
/// <remarks>
/// <para>
/// Format (huggingface/safetensors): an 8-byte little-endian header length <c>N</c>, <c>N</c> bytes of UTF-8 JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}</c>), then the data region,
/// which the offsets must cover exactly, without overlaps or holes.
/// </para>
/// <para>
/// Reading is bounded: a header length above <see cref="MaxHeaderBytes"/> or beyond the file is rejected before
/// anything is allocated for it, a header listing more than <see cref="MaxTensors"/> tensors is refused before it is
/// parsed, shapes are multiplied with overflow checks, and every offset is checked against
/// the data region. Any problem is a <see cref="ModelImportException"/> naming the file and the place. Immutable and
/// thread-safe.
/// </para>
/// </remarks>
public sealed class SafetensorsFile
{
    /// <summary>The largest header accepted: 100 MB (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The most tensors one header may list (the largest released shards hold a few thousand).</summary>
    public const int MaxTensors = 200_000;

    private static readonly FrozenDictionary<string, (SafetensorsDtype Dtype, int Bytes)> Dtypes = new Dictionary<string, (SafetensorsDtype, int)>(StringComparer.Ordinal)
    {
        ["F64"] = (SafetensorsDtype.F64, 8),
        ["F32"] = (SafetensorsDtype.F32, 4),
        ["F16"] = (SafetensorsDtype.F16, 2),
        ["BF16"] = (SafetensorsDtype.BF16, 2),
        ["F8_E4M3"] = (SafetensorsDtype.F8E4M3, 1),
        ["F8_E5M2"] = (SafetensorsDtype.F8E5M2, 1),
        ["I64"] = (SafetensorsDtype.I64, 8),
        ["I32"] = (SafetensorsDtype.I32, 4),
        ["I16"] = (SafetensorsDtype.I16, 2),
        ["I8"] = (SafetensorsDtype.I8, 1),
        ["U8"] = (SafetensorsDtype.U8, 1),
        ["BOOL"] = (SafetensorsDtype.Bool, 1),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private SafetensorsFile(string sourceName, long headerBytes, long dataBytes, ImmutableArray<SafetensorsTensor> tensors, ImmutableSortedDictionary<string, string> metadata)
    {
        SourceName = sourceName;
        HeaderBytes = headerBytes;
        DataBytes = dataBytes;
        Tensors = tensors;
        Metadata = metadata;
        var parameters = 0L;
        var buffers = 0L;
        foreach (var tensor in tensors)
        {
            if (tensor.IsBuffer)
            {
                buffers += tensor.Elements;
            }
            else
            {
                parameters += tensor.Elements;
            }
        }

        ParameterElements = parameters;
        BufferElements = buffers;
    }

    /// <summary>Gets the file (or stream name) the header was read from.</summary>
    public string SourceName { get; }

    /// <summary>Gets the length of the JSON header in bytes (<c>N</c>).</summary>
    public long HeaderBytes { get; }

    /// <summary>Gets the length of the data region in bytes.</summary>
    public long DataBytes { get; }

    /// <summary>Gets the tensors, ordered by their position in the data region.</summary>
    public ImmutableArray<SafetensorsTensor> Tensors { get; }

    /// <summary>Gets the <c>__metadata__</c> entries (e.g. <c>format: pt</c>).</summary>
    public ImmutableSortedDictionary<string, string> Metadata { get; }

    /// <summary>Gets the stored elements of the parameter tensors (buffers excluded).</summary>
    public long ParameterElements { get; }

    /// <summary>Gets the stored elements of buffer tensors (see <see cref="SafetensorsTensor.IsBuffer"/>).</summary>
    public long BufferElements { get; }

    /// <summary>Reads the header of a file.</summary>
    /// <param name="path">The <c>.safetensors</c> file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file (a directory, device, FIFO, unresolvable link) or is empty, or the header is malformed, too large, or inconsistent with the file.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Internal.BoundedFile.Check(path, long.MaxValue, "a safetensors file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        return Read(stream, path);
    }

    /// <summary>Reads the header from a seekable stream positioned at the start of a safetensors file.</summary>
    /// <param name="stream">The stream; its length bounds the data region.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot seek or read.</exception>
    /// <exception cref="ModelImportException">The header is malformed, too large, or inconsistent with the stream's length.</exception>
    public static SafetensorsFile Read(Stream stream, string sourceName)
    {
        CheckStream(stream, sourceName);
        var reading = ReadCoreAsync(stream, sourceName, async: false, CancellationToken.None);
        System.Diagnostics.Debug.Assert(reading.IsCompleted, "a synchronous read never suspends");
        return reading.GetAwaiter().GetResult();
    }

    /// <summary>Reads the header of a file asynchronously: the same bounds and errors as <see cref="Read(string)"/>.</summary>
    /// <param name="path">The <c>.safetensors</c> file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header.</returns>
    /// <remarks>Reads the 8-byte length and the JSON header only, never the tensor data.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file (a directory, device, FIFO, unresolvable link) or is empty, or the header is malformed, too large, or inconsistent with the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The BCL convention: every async overload ends in CancellationToken cancellationToken = default.")]
    public static async Task<SafetensorsFile> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        cancellationToken.ThrowIfCancellationRequested();
        Internal.BoundedFile.Check(path, long.MaxValue, "a safetensors file");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadCoreAsync(stream, path, async: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the header from a seekable stream asynchronously: the same bounds and errors as <see cref="Read(Stream, string)"/>.</summary>
    /// <param name="stream">The stream, positioned at the start of a safetensors file; its length bounds the data region.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header.</returns>
    /// <remarks>Reads the 8-byte length and the JSON header only, never the tensor data; the stream is left open, positioned at the data region.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot seek or read.</exception>
    /// <exception cref="ModelImportException">The header is malformed, too large, or inconsistent with the stream's length.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The BCL convention: every async overload ends in CancellationToken cancellationToken = default.")]
    public static Task<SafetensorsFile> ReadAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        CheckStream(stream, sourceName);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<SafetensorsFile>(cancellationToken)
            : ReadCoreAsync(stream, sourceName, async: true, cancellationToken).AsTask();
    }

    private static void CheckStream(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable: its length bounds the header and the data region.", nameof(stream));
        }
    }

    /// <summary>The one reader of headers (the <c>bool async</c> pattern: synchronous reads complete before it returns).</summary>
    private static async ValueTask<SafetensorsFile> ReadCoreAsync(Stream stream, string sourceName, bool async, CancellationToken cancellationToken)
    {
        var length = stream.Length - stream.Position;
        if (length < 8)
        {
            throw new ModelImportException(sourceName, "header length", $"expected at least 8 bytes for the header length; the file has {length}");
        }

        var prefix = new byte[8];
        await ReadExactlyAsync(stream, prefix, async, sourceName, "header length", "the file ended inside the header length", cancellationToken).ConfigureAwait(false);
        var declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > MaxHeaderBytes)
        {
            throw new ModelImportException(sourceName, "header length", $"expected at most {MaxHeaderBytes} bytes; the file declares {declared}");
        }

        var headerBytes = (long)declared;
        if (headerBytes > length - 8)
        {
            throw new ModelImportException(sourceName, "header length", $"the file declares a {headerBytes}-byte header but has only {length - 8} bytes after the length field");
        }

        if (headerBytes < 2)
        {
            throw new ModelImportException(sourceName, "header length", $"expected a JSON object of at least 2 bytes; the file declares {headerBytes}");
        }

        var header = new byte[headerBytes];
        await ReadExactlyAsync(stream, header, async, sourceName, "header", "the file ended inside the header", cancellationToken).ConfigureAwait(false);
        return Parse(header, sourceName, headerBytes, length - 8 - headerBytes);
    }

    private static async ValueTask ReadExactlyAsync(Stream stream, byte[] buffer, bool async, string sourceName, string place, string problem, CancellationToken cancellationToken)
    {
        try
        {
            if (async)
            {
                await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                stream.ReadExactly(buffer);
            }
        }
        catch (EndOfStreamException exception)
        {
            throw new ModelImportException(sourceName, place, problem, exception);
        }
    }

    private static SafetensorsFile Parse(byte[] header, string sourceName, long headerBytes, long dataBytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new ModelImportException(sourceName, "header", "expected UTF-8 JSON; the header holds bytes that are not UTF-8");
        }

        // Count the entries first with a forward-only reader (no allocation): a header of millions of empty tensors is
        // refused in a fraction of the time and memory a document of it would take.
        if (CountTopLevelEntries(header) is var entries && entries > MaxTensors + 1)
        {
            throw new ModelImportException(sourceName, "header", $"expected at most {MaxTensors} tensors; the header lists {entries} entries");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            throw new ModelImportException(sourceName, $"header byte {(exception.BytePositionInLine ?? 0) + 8}", "expected a JSON object: " + exception.Message, exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelImportException(sourceName, "$", $"expected a JSON object; found {root.ValueKind}");
            }

            var tensors = new List<SafetensorsTensor>();
            var metadata = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var property in root.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        throw new ModelImportException(sourceName, $"$['{Truncate(property.Name)}']", "each tensor name must appear once; this one appears twice");
                    }

                    if (property.Name == "__metadata__")
                    {
                        ReadMetadata(property.Value, sourceName, metadata);
                        continue;
                    }

                    tensors.Add(ReadTensor(property, sourceName, dataBytes));
                }
            }
            catch (InvalidOperationException exception)
            {
                // An escaped lone surrogate ("\ud800") is valid JSON but no .NET string: System.Text.Json throws on reading it.
                throw new ModelImportException(sourceName, "header", "expected names and strings of valid Unicode; the header holds an unpaired surrogate escape", exception);
            }

            tensors.Sort((a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
            var expected = 0L;
            foreach (var tensor in tensors)
            {
                if (tensor.DataBegin < expected)
                {
                    throw new ModelImportException(sourceName, $"$['{tensor.Name}'].data_offsets", $"the tensor's bytes [{tensor.DataBegin}, {tensor.DataEnd}) overlap the previous tensor's, which end at {expected}");
                }

                if (tensor.DataBegin > expected)
                {
                    throw new ModelImportException(sourceName, $"$['{tensor.Name}'].data_offsets", $"the data region has a hole: bytes [{expected}, {tensor.DataBegin}) belong to no tensor");
                }

                expected = tensor.DataEnd;
            }

            if (expected != dataBytes)
            {
                throw new ModelImportException(sourceName, "data region", $"the tensors cover {expected} bytes but the data region holds {dataBytes}");
            }

            return new SafetensorsFile(sourceName, headerBytes, dataBytes, [.. tensors], metadata.ToImmutable());
        }
    }

    private static void ReadMetadata(JsonElement element, string sourceName, ImmutableSortedDictionary<string, string>.Builder metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ModelImportException(sourceName, "$.__metadata__", $"expected an object of strings; found {element.ValueKind}");
        }

        foreach (var entry in element.EnumerateObject())
        {
            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? Internal.JsonText.GetString(entry.Value, sourceName, $"$.__metadata__['{Truncate(entry.Name)}']")
                : throw new ModelImportException(sourceName, $"$.__metadata__['{entry.Name}']", $"expected a string; found {entry.Value.ValueKind}");
        }
    }

    private static SafetensorsTensor ReadTensor(JsonProperty property, string sourceName, long dataBytes)
    {
        var path = $"$['{property.Name}']";
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelImportException(sourceName, path, $"expected an object with dtype, shape and data_offsets; found {value.ValueKind}");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new ModelImportException(sourceName, path + ".dtype", "expected a dtype string");
        }

        var dtypeName = Internal.JsonText.GetString(dtypeElement, sourceName, path + ".dtype");
        if (!Dtypes.TryGetValue(dtypeName, out var dtype))
        {
            throw new ModelImportException(sourceName, path + ".dtype", $"unknown dtype \"{(dtypeName.Length > 20 ? dtypeName[..20] + "…" : dtypeName)}\"; expected one of {string.Join(", ", Dtypes.Keys.Order(StringComparer.Ordinal))}");
        }

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new ModelImportException(sourceName, path + ".shape", "expected an array of dimensions");
        }

        var shape = ImmutableArray.CreateBuilder<long>(shapeElement.GetArrayLength());
        Int128 elements = 1;
        var i = 0;
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out var size) || size < 0)
            {
                throw new ModelImportException(sourceName, $"{path}.shape[{i}]", $"expected a non-negative integer dimension; found {dimension.GetRawText()}");
            }

            shape.Add(size);
            elements *= size;
            if (elements > long.MaxValue)
            {
                throw new ModelImportException(sourceName, path + ".shape", "the product of the dimensions overflows a 64-bit element count");
            }

            i++;
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new ModelImportException(sourceName, path + ".data_offsets", "expected [begin, end]");
        }

        var begin = Offset(offsets[0], sourceName, path);
        var end = Offset(offsets[1], sourceName, path);
        if (end < begin || end > dataBytes)
        {
            throw new ModelImportException(sourceName, path + ".data_offsets", $"expected 0 ≤ begin ≤ end ≤ {dataBytes} (the data region); found [{begin}, {end}]");
        }

        var bytes = elements * dtype.Bytes;
        if (bytes != end - begin)
        {
            throw new ModelImportException(sourceName, path + ".data_offsets", $"a {dtypeName} tensor of shape [{string.Join(", ", shape)}] takes {bytes} bytes; the offsets span {end - begin}");
        }

        return new SafetensorsTensor(property.Name, dtype.Dtype, shape.MoveToImmutable(), (long)elements, begin, end);
    }

    private static long Offset(JsonElement element, string sourceName, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var offset) && offset >= 0
            ? offset
            : throw new ModelImportException(sourceName, path + ".data_offsets", $"expected non-negative integer offsets; found {element.GetRawText()}");

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>The properties of the top-level object, counted by a forward-only reader; malformed JSON counts what it read (the document parse reports it).</summary>
    private static long CountTopLevelEntries(byte[] header)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 16 });
        long count = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    count++;
                }
            }
        }
        catch (JsonException)
        {
            // Left to JsonDocument.Parse, which names the position.
        }

        return count;
    }
}
