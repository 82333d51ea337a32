namespace ModelSelection.Quality;

/// <summary>How a benchmark's numbers combine with a quantisation format's quality delta.</summary>
public enum BenchmarkScale
{
    /// <summary>A score in points (percent accuracy, F1, a GLUE average): a format keeps a fraction of it (<see cref="FormatQualityDelta.Retention"/>).</summary>
    Points = 0,

    /// <summary>A perplexity: a format's delta multiplies it by the format's perplexity ratio.</summary>
    Perplexity = 1,
}
