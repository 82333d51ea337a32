namespace ModelSelection.Calibration;

/// <summary>How well predictions match measurements over a set of points.</summary>
/// <param name="Points">The points predicted.</param>
/// <param name="MedianAbsoluteError">The median of |predicted time ÷ measured time − 1|.</param>
/// <param name="WithinThirtyFivePercent">The share of points within ±35 %.</param>
/// <param name="GeometricMeanRatio">The geometric mean of the time ratios: above 1, the estimates are slower than the runs on average.</param>
/// <param name="WorstRatio">The ratio furthest from 1 (in log terms).</param>
public readonly record struct CalibrationSummary(int Points, double MedianAbsoluteError, double WithinThirtyFivePercent, double GeometricMeanRatio, double WorstRatio)
{
    /// <summary>Summarises outcomes; points without a prediction are left out.</summary>
    /// <param name="outcomes">The outcomes.</param>
    /// <returns>The summary; all zero for no predicted point.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcomes"/> is <see langword="null"/>.</exception>
    public static CalibrationSummary Of(IEnumerable<CalibrationOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var ratios = outcomes.Select(o => o.TimeRatio).OfType<double>().ToArray();
        if (ratios.Length == 0)
        {
            return default;
        }

        var errors = ratios.Select(r => Math.Abs(r - 1)).Order().ToArray();
        var median = errors.Length % 2 == 1 ? errors[errors.Length / 2] : (errors[(errors.Length / 2) - 1] + errors[errors.Length / 2]) / 2;
        var within = (double)errors.Count(e => e <= 0.35) / errors.Length;
        var geometric = Math.Exp(ratios.Average(Math.Log));
        var worst = ratios.MaxBy(r => Math.Abs(Math.Log(r)));
        return new CalibrationSummary(ratios.Length, median, within, geometric, worst);
    }
}
