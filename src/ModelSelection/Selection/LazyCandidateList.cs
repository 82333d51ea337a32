using System.Collections;

namespace ModelSelection.Selection;

/// <summary>
/// The feasible candidates of a selection, best first, each built the first time it is read and kept from then on: a
/// selection among thousands of candidates ranks them on compact keys and allocates only the ones a caller looks at.
/// </summary>
/// <remarks>
/// Thread-safe: two threads reading the same position may both build it, but both get the one that was stored first,
/// so a position always returns the same instance.
/// </remarks>
internal sealed class LazyCandidateList : IReadOnlyList<SelectionCandidate>
{
    private readonly Func<int, SelectionCandidate> _build;
    private SelectionCandidate?[]? _built;

    /// <summary>Creates the list.</summary>
    /// <param name="count">How many candidates it holds.</param>
    /// <param name="build">Builds the candidate at a position (deterministically: the same figures every time).</param>
    public LazyCandidateList(int count, Func<int, SelectionCandidate> build)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _build = build;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public SelectionCandidate this[int index]
    {
        get
        {
            if (index < 0 || index >= Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Index must be between 0 and {Count - 1}; was {index}.");
            }

            var built = Volatile.Read(ref _built) ?? Interlocked.CompareExchange(ref _built, new SelectionCandidate?[Count], null) ?? _built!;
            return Volatile.Read(ref built[index]) ?? Interlocked.CompareExchange(ref built[index], _build(index), null) ?? built[index]!;
        }
    }

    /// <inheritdoc/>
    public IEnumerator<SelectionCandidate> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
