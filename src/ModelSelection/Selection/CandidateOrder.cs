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

    /// <summary>Lower first; unknown last.</summary>
    private static int Ascending(double? x, double? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => x.Value.CompareTo(y.Value),
    };
}
