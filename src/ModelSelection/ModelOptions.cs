namespace ModelSelection;

/// <summary>A model added (or re-scored) through configuration: a Hugging Face <c>config.json</c> plus quality scores.</summary>
public sealed class ModelOptions
{
    /// <summary>Gets or sets the id; an id already in the catalog is replaced.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the path of the model's <c>config.json</c>; absent to re-score a catalog model of the same id.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Gets the quality scores by benchmark (e.g. <c>glue</c>, <c>mmlu-5shot</c>).</summary>
    public IDictionary<string, double> QualityScores { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Gets or sets where the scores come from (your evaluation, a paper).</summary>
    public string? QualitySource { get; set; }
}
