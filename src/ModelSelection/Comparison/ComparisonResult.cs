namespace ModelSelection.Comparison;

/// <summary>The comparison: one row per model on the five dimensions, and the selector's choice per device.</summary>
/// <param name="Request">The request compared.</param>
/// <param name="FineTuningJob">The fine-tuning job timed, in words (examples, tokens, epochs, batch, device).</param>
/// <param name="Rows">One row per model, in the request's order.</param>
/// <param name="Choices">The selector's choice per device, in the request's order.</param>
public sealed record ComparisonResult(ComparisonRequest Request, string FineTuningJob, IReadOnlyList<ModelComparisonRow> Rows, IReadOnlyList<TierChoice> Choices);
