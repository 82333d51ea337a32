using System.Collections.Frozen;
using System.Text.Json;
using ModelSelection.Import.Families;
using ModelSelection.Models;

namespace ModelSelection.Import;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into a <see cref="ModelSpec"/> with the exact parameter count of the
/// model it describes.
/// </summary>
/// <remarks>
/// <para>
/// Supported <c>model_type</c>s: <c>bert</c>, <c>roberta</c>, <c>distilbert</c>, <c>albert</c>, <c>mobilebert</c>,
/// <c>transfo-xl</c>, <c>gpt2</c>, <c>llama</c> (Llama 2/3, TinyLlama), <c>mistral</c>, <c>mixtral</c>,
/// <c>qwen2</c>, <c>phi</c>, <c>phi3</c>, <c>gemma</c>, <c>falcon</c>, <c>t5</c>; configs without
/// <c>model_type</c> are recognised by their <c>architectures</c> class name or, for BERT-shaped configs such as
/// TinyBERT's, by their keys. Absent optional keys take the family's <c>transformers</c> default
/// (<c>tie_word_embeddings</c>, <c>n_inner</c>, <c>num_key_value_heads</c>, <c>multi_query</c>, …); the keys that
/// fix the model's size (vocabulary, width, depth, heads, feed-forward width) are required, since a silent default
/// there would be a guess. See <see cref="ModelSpec.CountingConvention"/> for what is counted.
/// </para>
/// <para>Every problem is a <see cref="ModelImportException"/> naming the file, the JSON path and what was expected. Thread-safe.</para>
/// </remarks>
public static class HuggingFaceConfig
{
    /// <summary>Config files larger than this (16 MiB) are rejected unread: real ones are a few kilobytes.</summary>
    public const long MaxFileBytes = 16L << 20;

    private static readonly FrozenDictionary<string, string> FamilyByModelType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bert"] = "bert",
        ["roberta"] = "roberta",
        ["distilbert"] = "distilbert",
        ["albert"] = "albert",
        ["mobilebert"] = "mobilebert",
        ["modernbert"] = "modernbert",
        ["transfo-xl"] = "transfo-xl",
        ["transfo_xl"] = "transfo-xl",
        ["gpt2"] = "gpt2",
        ["llama"] = "llama",
        ["mistral"] = "mistral",
        ["mixtral"] = "mixtral",
        ["qwen2"] = "qwen2",
        ["qwen3"] = "qwen3",
        ["qwen3_moe"] = "qwen3_moe",
        ["phi"] = "phi",
        ["phi3"] = "phi3",
        ["gemma"] = "gemma",
        ["gemma2"] = "gemma2",
        ["falcon"] = "falcon",
        ["RefinedWeb"] = "falcon",
        ["RefinedWebModel"] = "falcon",
        ["t5"] = "t5",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Longest prefixes first: Phi3 before Phi, DistilBert/MobileBert/Roberta before Bert.
    private static readonly (string Prefix, string Family)[] FamilyByClass =
    [
        ("DistilBert", "distilbert"), ("MobileBert", "mobilebert"), ("ModernBert", "modernbert"), ("Roberta", "roberta"), ("Albert", "albert"),
        ("Bert", "bert"), ("TransfoXL", "transfo-xl"), ("GPT2", "gpt2"), ("Llama", "llama"), ("Mixtral", "mixtral"),
        ("Mistral", "mistral"), ("Qwen3Moe", "qwen3_moe"), ("Qwen3", "qwen3"), ("Qwen2", "qwen2"), ("Phi3", "phi3"), ("Phi", "phi"),
        ("Gemma2", "gemma2"), ("Gemma", "gemma"),
        ("Falcon", "falcon"), ("RW", "falcon"), ("T5", "t5"),
    ];

    private static readonly string[] BertShapeKeys = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "type_vocab_size"];

    /// <summary>Gets the supported <c>model_type</c> values.</summary>
    public static IReadOnlyCollection<string> SupportedModelTypes { get; } =
        ["bert", "roberta", "distilbert", "albert", "mobilebert", "modernbert", "transfo-xl", "gpt2", "llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe", "phi", "phi3", "gemma", "gemma2", "falcon", "t5"];

    /// <summary>Reads a <c>config.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="id">The model id; <see langword="null"/> takes the config's <c>_name_or_path</c>, else the file's folder name.</param>
    /// <returns>The spec, without quality scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file (a directory, device, FIFO, unresolvable link) or is empty, the file is too large, not JSON, or not a supported, consistent config.</exception>
    public static ModelSpec Load(string path, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = new FileInfo(path);
        var bytes = Internal.BoundedFile.ReadAll(path, MaxFileBytes, "a config.json");
        return FromBytes(bytes, path, id, FallbackId(file));
    }

    /// <summary>Reads a <c>config.json</c> file asynchronously: the same bounds and errors as <see cref="Load(string, string?)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="id">The model id; <see langword="null"/> takes the config's <c>_name_or_path</c>, else the file's folder name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The spec, without quality scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file (a directory, device, FIFO, unresolvable link) or is empty, the file is too large, not JSON, or not a supported, consistent config.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ModelSpec> LoadAsync(string path, string? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = await Internal.BoundedFile.ReadAllAsync(path, MaxFileBytes, "a config.json", cancellationToken).ConfigureAwait(false);
        return FromBytes(bytes, path, id, FallbackId(new FileInfo(path)));
    }

    /// <summary>Reads a <c>config.json</c> from a stream asynchronously (an HTTP response, a blob, an archive entry), bounded as <see cref="Load(string, string?)"/>.</summary>
    /// <param name="stream">The stream, read to its end; it need not seek. It is left open.</param>
    /// <param name="sourceName">What to call the source in errors (a file name, a URL, a catalog entry).</param>
    /// <param name="id">The model id; <see langword="null"/> takes <c>_name_or_path</c>, else <paramref name="sourceName"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The spec, without quality scores.</returns>
    /// <remarks>
    /// At most <see cref="MaxFileBytes"/> are read: a seekable stream longer than that is refused unread with the
    /// message a file that large gets; any other stream is refused at the first byte past the limit.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot read.</exception>
    /// <exception cref="ModelImportException">The stream is empty or too large, not UTF-8 JSON, or not a supported, consistent config.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ModelSpec> ReadAsync(Stream stream, string sourceName, string? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        var bytes = await Internal.BoundedFile.ReadAllAsync(stream, MaxFileBytes, "a config.json", sourceName, cancellationToken).ConfigureAwait(false);
        return FromBytes(bytes, sourceName, id, sourceName);
    }

    private static string FallbackId(FileInfo file) =>
        file.Directory?.Name is { Length: > 0 } folder && file.Name == "config.json" ? folder : Path.GetFileNameWithoutExtension(file.Name);

    private static ModelSpec FromBytes(byte[] bytes, string sourceName, string? id, string fallbackId)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var document = ReadDocument(stream, sourceName);
        return Build(new ConfigReader(document.RootElement, sourceName), id, fallbackId);
    }

    /// <summary>Reads config JSON text.</summary>
    /// <param name="json">The JSON text of a <c>config.json</c>.</param>
    /// <param name="sourceName">What to call the source in errors (a file name, a URL, a catalog entry).</param>
    /// <param name="id">The model id; <see langword="null"/> takes <c>_name_or_path</c>, else <paramref name="sourceName"/>.</param>
    /// <returns>The spec, without quality scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The text is not JSON, or not a supported, consistent config.</exception>
    public static ModelSpec Parse(string json, string sourceName, string? id)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        // A .NET string is already text: parse it directly (no UTF-8 check needed, no copies).
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            throw JsonError(sourceName, exception);
        }

        using (document)
        {
            return Build(new ConfigReader(document.RootElement, sourceName), id, sourceName);
        }
    }

    /// <summary>Reads a parsed config.</summary>
    /// <param name="config">The config object.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <param name="id">The model id; <see langword="null"/> takes <c>_name_or_path</c>, else <paramref name="sourceName"/>.</param>
    /// <returns>The spec, without quality scores.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sourceName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The element is not a supported, consistent config.</exception>
    public static ModelSpec Parse(JsonElement config, string sourceName, string? id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        return Build(new ConfigReader(config, sourceName), id, sourceName);
    }

    /// <summary>Tells which family a config belongs to, or throws when it belongs to none that is supported.</summary>
    internal static string Recognise(ConfigReader config)
    {
        if (config.String("model_type") is { } modelType)
        {
            return FamilyByModelType.TryGetValue(modelType, out var family)
                ? family
                : throw config.Error("model_type", $"unsupported model_type \"{modelType}\"; supported: {string.Join(", ", SupportedModelTypes)}");
        }

        if (config.FirstArchitecture() is { } className)
        {
            foreach (var (prefix, family) in FamilyByClass)
            {
                if (className.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return family;
                }
            }

            throw config.Error("architectures[0]", $"the config has no model_type and its class \"{className}\" belongs to no supported family; supported model_types: {string.Join(", ", SupportedModelTypes)}");
        }

        if (BertShapeKeys.All(config.Has))
        {
            return "bert";
        }

        throw config.Error("model_type", $"required key is missing, and the config has no architectures entry nor the keys of a BERT-shaped config ({string.Join(", ", BertShapeKeys)}); expected one of: {string.Join(", ", SupportedModelTypes)}");
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static ModelImportException JsonError(string sourceName, JsonException exception) =>
        new(sourceName, $"line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}", "expected valid JSON: " + exception.Message, exception);

    private static JsonDocument ReadDocument(Stream stream, string sourceName)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw new ModelImportException(sourceName, "file", "expected UTF-8 JSON; the file holds bytes that are not UTF-8");
        }

        try
        {
            return JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException exception)
        {
            throw JsonError(sourceName, exception);
        }
    }

    /// <summary>
    /// The context a config declares: its positions (<c>n_positions</c> for T5, whose relative bias has no table),
    /// extended by rope scaling to <c>factor × original_max_position_embeddings</c> when the config's positions are
    /// still the original ones (YaRN and linear blocks added to a 32K config); a config that already declares the
    /// extended positions (Llama 3.1's llama3 scaling, LongRoPE) keeps them; 0 when unbounded.
    /// </summary>
    private static int ContextLength(ConfigReader config, Models.ModelArchitecture architecture)
    {
        var positions = architecture.MaxPositions > 0 || architecture.PositionEncoding == Models.PositionEncoding.RelativeSinusoidal
            ? architecture.MaxPositions
            : config.Positive("n_positions", 0);
        if (config.Object("rope_scaling") is { } rope && rope.OptionalPositive("original_max_position_embeddings") is { } original)
        {
            var factor = rope.Number("factor", 1);
            if (!(factor >= 1 && factor <= 1024))
            {
                throw rope.Error("factor", $"expected a rope scaling factor between 1 and 1024; found {factor}");
            }

            if (positions <= original)
            {
                positions = (int)Math.Min(Models.ModelSpec.MaxContextLength, Math.Round(factor * original));
            }
        }

        return Math.Min(positions, Models.ModelSpec.MaxContextLength);
    }

    private static ModelSpec Build(ConfigReader config, string? id, string fallbackId)
    {
        var family = Recognise(config);
        try
        {
            var imported = family switch
            {
                "bert" or "roberta" => BertFamily.Read(config, family),
                "distilbert" => DistilBertFamily.Read(config),
                "albert" => AlbertFamily.Read(config),
                "mobilebert" => MobileBertFamily.Read(config),
                "modernbert" => ModernBertFamily.Read(config),
                "transfo-xl" => TransfoXlFamily.Read(config),
                "gpt2" => Gpt2Family.Read(config),
                "phi" => PhiFamily.Read(config),
                "phi3" => Phi3Family.Read(config),
                "falcon" => FalconFamily.Read(config),
                "t5" => T5Family.Read(config),
                _ => LlamaFamily.Read(config, family),
            };
            var name = id ?? (config.String("_name_or_path") is { Length: > 0 } nameOrPath ? nameOrPath : fallbackId);
            return new ModelSpec(name, imported.Family, imported.Architecture, imported.Inventory, sources: [$"config: {config.SourceName}"], contextLength: ContextLength(config, imported.Architecture));
        }
        catch (ArgumentException exception)
        {
            // Sizes that pass each key's own check can still make an impossible model (over 10^15 parameters).
            throw new ModelImportException(config.SourceName, "$", "the config describes an impossible model: " + exception.Message, exception);
        }
        catch (OverflowException exception)
        {
            // A derived size (4 × hidden, layers × groups) beyond 32 bits: also an impossible model.
            throw new ModelImportException(config.SourceName, "$", "the config describes an impossible model: a derived size does not fit in 32 bits", exception);
        }
    }
}
