namespace ModelSelection.Models;

/// <summary>A published quality score of a model on a benchmark, with where it was published.</summary>
/// <remarks>Higher is better for every benchmark key the library uses. Immutable and thread-safe.</remarks>
/// <param name="Value">The score, on the benchmark's own scale (e.g. percent accuracy, GLUE average).</param>
/// <param name="Source">Where the number comes from: paper and table, or model card.</param>
public sealed record QualityScore(double Value, string Source);
