namespace ModelSelection;

/// <summary>What ordered the feasible candidates in a <see cref="SelectionResult"/>, so a log or a UI never claims a figure nobody knows.</summary>
public enum RankingBasis
{
    /// <summary>Published scores on the benchmark, with each format's quality delta applied.</summary>
    Score = 0,

    /// <summary>No compared candidate has a comparable score: parameter count ranks them, as a stated proxy for quality (larger models of a family reach lower loss).</summary>
    ParameterProxy = 1,

    /// <summary>Estimated latency.</summary>
    Latency = 2,

    /// <summary>Estimated cost per request.</summary>
    Cost = 3,

    /// <summary>Estimated energy per request.</summary>
    Energy = 4,

    /// <summary>Parameter count, fewest first (the size objective).</summary>
    Size = 5,

    /// <summary>A custom <see cref="IModelSelectionPolicy"/>.</summary>
    Policy = 6,

    /// <summary>The objective's figure (cost or energy) is unknown for every feasible candidate, so the tie-breaks ordered them: quality (or its proxy), then latency.</summary>
    TieBreaks = 7,

    /// <summary>Nothing was feasible.</summary>
    None = 8,
}
