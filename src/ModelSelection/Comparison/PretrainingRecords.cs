using System.Collections.Frozen;
using ModelSelection.Catalog;

namespace ModelSelection.Comparison;

/// <summary>Published pre-training runs by model id (embedded <c>pretraining.json</c>; sources in <c>docs/catalog-sources.md</c>). Immutable and thread-safe.</summary>
public sealed class PretrainingRecords
{
    private static readonly Lazy<PretrainingRecords> Lazy = new(Load);
    private readonly FrozenDictionary<string, PublishedPretraining> _byModel;

    private PretrainingRecords(IEnumerable<PublishedPretraining> records) =>
        _byModel = records.ToFrozenDictionary(r => r.ModelId, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the built-in records: BERT, RoBERTa, DistilBERT, MobileBERT, TinyBERT and Transformer-XL.</summary>
    public static PretrainingRecords BuiltIn => Lazy.Value;

    /// <summary>Gets every record.</summary>
    public IReadOnlyCollection<PublishedPretraining> Records => _byModel.Values;

    /// <summary>Finds a model's published pre-training.</summary>
    /// <param name="modelId">The model id (case-insensitive); <see langword="null"/> finds nothing.</param>
    /// <param name="record">The record, when there is one.</param>
    /// <returns><see langword="true"/> when the model has one.</returns>
    public bool TryGet(string? modelId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PublishedPretraining? record)
    {
        record = null;
        return modelId is not null && _byModel.TryGetValue(modelId, out record);
    }

    private static PretrainingRecords Load()
    {
        using var stream = typeof(PretrainingRecords).Assembly.GetManifestResourceStream("ModelSelection.Catalog.pretraining.json")
            ?? throw new InvalidOperationException("The built-in resource 'ModelSelection.Catalog.pretraining.json' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var document = Internal.JsonText.Deserialize(reader.ReadToEnd(), CatalogJsonContext.Default.PretrainingDocument, "built-in pre-training records", "pre-training records")
            ?? throw new InvalidOperationException("The built-in pre-training records are empty.");
        return new PretrainingRecords((document.Records ?? []).Select((e, i) => new PublishedPretraining(
            e.ModelId ?? throw new ModelImportException("built-in pre-training records", $"$.records[{i}].modelId", "required key is missing"),
            e.Hardware, e.Days, e.Steps, e.BatchSequences, e.SequenceLength, e.Tokens, e.Missing,
            e.Source ?? throw new ModelImportException("built-in pre-training records", $"$.records[{i}].source", "required key is missing"))));
    }
}
