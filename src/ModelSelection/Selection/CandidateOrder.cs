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
    /// of n items is n log n comparisons of 24-byte entries (see <see cref="PrefixOf"/>), never a walk through the
    /// candidates; model ids are compared only between candidates that tie on every figure. A custom policy sorts with
    /// its own comparer.
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

        SortByKeys(items, keys);
    }

    /// <summary>Sorts items by their keys alone (no custom policy): the items need not be candidates yet, only stand for them.</summary>
    public void SortByKeys<T>(List<T> items, KeyBuffer keys)
    {
        var n = items.Count;
        if (n < 2)
        {
            return;
        }

        if (keys.Count != n)
        {
            throw new InvalidOperationException($"A sort needs one key per item; there were {keys.Count} keys for {n} items.");
        }

        var original = ArrayPool<T>.Shared.Rent(n);
        var entries = ArrayPool<PrefixEntry>.Shared.Rent(n);
        try
        {
            items.CopyTo(original);

            // Sort 24-byte entries, each the key's two leading fields as order-preserving integers and the key's index: a
            // comparison reads the full ~100-byte key only when the leading fields tie, and the entries stay in cache
            // where moving (or jumping between) whole keys did not at thousands of candidates.
            var all = keys.Array;
            for (var i = 0; i < n; i++)
            {
                entries[i] = PrefixOf(in all[i], i);
            }

            var sorted = entries.AsSpan(0, n);
            sorted.Sort(new EntryComparer(all, keys.ModelIds));
            for (var i = 0; i < n; i++)
            {
                items[i] = original[sorted[i].Index];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(original, clearArray: true);
            ArrayPool<PrefixEntry>.Shared.Return(entries);
        }
    }

    /// <summary>
    /// The key's two leading fields as unsigned integers in the same order: the objective's figure and its second one;
    /// under the quality objective (where those are 0 for every key), scored-before-unscored in the top bit with the
    /// quality rank in the rest, then the rank's lowest bit with the format's retained quality. Equal prefixes fall back
    /// to the full comparison, so the order is exactly the keys'.
    /// </summary>
    private PrefixEntry PrefixOf(in SortKey key, int index)
    {
        if (objective != SelectionObjective.Quality)
        {
            return new PrefixEntry(OrderedBits(key.Primary), OrderedBits(key.Secondary), index);
        }

        var quality = OrderedBits(key.Quality);
        return new PrefixEntry(((ulong)key.Unscored << 63) | (quality >> 1), (quality << 63) | (OrderedBits(key.Retention) >> 1), index);
    }

    /// <summary>A double's order as an unsigned integer: negative below positive, −0 and +0 equal, NaN (which compares below everything) lowest.</summary>
    private static ulong OrderedBits(double value)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        var bits = unchecked((ulong)BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value));
        return (bits & 0x8000_0000_0000_0000UL) == 0 ? bits | 0x8000_0000_0000_0000UL : ~bits;
    }

    /// <summary>
    /// The key of a candidate: its figures in this order's terms, with the ordinal ranks of its device, runtime and
    /// precision among the selection's (few, ranked once) and the index of its model, whose id is compared only when
    /// every figure before it ties (ranking thousands of ids up front costs more than those comparisons: measured).
    /// </summary>
    public SortKey KeyOf(SelectionCandidate c, int index, int deviceRank, int runtimeRank, int precisionRank, int modelIndex) =>
        KeyOf(c.Model, c.Precision, c.DeviceCount, c.Layout, c.Quality, c.Performance?.LatencySeconds, c.Performance?.CostUsd, c.Performance?.EnergyJoules, index, deviceRank, runtimeRank, precisionRank, modelIndex);

    /// <summary>The key of a candidate from its figures, before (or without) it is allocated.</summary>
    public SortKey KeyOf(Models.ModelSpec model, NumericPrecision precision, int deviceCount, Estimation.DeviceLayout layout, double? quality, double? latency, double? cost, double? energy, int index, int deviceRank, int runtimeRank, int precisionRank, int modelIndex)
    {
        double primary = 0, secondary = 0;
        switch (objective)
        {
            case SelectionObjective.Latency:
                primary = latency ?? double.PositiveInfinity;
                break;
            case SelectionObjective.Cost:
                primary = cost ?? double.PositiveInfinity;
                break;
            case SelectionObjective.Energy:
                primary = energy ?? double.PositiveInfinity;
                break;
            case SelectionObjective.Smallest:
                primary = model.Parameters.Count;
                secondary = precision.BitsPerWeight;
                break;
        }

        // Quality: scored before unscored; scores in the benchmark's direction; unscored by parameters, more first.
        var rank = quality is { } q ? (benchmark is null || benchmark.HigherIsBetter ? -q : q) : -(double)model.Parameters.Count;
        return new SortKey(primary, secondary, quality is null ? 1 : 0, rank, -deltas.For(precision).Retention, deviceCount, latency ?? double.PositiveInfinity,
            model.Parameters.Count, precision.BitsPerWeight, (int)layout, deviceRank, runtimeRank, precisionRank, modelIndex, index);
    }

    /// <summary>A growable array of keys rented from the shared pool (a selection of thousands of pairs would otherwise put each growth step on the large-object heap); return it with <see cref="Dispose"/>.</summary>
    /// <param name="modelIds">The ids of the selection's models, which the keys' <see cref="SortKey.ModelIndex"/> refer to.</param>
    /// <param name="capacity">The keys expected, so the buffer is rented once at its size.</param>
    internal sealed class KeyBuffer(string[] modelIds, int capacity = 64) : IDisposable
    {
        public string[] ModelIds => modelIds;



        private SortKey[] _array = ArrayPool<SortKey>.Shared.Rent(Math.Max(capacity, 16));

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

    /// <summary>One candidate's figures in the order's terms: objective, quality rank, then the tie-breaks, with the ordinal ranks of its device, runtime and precision, and the index of its model (whose id is compared last, ordinally).</summary>
    internal readonly record struct SortKey(double Primary, double Secondary, int Unscored, double Quality, double Retention, int Devices, double Latency, long Parameters, double Bits, int Layout, int DeviceRank, int RuntimeRank, int PrecisionRank, int ModelIndex, int Index);

    /// <summary>A key's two order-preserving leading fields and its index in the key buffer.</summary>
    private readonly record struct PrefixEntry(ulong First, ulong Second, int Index);

    /// <summary>Compares entries by prefix, and on equal prefixes the full keys field by field (the objective's fields are 0 for every key under the quality objective, so they never decide there).</summary>
    private readonly struct EntryComparer(SortKey[] keys, string[] modelIds) : IComparer<PrefixEntry>
    {
        public int Compare(PrefixEntry a, PrefixEntry b)
        {
            if (a.First != b.First)
            {
                return a.First < b.First ? -1 : 1;
            }

            if (a.Second != b.Second)
            {
                return a.Second < b.Second ? -1 : 1;
            }

            ref readonly var x = ref keys[a.Index];
            ref readonly var y = ref keys[b.Index];
            int c;
            if ((c = x.Primary.CompareTo(y.Primary)) != 0 ||
                (c = x.Secondary.CompareTo(y.Secondary)) != 0 ||
                (c = x.Unscored.CompareTo(y.Unscored)) != 0 ||
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
                (c = x.ModelIndex == y.ModelIndex ? 0 : string.CompareOrdinal(modelIds[x.ModelIndex], modelIds[y.ModelIndex])) != 0)
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
