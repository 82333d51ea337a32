namespace ModelSelection.Quality;

/// <summary>
/// What a weight format costs in quality against 16-bit weights: the fraction of a score it retains and the ratio by
/// which it multiplies perplexity, with the measurement they come from.
/// </summary>
/// <remarks>
/// <para>
/// Applied to a published (16-bit) score: on a <see cref="BenchmarkScale.Points"/> benchmark a higher-is-better score
/// is multiplied by <see cref="Retention"/> (the "recovery" quantised-model cards report) and a lower-is-better one
/// (an error rate) divided by it; on a <see cref="BenchmarkScale.Perplexity"/> benchmark the score is multiplied by
/// <see cref="PerplexityRatio"/>.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
/// <param name="Format">The format's name (<see cref="NumericPrecision.Name"/>), e.g. <c>q4_k_m</c>.</param>
/// <param name="Retention">The fraction of a score benchmark's result the format keeps, in (0, 1].</param>
/// <param name="PerplexityRatio">Perplexity of the format over perplexity at 16 bits, 1 or more.</param>
/// <param name="Source">The measurement behind both numbers.</param>
public sealed record FormatQualityDelta(string Format, double Retention, double PerplexityRatio, string Source)
{
    /// <summary>Gets whether the format loses nothing (16- and 32-bit floating point).</summary>
    public bool IsLossless => Retention == 1 && PerplexityRatio == 1;

    /// <summary>Applies the delta to a 16-bit score on a benchmark.</summary>
    /// <param name="score">The published score.</param>
    /// <param name="benchmark">The benchmark the score is on.</param>
    /// <returns>The expected score at this format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="benchmark"/> is <see langword="null"/>.</exception>
    public double Apply(double score, Benchmark benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return benchmark.Scale == BenchmarkScale.Perplexity
            ? score * PerplexityRatio
            : benchmark.HigherIsBetter ? score * Retention : score / Retention;
    }
}
