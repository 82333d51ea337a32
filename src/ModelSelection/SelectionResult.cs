using System.Collections.Immutable;

namespace ModelSelection;

/// <summary>The decision: the choice (or none), the feasible candidates ranked, every rejection with its reasons, and an explanation.</summary>
/// <param name="Choice">The best feasible candidate; with <see cref="NoFitBehavior.BestEffort"/> and nothing feasible, the nearest one; else <see langword="null"/>.</param>
/// <param name="BestEffort">Whether <paramref name="Choice"/> violates constraints because best effort was asked for.</param>
/// <param name="ChoiceViolations">What a best-effort choice violates; empty otherwise.</param>
/// <param name="Ranked">Every feasible candidate, best first. The selector builds each one the first time it is read (and keeps it), so a selection among thousands of candidates allocates only those a caller looks at; the list is immutable and thread-safe.</param>
/// <param name="Rejected">Every infeasible candidate with every constraint it violates, in the same total order.</param>
/// <param name="Objective">The objective used (or <see cref="SelectionObjective.Quality"/> under a custom policy).</param>
/// <param name="Benchmark">The benchmark quality refers to, or <see langword="null"/>.</param>
/// <param name="BindingConstraint">The constraint that kept a better candidate (by the objective alone) from being chosen, or <see langword="null"/>.</param>
/// <param name="Explanation">One paragraph for logs and UIs: what was chosen, why, and what bound the choice.</param>
public sealed record SelectionResult(
    SelectionCandidate? Choice,
    bool BestEffort,
    ImmutableArray<RejectionReason> ChoiceViolations,
    IReadOnlyList<SelectionCandidate> Ranked,
    IReadOnlyList<RejectedCandidate> Rejected,
    SelectionObjective Objective,
    string? Benchmark,
    RejectionCode? BindingConstraint,
    string Explanation)
{
    /// <summary>Gets the task the candidates were checked against (stated or derived), or <see langword="null"/> when the request left it open.</summary>
    public ModelTask? Task { get; init; }

    /// <summary>Gets what actually ordered the choice: a score, the parameter-count proxy, or the objective's own figure — never a figure that is unknown for the candidates compared.</summary>
    public RankingBasis RankedBy { get; init; }
}
