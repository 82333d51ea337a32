namespace ModelSelection;

/// <summary>A custom ranking of feasible candidates, replacing the built-in objectives.</summary>
public interface IModelSelectionPolicy
{
    /// <summary>Compares two feasible candidates: negative when <paramref name="x"/> is better. Ties are broken by the selector's total order, so the result stays deterministic.</summary>
    /// <param name="x">A candidate.</param>
    /// <param name="y">Another candidate.</param>
    /// <returns>Negative, zero or positive.</returns>
    int Compare(SelectionCandidate x, SelectionCandidate y);
}
