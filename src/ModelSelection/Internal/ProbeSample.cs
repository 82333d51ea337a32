namespace ModelSelection.Internal;

/// <summary>The median and range of repeated probe runs of one measurement.</summary>
/// <param name="Median">The median of the runs (the value the profile uses).</param>
/// <param name="Min">The slowest run.</param>
/// <param name="Max">The fastest run.</param>
/// <param name="Runs">How many runs.</param>
internal readonly record struct ProbeSample(double Median, double Min, double Max, int Runs)
{
    /// <summary>Gets the range relative to the median, <c>(max − min) / median</c>; 0 for a single run.</summary>
    public double Spread => Median > 0 ? (Max - Min) / Median : 0;

    /// <summary>Summarises <paramref name="runs"/>: the median (the mean of the middle two for an even count), min and max.</summary>
    /// <exception cref="ArgumentException"><paramref name="runs"/> is empty.</exception>
    public static ProbeSample From(IReadOnlyList<double> runs)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("A probe sample needs at least one run; was 0.", nameof(runs));
        }

        var sorted = runs.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new ProbeSample(median, sorted[0], sorted[^1], sorted.Length);
    }
}
