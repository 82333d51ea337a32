using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Quality;

namespace ModelSelection.Catalog;

/// <summary>
/// A set of models by id: the built-in catalog (<see cref="BuiltIn"/>) of the large and small models users compare,
/// or your own, loaded from JSON or composed in code.
/// </summary>
/// <remarks>
/// <para>
/// The built-in catalog is embedded JSON (<c>Catalog/models.json</c>): for each model the architecture keys of its
/// published <c>config.json</c>, imported exactly as <see cref="HuggingFaceConfig"/> imports a user's file, its exact
/// parameter count (checked against the import when the catalog loads) and its published quality scores with
/// sources (<c>docs/catalog-sources.md</c>). Ids are Hugging Face hub ids; lookups ignore case.
/// </para>
/// <para>Immutable and thread-safe; <see cref="With(IEnumerable{ModelSpec})"/> returns a new catalog.</para>
/// </remarks>
public sealed class ModelCatalog
{
    private static readonly Lazy<ModelCatalog> BuiltInCatalog = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, ModelSpec> _byId;

    /// <summary>Creates a catalog of the given models.</summary>
    /// <param name="models">The models; ids must be unique (ignoring case).</param>
    /// <exception cref="ArgumentNullException"><paramref name="models"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two models share an id.</exception>
    public ModelCatalog(IEnumerable<ModelSpec> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var byId = new Dictionary<string, ModelSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (!byId.TryAdd(model.Id, model))
            {
                throw new ArgumentException($"Model ids in a catalog must be unique (ignoring case); '{model.Id}' appears twice.", nameof(models));
            }
        }

        _byId = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Models = [.. byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    /// <summary>Gets the built-in catalog.</summary>
    public static ModelCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>Gets the models, ordered by id (ordinal).</summary>
    public ImmutableArray<ModelSpec> Models { get; }

    /// <summary>Looks a model up by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <param name="model">The model, when found.</param>
    /// <returns><see langword="true"/> when the catalog has the id.</returns>
    public bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelSpec? model)
    {
        model = null;
        return id is not null && _byId.TryGetValue(id, out model);
    }

    /// <summary>Gets a model by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The catalog has no such id; the message lists the closest ids.</exception>
    public ModelSpec Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_byId.TryGetValue(id, out var model))
        {
            return model;
        }

        var close = Models.Select(m => m.Id)
            .Where(known => known.Contains(id, StringComparison.OrdinalIgnoreCase) || id.Contains(known.Split('/')[^1], StringComparison.OrdinalIgnoreCase))
            .Take(5)
            .ToList();
        var hint = close.Count > 0 ? $"did you mean {string.Join(", ", close)}?" : $"known ids: {string.Join(", ", Models.Select(m => m.Id))}";
        throw new ArgumentException($"Unknown model id '{id}'; {hint}", nameof(id));
    }

    /// <summary>Returns a catalog with more models; a model whose id is already present replaces the old one.</summary>
    /// <param name="models">The models to add or override.</param>
    /// <returns>The new catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="models"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two of the new models share an id.</exception>
    public ModelCatalog With(IEnumerable<ModelSpec> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var added = new ModelCatalog(models);
        return new ModelCatalog(Models.Where(m => !added._byId.ContainsKey(m.Id)).Concat(added.Models));
    }

    /// <summary>Reads a catalog in the built-in catalog's JSON format (<c>{"models": [{"id", "parameters", "qualityScores", "sources", "tasks", "contextLength", "config"}]}</c>); an entry may name a GGUF file (<c>"gguf": "models/tiny.Q4_K_M.gguf"</c>, relative to the catalog file when it was read from one) instead of a config.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <param name="benchmarks">The registry score keys must belong to; <see langword="null"/> for <see cref="BenchmarkRegistry.BuiltIn"/>.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The JSON is malformed, an entry is incomplete, its config is unsupported or its GGUF file missing or malformed, a score names an unregistered benchmark, a task or context length is invalid, or a declared parameter count disagrees with the config.</exception>
    public static ModelCatalog FromJson(string json, string sourceName, BenchmarkRegistry? benchmarks = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.CatalogDocument);
        }
        catch (JsonException exception)
        {
            throw new ModelImportException(sourceName, exception.Path ?? "$", "expected a catalog document: " + exception.Message, exception);
        }
        catch (InvalidOperationException exception)
        {
            // An escaped lone surrogate is valid JSON but no .NET string.
            throw new ModelImportException(sourceName, "$", "expected strings of valid Unicode; the document holds an unpaired surrogate escape", exception);
        }

        if (document?.Models is not { } entries)
        {
            throw new ModelImportException(sourceName, "$.models", "required key is missing; expected an array of model entries");
        }

        var models = new List<ModelSpec>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            models.Add(ReadEntry(entries[i], sourceName, $"$.models[{i}]", benchmarks ?? BenchmarkRegistry.BuiltIn));
        }

        try
        {
            return new ModelCatalog(models);
        }
        catch (ArgumentException exception)
        {
            throw new ModelImportException(sourceName, "$.models", exception.Message, exception);
        }
    }

    private static ModelSpec ReadEntry(CatalogEntry entry, string sourceName, string path, BenchmarkRegistry benchmarks)
    {
        if (string.IsNullOrWhiteSpace(entry.Id))
        {
            throw new ModelImportException(sourceName, path + ".id", "required key is missing; expected the model id");
        }

        var hasConfig = entry.Config.ValueKind != JsonValueKind.Undefined && entry.Config.ValueKind != JsonValueKind.Null;
        if (hasConfig == entry.Gguf is not null)
        {
            throw hasConfig
                ? new ModelImportException(sourceName, path, "expected either config or gguf, not both")
                : new ModelImportException(sourceName, path + ".config", "required key is missing; expected the model's config.json object (or a GGUF file's path in gguf)");
        }

        if (hasConfig && entry.Config.ValueKind != JsonValueKind.Object)
        {
            throw new ModelImportException(sourceName, path + ".config", $"expected the model's config.json object; found {entry.Config.ValueKind}");
        }

        ModelSpec spec;
        if (entry.Gguf is { } gguf)
        {
            // A relative path is taken from the catalog file's folder when the catalog was read from a file.
            var folder = File.Exists(sourceName) ? Path.GetDirectoryName(Path.GetFullPath(sourceName)) : null;
            var file = Path.IsPathRooted(gguf) || folder is null ? gguf : Path.Combine(folder, gguf);
            try
            {
                spec = Gguf.GgufModel.Read(file).ToModelSpec(entry.Id);
            }
            catch (FileNotFoundException exception)
            {
                throw new ModelImportException(sourceName, path + ".gguf", $"no GGUF file at '{file}'", exception);
            }
        }
        else
        {
            spec = HuggingFaceConfig.Parse(entry.Config, $"{sourceName} {path}.config ({entry.Id})", entry.Id);
        }
        if (entry.Parameters is { } declared && declared != spec.Parameters.Count)
        {
            throw new ModelImportException(sourceName, path + ".parameters", $"the entry declares {declared} parameters but its config describes {spec.Parameters.Count}");
        }

        var scores = new Dictionary<string, QualityScore>(StringComparer.Ordinal);
        foreach (var (benchmark, score) in entry.QualityScores ?? [])
        {
            if (!benchmarks.TryGet(benchmark, out var known))
            {
                throw new ModelImportException(sourceName, $"{path}.qualityScores.{benchmark}", $"expected a registered benchmark id; {Internal.Suggestions.Hint(benchmark, [.. benchmarks.Benchmarks.Select(b => b.Id)])}");
            }

            if (score?.Value is not { } value || !double.IsFinite(value))
            {
                throw new ModelImportException(sourceName, $"{path}.qualityScores.{benchmark}.value", "expected a finite number");
            }

            if (string.IsNullOrWhiteSpace(score.Source))
            {
                throw new ModelImportException(sourceName, $"{path}.qualityScores.{benchmark}.source", "expected where the score was published");
            }

            scores[known.Id] = new QualityScore(value, score.Source, string.IsNullOrWhiteSpace(score.Checkpoint) ? null : score.Checkpoint);
        }

        var tasks = new List<ModelTask>();
        for (var i = 0; i < (entry.Tasks?.Count ?? 0); i++)
        {
            tasks.Add(ModelTasks.TryParse(entry.Tasks![i], out var task)
                ? task
                : throw new ModelImportException(sourceName, $"{path}.tasks[{i}]", $"expected a task: one of {string.Join(", ", ModelTasks.AllNames)}"));
        }

        if (entry.ContextLength is { } context && (context < 0 || context > ModelSpec.MaxContextLength))
        {
            throw new ModelImportException(sourceName, path + ".contextLength", $"expected 0 (unbounded) to {ModelSpec.MaxContextLength} tokens; found {context}");
        }

        if (entry.ContextLength is not null && string.IsNullOrWhiteSpace(entry.ContextLengthSource))
        {
            throw new ModelImportException(sourceName, path + ".contextLengthSource", "required with contextLength; expected where the trained context is published");
        }

        var sources = entry.ContextLengthSource is { Length: > 0 } contextSource ? (entry.Sources ?? []).Append("context length: " + contextSource) : entry.Sources ?? [];
        return new ModelSpec(spec.Id, spec.Family, spec.Architecture, spec.Inventory, scores, sources, tasks, entry.ContextLength ?? spec.ContextLength, spec.StoredWeights);
    }

    private static ModelCatalog LoadBuiltIn()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("ModelSelection.Catalog.models.json")
            ?? throw new InvalidOperationException("The built-in model catalog resource 'ModelSelection.Catalog.models.json' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd(), "built-in catalog");
    }
}
