namespace ModelSelection.Models;

/// <summary>A published quality score of a model on a registered benchmark, with where it was published and what was measured.</summary>
/// <remarks>
/// The benchmark (its key in <see cref="ModelSpec.QualityScores"/>) says which way is better and on which scale
/// (<see cref="Quality.Benchmark"/>). <paramref name="Checkpoint"/> is <see langword="null"/> when the score was measured
/// on the very checkpoint the spec describes; otherwise it names the checkpoint that was measured (a task-distilled or
/// fine-tuned variant, an instruct model for a base entry), and the selector does not use the score unless the
/// request allows related checkpoints (<see cref="SelectionRequest.UseScoresOfRelatedCheckpoints"/>).
/// Immutable and thread-safe.
/// </remarks>
/// <param name="Value">The score, on the benchmark's own scale (percent accuracy, GLUE average, perplexity).</param>
/// <param name="Source">Where the number comes from: paper and table, or model card.</param>
/// <param name="Checkpoint">The checkpoint measured when it is not the spec's own; <see langword="null"/> when it is.</param>
public sealed record QualityScore(double Value, string Source, string? Checkpoint = null)
{
    /// <summary>Gets whether the score was measured on the spec's own checkpoint.</summary>
    public bool IsOwnCheckpoint => Checkpoint is null;
}
