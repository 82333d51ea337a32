using System.Collections.Immutable;

namespace ModelSelection;

/// <summary>A candidate that violates at least one constraint, with every constraint it violates.</summary>
/// <param name="Candidate">The candidate and its estimates.</param>
/// <param name="Reasons">Every violated constraint, never empty.</param>
public sealed record RejectedCandidate(SelectionCandidate Candidate, ImmutableArray<RejectionReason> Reasons);
