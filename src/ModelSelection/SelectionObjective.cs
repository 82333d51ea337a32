namespace ModelSelection;

/// <summary>What the selector maximises or minimises among the candidates that satisfy every constraint.</summary>
public enum SelectionObjective
{
    /// <summary>Highest quality on the request's benchmark (the default).</summary>
    Quality = 0,

    /// <summary>Lowest end-to-end latency.</summary>
    Latency = 1,

    /// <summary>Lowest cost per request (candidates on devices without a price rank last).</summary>
    Cost = 2,

    /// <summary>Lowest energy per request (candidates on devices without a known power rank last).</summary>
    Energy = 3,

    /// <summary>Fewest parameters, then the narrowest weight format.</summary>
    Smallest = 4,
}
