using System.Collections.Immutable;
using System.Text.Json;

namespace ModelSelection.Safetensors;

/// <summary>
/// A safetensors checkpoint — one file, or a sharded one (<c>model.safetensors.index.json</c> plus its shards) —
/// summarised from the headers alone: the exact parameter count and the bytes per element type.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Parameters"/> counts every stored element of the parameter tensors; buffers some checkpoints saved
/// (rotary <c>inv_freq</c>, GPT-2 masks, <c>position_ids</c>) are counted apart in <see cref="BufferElements"/>.
/// Shared tensors are stored once, so tied weights count once, as <c>num_parameters()</c> counts them. In packed
/// quantised checkpoints (GPTQ's I32 <c>qweight</c>, bitsandbytes' U8) an element holds several weights: the count
/// is of stored elements, and <see cref="BytesByDtype"/> tells the real size.
/// </para>
/// <para>Only headers are read, never tensor data. Immutable and thread-safe.</para>
/// </remarks>
public sealed class SafetensorsCheckpoint
{
    /// <summary>The index file name <c>transformers</c> writes beside sharded checkpoints.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private SafetensorsCheckpoint(string sourceName, ImmutableArray<SafetensorsFile> files, long? declaredTotalBytes)
    {
        SourceName = sourceName;
        Files = files;
        DeclaredTotalBytes = declaredTotalBytes;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var bytes = new SortedDictionary<SafetensorsDtype, long>();
        long parameters = 0, buffers = 0, total = 0;
        foreach (var file in files)
        {
            foreach (var tensor in file.Tensors)
            {
                if (!names.Add(tensor.Name))
                {
                    throw new ModelImportException(file.SourceName, $"$['{tensor.Name}']", "the tensor is also stored in another shard of this checkpoint");
                }

                bytes[tensor.Dtype] = bytes.GetValueOrDefault(tensor.Dtype) + tensor.Bytes;
                total += tensor.Bytes;
            }

            parameters += file.ParameterElements;
            buffers += file.BufferElements;
        }

        if (parameters > ParameterCount.MaxCount)
        {
            throw new ModelImportException(sourceName, "tensors", $"the checkpoint holds {parameters} elements; at most 1E+15 parameters are supported");
        }

        Parameters = ParameterCount.FromCount(parameters);
        BufferElements = buffers;
        TotalBytes = total;
        BytesByDtype = bytes.ToImmutableSortedDictionary();
    }

    /// <summary>Gets the file, index or folder the checkpoint was read from.</summary>
    public string SourceName { get; }

    /// <summary>Gets the headers of the files (one, or every shard in index order).</summary>
    public ImmutableArray<SafetensorsFile> Files { get; }

    /// <summary>Gets the stored elements of the parameter tensors.</summary>
    public ParameterCount Parameters { get; }

    /// <summary>Gets the stored elements of buffer tensors, which <see cref="Parameters"/> leaves out.</summary>
    public long BufferElements { get; }

    /// <summary>Gets the bytes of all tensor data.</summary>
    public long TotalBytes { get; }

    /// <summary>Gets the bytes of tensor data per element type.</summary>
    public ImmutableSortedDictionary<SafetensorsDtype, long> BytesByDtype { get; }

    /// <summary>Gets the index's <c>metadata.total_size</c>, when the checkpoint is sharded and declares one.</summary>
    public long? DeclaredTotalBytes { get; }

    /// <summary>
    /// Reads a checkpoint: a <c>.safetensors</c> file, a <c>model.safetensors.index.json</c>, or a folder holding either
    /// (the index wins, then <c>model.safetensors</c>).
    /// </summary>
    /// <param name="path">The file, index or folder.</param>
    /// <returns>The checkpoint summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">Nothing to read at <paramref name="path"/>.</exception>
    /// <exception cref="ModelImportException">A header or the index is malformed or special (not a regular file), a shard is missing or links outside the folder, or a listed tensor is not in its shard.</exception>
    public static SafetensorsCheckpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var reading = ReadCoreAsync(path, async: false, CancellationToken.None);
        System.Diagnostics.Debug.Assert(reading.IsCompleted, "a synchronous read never suspends");
        return reading.GetAwaiter().GetResult();
    }

    /// <summary>Reads a checkpoint asynchronously: the same files, bounds and errors as <see cref="Read(string)"/>.</summary>
    /// <param name="path">The <c>.safetensors</c> file, <c>model.safetensors.index.json</c>, or a folder holding either.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint summary.</returns>
    /// <remarks>Reads the index (when sharded) and each shard's header only (<see cref="SafetensorsFile.ReadAsync(string, CancellationToken)"/>), never tensor data.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">Nothing to read at <paramref name="path"/>.</exception>
    /// <exception cref="ModelImportException">A header or the index is malformed or special (not a regular file), a shard is missing or links outside the folder, or a listed tensor is not in its shard.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static Task<SafetensorsCheckpoint> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<SafetensorsCheckpoint>(cancellationToken)
            : ReadCoreAsync(path, async: true, cancellationToken).AsTask();
    }

    /// <summary>The one reader of checkpoints (the <c>bool async</c> pattern: synchronous reads complete before it returns).</summary>
    private static async ValueTask<SafetensorsCheckpoint> ReadCoreAsync(string path, bool async, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            var index = Path.Combine(path, IndexFileName);
            var single = Path.Combine(path, "model.safetensors");
            return File.Exists(index) ? await ReadIndexAsync(index, async, cancellationToken).ConfigureAwait(false)
                : File.Exists(single) ? new SafetensorsCheckpoint(single, [await ReadFileAsync(single, async, cancellationToken).ConfigureAwait(false)], null)
                : throw new FileNotFoundException($"The folder '{path}' holds neither {IndexFileName} nor model.safetensors.", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No safetensors file or index at '{path}'.", path);
        }

        return path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)
            ? await ReadIndexAsync(path, async, cancellationToken).ConfigureAwait(false)
            : new SafetensorsCheckpoint(path, [await ReadFileAsync(path, async, cancellationToken).ConfigureAwait(false)], null);
    }

    private static async ValueTask<SafetensorsFile> ReadFileAsync(string path, bool async, CancellationToken cancellationToken) =>
        async ? await SafetensorsFile.ReadAsync(path, cancellationToken).ConfigureAwait(false) : SafetensorsFile.Read(path);

    private static async ValueTask<SafetensorsCheckpoint> ReadIndexAsync(string indexPath, bool async, CancellationToken cancellationToken)
    {
        var bytes = async
            ? await Internal.BoundedFile.ReadAllAsync(indexPath, SafetensorsFile.MaxHeaderBytes, "a safetensors index", cancellationToken).ConfigureAwait(false)
            : Internal.BoundedFile.ReadAll(indexPath, SafetensorsFile.MaxHeaderBytes, "a safetensors index");
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new ModelImportException(indexPath, "file", "expected UTF-8 JSON; the index holds bytes that are not UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            throw new ModelImportException(indexPath, $"line {(exception.LineNumber ?? 0) + 1}", "expected valid JSON: " + exception.Message, exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new ModelImportException(indexPath, "$.weight_map", "required key is missing; expected an object mapping tensor names to shard files");
            }

            long? declaredTotal = null;
            if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("total_size", out var total))
            {
                declaredTotal = total.ValueKind == JsonValueKind.Number && total.TryGetInt64(out var totalBytes) && totalBytes >= 0
                    ? totalBytes
                    : throw new ModelImportException(indexPath, "$.metadata.total_size", $"expected a byte count of 0 or more; found {Import.ConfigReader.Describe(total)}");
            }

            if (!map.EnumerateObject().Any())
            {
                throw new ModelImportException(indexPath, "$.weight_map", "expected at least one tensor; the map is empty");
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath)) ?? ".";
            var shardOrder = new List<string>();
            var expected = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in EnumerateSafely(map, indexPath))
            {
                if (!seen.Add(entry.Name))
                {
                    throw new ModelImportException(indexPath, "$.weight_map", "each tensor must be listed once; one name appears twice");
                }

                var shard = entry.Value.ValueKind == JsonValueKind.String ? Internal.JsonText.TryGetString(entry.Value) ?? string.Empty : string.Empty;
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                {
                    throw new ModelImportException(indexPath, $"$.weight_map['{entry.Name}']", $"expected a shard file name in the index's folder; found {Import.ConfigReader.Describe(entry.Value)}");
                }

                if (!expected.TryGetValue(shard, out var names))
                {
                    expected[shard] = names = [];
                    shardOrder.Add(shard);
                }

                names.Add(entry.Name);
            }

            var files = ImmutableArray.CreateBuilder<SafetensorsFile>(shardOrder.Count);
            foreach (var shard in shardOrder)
            {
                var shardPath = Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                {
                    throw new ModelImportException(indexPath, $"$.weight_map['{expected[shard][0]}']", $"the shard '{shard}' is missing from {folder}");
                }

                var file = await ReadFileAsync(Internal.BoundedFile.Confine(shardPath, folder, indexPath, $"$.weight_map['{expected[shard][0]}']"), async, cancellationToken).ConfigureAwait(false);
                var present = file.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var name in expected[shard])
                {
                    if (!present.Contains(name))
                    {
                        throw new ModelImportException(indexPath, $"$.weight_map['{name}']", $"the index places the tensor in '{shard}', whose header does not list it");
                    }
                }

                files.Add(file);
            }

            return new SafetensorsCheckpoint(indexPath, files.MoveToImmutable(), declaredTotal);
        }
    }

    /// <summary>The map's entries, or a <see cref="ModelImportException"/> when a name holds an unpaired surrogate escape.</summary>
    private static List<JsonProperty> EnumerateSafely(JsonElement map, string indexPath)
    {
        var entries = new List<JsonProperty>();
        try
        {
            foreach (var entry in map.EnumerateObject())
            {
                _ = entry.Name;
                entries.Add(entry);
            }
        }
        catch (InvalidOperationException exception)
        {
            throw new ModelImportException(indexPath, "$.weight_map", "expected tensor names of valid Unicode; a name holds an unpaired surrogate escape", exception);
        }

        return entries;
    }
}
