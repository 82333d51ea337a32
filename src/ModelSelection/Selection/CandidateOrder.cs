using System.Buffers;
using ModelSelection.Quality;

namespace ModelSelection.Selection;

/// <summary>
/// The selector's total order: the objective (or custom policy) first, then quality, device count (fewer first: the
/// smallest deployment that meets the constraints), latency (lower first, unknown last), parameters (fewer first), bits
/// per weight (fewer first), layout, and the ordinal device id, runtime id, precision name and model id — so no two
/// distinct candidates tie and the result never depends on input order.
/// </summary>
/// <remarks>
/// Quality compares comparable scores in the benchmark's direction (perplexity: lower first); a scored candidate
/// ranks before an unscored one, because no score can be invented for it; unscored candidates rank among themselves
/// by parameter count (more first: the stated proxy for quality) and then by the quality their format retains, so a
/// lossless format never ranks below a lossy one of the same model.
/// </remarks>
internal sealed class CandidateOrder(SelectionObjective objective, IModelSelectionPolicy? policy, Benchmark? benchmark, FormatQualityDeltas deltas) : IComparer<SelectionCandidate>
{
    public int Compare(SelectionCandidate? x, SelectionCandidate? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        var byObjective = CompareByObjective(x, y);
        return byObjective != 0 ? byObjective : TieBreak(x, y);
    }

    /// <summary>The objective (or policy) alone, without tie-breaks.</summary>
    public int CompareByObjective(SelectionCandidate x, SelectionCandidate y) => policy is not null
        ? policy.Compare(x, y)
        : objective switch
        {
            SelectionObjective.Latency => Ascending(x.Performance?.LatencySeconds, y.Performance?.LatencySeconds),
            SelectionObjective.Cost => Ascending(x.Performance?.CostUsd, y.Performance?.CostUsd),
            SelectionObjective.Energy => Ascending(x.Performance?.EnergyJoules, y.Performance?.EnergyJoules),
            SelectionObjective.Smallest => x.Model.Parameters != y.Model.Parameters
                ? x.Model.Parameters.CompareTo(y.Model.Parameters)
                : x.Precision.BitsPerWeight.CompareTo(y.Precision.BitsPerWeight),
            _ => CompareQuality(x, y),
        };

    /// <summary>Scores in the benchmark's direction, scored before unscored, unscored by the parameter-count proxy; then the format's retained quality.</summary>
    public int CompareQuality(SelectionCandidate x, SelectionCandidate y)
    {
        int c;
        if (x.Quality is { } qx && y.Quality is { } qy)
        {
            c = benchmark?.CompareBestFirst(qx, qy) ?? qy.CompareTo(qx);
        }
        else if (x.Quality is not null || y.Quality is not null)
        {
            return x.Quality is not null ? -1 : 1;
        }
        else
        {
            c = y.Model.Parameters.CompareTo(x.Model.Parameters);
        }

        return c != 0 ? c : deltas.For(y.Precision).Retention.CompareTo(deltas.For(x.Precision).Retention);
    }

    private int TieBreak(SelectionCandidate x, SelectionCandidate y)
    {
        int c;
        if ((c = CompareQuality(x, y)) != 0 ||
            (c = x.DeviceCount.CompareTo(y.DeviceCount)) != 0 ||
            (c = Ascending(x.Performance?.LatencySeconds, y.Performance?.LatencySeconds)) != 0 ||
            (c = x.Model.Parameters.CompareTo(y.Model.Parameters)) != 0 ||
            (c = x.Precision.BitsPerWeight.CompareTo(y.Precision.BitsPerWeight)) != 0 ||
            (c = x.Layout.CompareTo(y.Layout)) != 0 ||
            (c = string.CompareOrdinal(x.Device.Id, y.Device.Id)) != 0 ||
            (c = string.CompareOrdinal(x.Runtime?.Id, y.Runtime?.Id)) != 0 ||
            (c = string.CompareOrdinal(x.Precision.Name, y.Precision.Name)) != 0)
        {
            return c;
        }

        return string.CompareOrdinal(x.Model.Id, y.Model.Id);
    }

    /// <summary>
    /// Sorts items by this order on keys built when each candidate was evaluated (its figures were in cache then): a sort
    /// of n items is n log n comparisons of keys in place, never a walk through the candidates or a string comparison. A
    /// custom policy sorts with its own comparer.
    /// </summary>
    public void Sort<T>(List<T> items, KeyBuffer keys, Func<T, SelectionCandidate> candidate)
    {
        var n = items.Count;
        if (n < 2)
        {
            return;
        }

        if (policy is not null)
        {
            items.Sort((a, b) => Compare(candidate(a), candidate(b)));
            return;
        }

        var original = ArrayPool<T>.Shared.Rent(n);
        var indices = ArrayPool<int>.Shared.Rent(n);
        try
        {
            items.CopyTo(original);
            for (var i = 0; i < n; i++)
            {
                indices[i] = i;
            }

            // Sort indices, comparing the keys in place: a key is a hundred bytes, too large to move on every swap.
            Array.Sort(indices, 0, n, new IndexComparer(keys, objective));
            for (var i = 0; i < n; i++)
            {
                items[i] = original[indices[i]];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(original, clearArray: true);
            ArrayPool<int>.Shared.Return(indices);
        }
    }

    /// <summary>The key of a candidate: its figures in this order's terms, with the ordinal ranks of its ids among the selection's (so no string is compared while sorting).</summary>
    public SortKey KeyOf(SelectionCandidate c, int index, int deviceRank, int runtimeRank, int precisionRank, int modelRank)
    {
        var p = c.Performance;
        double primary = 0, secondary = 0;
        switch (objective)
        {
            case SelectionObjective.Latency:
                primary = p?.LatencySeconds ?? double.PositiveInfinity;
                break;
            case SelectionObjective.Cost:
                primary = p?.CostUsd ?? double.PositiveInfinity;
                break;
            case SelectionObjective.Energy:
                primary = p?.EnergyJoules ?? double.PositiveInfinity;
                break;
            case SelectionObjective.Smallest:
                primary = c.Model.Parameters.Count;
                secondary = c.Precision.BitsPerWeight;
                break;
        }

        // Quality: scored before unscored; scores in the benchmark's direction; unscored by parameters, more first.
        var scored = c.Quality is not null;
        var quality = scored ? (benchmark is null || benchmark.HigherIsBetter ? -c.Quality!.Value : c.Quality!.Value) : -(double)c.Model.Parameters.Count;
        return new SortKey(primary, secondary, scored ? 0 : 1, quality, -deltas.For(c.Precision).Retention, c.DeviceCount, p?.LatencySeconds ?? double.PositiveInfinity,
            c.Model.Parameters.Count, c.Precision.BitsPerWeight, (int)c.Layout, deviceRank, runtimeRank, precisionRank, modelRank, index);
    }

    /// <summary>A growable array of keys rented from the shared pool (a selection of thousands of pairs would otherwise put each growth step on the large-object heap); return it with <see cref="Dispose"/>.</summary>
    internal sealed class KeyBuffer : IDisposable
    {
        private SortKey[] _array = ArrayPool<SortKey>.Shared.Rent(64);

        public SortKey[] Array => _array;

        public int Count { get; private set; }

        public void Add(SortKey key)
        {
            if (Count == _array.Length)
            {
                var larger = ArrayPool<SortKey>.Shared.Rent(_array.Length * 2);
                _array.AsSpan(0, Count).CopyTo(larger);
                ArrayPool<SortKey>.Shared.Return(_array);
                _array = larger;
            }

            _array[Count++] = key;
        }

        public void Dispose()
        {
            ArrayPool<SortKey>.Shared.Return(_array);
            _array = [];
            Count = 0;
        }
    }

    /// <summary>One candidate's figures in the order's terms: objective, quality rank, then the tie-breaks, with the ordinal ranks of its ids.</summary>
    internal readonly record struct SortKey(double Primary, double Secondary, int Unscored, double Quality, double Retention, int Devices, double Latency, long Parameters, double Bits, int Layout, int DeviceRank, int RuntimeRank, int PrecisionRank, int ModelRank, int Index);

    private sealed class IndexComparer(KeyBuffer keys, SelectionObjective objective) : IComparer<int>
    {
        private readonly SortKey[] _keys = keys.Array;

        public int Compare(int a, int b)
        {
            ref readonly var x = ref _keys[a];
            ref readonly var y = ref _keys[b];
            int c;
            if (objective != SelectionObjective.Quality && ((c = x.Primary.CompareTo(y.Primary)) != 0 || (c = x.Secondary.CompareTo(y.Secondary)) != 0))
            {
                return c;
            }

            if ((c = x.Unscored.CompareTo(y.Unscored)) != 0 ||
                (c = x.Quality.CompareTo(y.Quality)) != 0 ||
                (c = x.Retention.CompareTo(y.Retention)) != 0 ||
                (c = x.Devices.CompareTo(y.Devices)) != 0 ||
                (c = x.Latency.CompareTo(y.Latency)) != 0 ||
                (c = x.Parameters.CompareTo(y.Parameters)) != 0 ||
                (c = x.Bits.CompareTo(y.Bits)) != 0 ||
                (c = x.Layout.CompareTo(y.Layout)) != 0 ||
                (c = x.DeviceRank.CompareTo(y.DeviceRank)) != 0 ||
                (c = x.RuntimeRank.CompareTo(y.RuntimeRank)) != 0 ||
                (c = x.PrecisionRank.CompareTo(y.PrecisionRank)) != 0 ||
                (c = x.ModelRank.CompareTo(y.ModelRank)) != 0)
            {
                return c;
            }

            return x.Index.CompareTo(y.Index);
        }
    }

    /// <summary>Lower first; unknown last.</summary>
    private static int Ascending(double? x, double? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => x.Value.CompareTo(y.Value),
    };
}
