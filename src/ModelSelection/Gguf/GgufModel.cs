using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ModelSelection.Models;

namespace ModelSelection.Gguf;

/// <summary>
/// A GGUF model — one file, or a split one (<c>name-00001-of-00003.gguf</c> and its parts) — with its exact parameter
/// count (Σ elements of every tensor) and weight bytes (Σ tensor bytes), and a <see cref="ModelSpec"/> built from its
/// architecture keys (<c>{arch}.block_count</c>, <c>.embedding_length</c>, <c>.attention.head_count</c>, …) and its
/// tensors, whose estimates use the file's own bytes.
/// </summary>
/// <remarks>
/// The inventory is the file's tensors grouped by name (<c>blk.*.attn_q.weight</c>) with roles read from llama.cpp's
/// tensor names, so any architecture whose keys follow the GGUF conventions is read: llama, mistral, qwen2, qwen3,
/// qwen3moe, gemma, gemma2, gemma3, phi2, phi3, falcon, gpt2, starcoder, bert, nomic-bert and more. Encoders are the
/// bert-like architectures; encoder-decoders (t5) are refused. Immutable and thread-safe.
/// </remarks>
public sealed partial class GgufModel
{
    private static readonly FrozenSet<string> EncoderArchitectures = new[] { "bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "modern-bert", "neo-bert", "eurobert" }.ToFrozenSet(StringComparer.Ordinal);

    private GgufModel(string sourceName, ImmutableArray<GgufFile> files)
    {
        SourceName = sourceName;
        Files = files;
        long elements = 0, bytes = 0;
        var byType = new SortedDictionary<GgmlType, long>();
        foreach (var file in files)
        {
            foreach (var tensor in file.Tensors)
            {
                elements = checked(elements + tensor.Elements);
                bytes = checked(bytes + tensor.Bytes);
                byType[tensor.Type] = byType.GetValueOrDefault(tensor.Type) + tensor.Bytes;
            }
        }

        if (elements > ParameterCount.MaxCount)
        {
            throw new ModelImportException(sourceName, "tensors", $"the model holds {elements} elements; at most 1E+15 parameters are supported");
        }

        Parameters = ParameterCount.FromCount(elements);
        WeightBytes = bytes;
        BytesByType = byType.ToImmutableSortedDictionary();
    }

    /// <summary>Gets the file the model was read from (the first part of a split model).</summary>
    public string SourceName { get; }

    /// <summary>Gets the headers of the files: one, or every part in order.</summary>
    public ImmutableArray<GgufFile> Files { get; }

    /// <summary>Gets Σ elements of every tensor: the exact parameter count llama.cpp reports (<c>llama_model_n_params</c>).</summary>
    public ParameterCount Parameters { get; }

    /// <summary>Gets Σ bytes of every tensor: what llama.cpp loads into its model buffers (<c>llama_model_size</c>).</summary>
    public long WeightBytes { get; }

    /// <summary>Gets the tensor bytes per ggml type.</summary>
    public ImmutableSortedDictionary<GgmlType, long> BytesByType { get; }

    /// <summary>Gets the metadata of the first file (the split parts repeat only the split keys).</summary>
    public ImmutableSortedDictionary<string, GgufValue> Metadata => Files[0].Metadata;

    /// <summary>Gets <c>general.architecture</c>, or <see langword="null"/>.</summary>
    public string? Architecture => Files[0].Architecture;

    /// <summary>
    /// Gets the format the file's <c>general.file_type</c> names (q4_k_m for 15); without that key, the one type every
    /// matrix is stored in when that type is a format of its own (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q6_K);
    /// otherwise <see langword="null"/>.
    /// </summary>
    public NumericPrecision? Format => Files[0].Get("general.file_type") is { } key
        ? key.AsInt64() is { } type and >= 0 and <= int.MaxValue ? NumericPrecision.FromGgufFileType((int)type) : null
        : SingleMatrixType() switch
        {
            GgmlType.F32 => NumericPrecision.Fp32,
            GgmlType.F16 => NumericPrecision.Fp16,
            GgmlType.BF16 => NumericPrecision.Bf16,
            GgmlType.Q4_0 => NumericPrecision.GgufQ40,
            GgmlType.Q8_0 => NumericPrecision.GgufQ80,
            GgmlType.Q6_K => NumericPrecision.GgufQ6K,
            GgmlType.Q4_1 => NumericPrecision.FromGgufFileType(3),
            GgmlType.Q5_0 => NumericPrecision.FromGgufFileType(8),
            GgmlType.Q5_1 => NumericPrecision.FromGgufFileType(9),
            _ => null,
        };

    /// <summary>The type of every tensor of two or more dimensions, when they share one (the weights of a pure file).</summary>
    private GgmlType? SingleMatrixType()
    {
        GgmlType? found = null;
        foreach (var tensor in Files.SelectMany(f => f.Tensors).Where(t => t.Dimensions.Length >= 2))
        {
            if (found is { } seen && seen != tensor.Type)
            {
                return null;
            }

            found = tensor.Type;
        }

        return found;
    }

    /// <summary>Reads a model: a <c>.gguf</c> file, or the first (or any) part of a split model, whose parts must lie beside it.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file, or a part of a split model, does not exist.</exception>
    /// <exception cref="ModelImportException">A header is malformed, a part is missing its split keys or repeats a tensor, or a part links outside the folder.</exception>
    public static GgufModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var reading = ReadCoreAsync(path, async: false, CancellationToken.None);
        System.Diagnostics.Debug.Assert(reading.IsCompleted, "a synchronous read never suspends");
        return reading.GetAwaiter().GetResult();
    }

    /// <summary>Reads a model asynchronously: the same files, bounds and errors as <see cref="Read(string)"/>.</summary>
    /// <param name="path">The file, or the first (or any) part of a split model.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The model.</returns>
    /// <remarks>Reads each part's header, metadata and tensor infos only (<see cref="GgufFile.ReadAsync(string, CancellationToken)"/>), never tensor data.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file, or a part of a split model, does not exist.</exception>
    /// <exception cref="ModelImportException">A header is malformed, a part is missing its split keys or repeats a tensor, or a part links outside the folder.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static Task<GgufModel> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<GgufModel>(cancellationToken)
            : ReadCoreAsync(path, async: true, cancellationToken).AsTask();
    }

    /// <summary>The one reader of models (the <c>bool async</c> pattern: synchronous reads complete before it returns).</summary>
    private static async ValueTask<GgufModel> ReadCoreAsync(string path, bool async, CancellationToken cancellationToken)
    {
        var match = SplitName().Match(Path.GetFileName(path));
        if (!match.Success)
        {
            return new GgufModel(path, [async ? await GgufFile.ReadAsync(path, cancellationToken).ConfigureAwait(false) : GgufFile.Read(path)]);
        }

        var count = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        if (count < 1)
        {
            throw new ModelImportException(path, "file name", "a split model names its part count after '-of-'; 00000 parts is no model");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var files = ImmutableArray.CreateBuilder<GgufFile>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i <= count; i++)
        {
            var part = Path.Combine(folder, $"{match.Groups[1].Value}-{i:D5}-of-{count:D5}.gguf");
            if (!File.Exists(part))
            {
                throw new FileNotFoundException($"Part {i} of {count} of the split model '{path}' is missing: {part}.", part);
            }

            var confined = Internal.BoundedFile.Confine(part, folder, path, $"part {i}");
            var file = async ? await GgufFile.ReadAsync(confined, cancellationToken).ConfigureAwait(false) : GgufFile.Read(confined);
            var number = file.Get("split.no")?.AsInt64();
            var total = file.Get("split.count")?.AsInt64();
            if (number != i - 1 || total != count)
            {
                throw new ModelImportException(part, "metadata 'split.no' / 'split.count'", $"expected part {i - 1} of {count} (0-based) as the file name says; found {(number is null ? "no split.no" : $"split.no {number}")} and {(total is null ? "no split.count" : $"split.count {total}")}");
            }

            foreach (var tensor in file.Tensors)
            {
                if (!names.Add(tensor.Name))
                {
                    throw new ModelImportException(part, $"tensor '{tensor.Name}'", "the tensor is also stored in another part of this split model");
                }
            }

            files.Add(file);
        }

        if (files[0].Get("split.tensors.count")?.AsInt64() is { } declared && declared != names.Count)
        {
            throw new ModelImportException(path, "metadata 'split.tensors.count'", $"the parts declare {declared} tensors in all; they hold {names.Count}");
        }

        return new GgufModel(path, files.MoveToImmutable());
    }

    /// <summary>Builds the spec: the architecture from the <c>{arch}.*</c> keys, the inventory from the tensors, the exact bytes per block.</summary>
    /// <param name="id">The id to give it; <see langword="null"/> for <c>general.name</c>, else the file name without extension.</param>
    /// <returns>The spec; its <see cref="ModelSpec.StoredWeights"/> holds the file's bytes in <see cref="Format"/>.</returns>
    /// <exception cref="ModelImportException">A required key is missing or out of range, a tensor's shape disagrees with the keys, the file type names no format the library knows, or the architecture is an encoder-decoder.</exception>
    public ModelSpec ToModelSpec(string? id = null) =>
        GgufSpecBuilder.Build(this, id ?? (Files[0].Get("general.name")?.AsString() is { Length: > 0 } name ? name : Path.GetFileNameWithoutExtension(SourceName)));

    internal static bool IsEncoder(string architecture) => EncoderArchitectures.Contains(architecture);

    [GeneratedRegex(@"^(.+)-(\d{5})-of-(\d{5})\.gguf$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SplitName();
}
