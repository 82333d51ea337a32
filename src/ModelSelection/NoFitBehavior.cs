namespace ModelSelection;

/// <summary>What the selector returns when no candidate satisfies every constraint.</summary>
public enum NoFitBehavior
{
    /// <summary>No choice (the default); every candidate is listed with its reasons.</summary>
    ReturnNone = 0,

    /// <summary>The nearest candidate — fewest violated constraints, then smallest overshoot — flagged as best effort with what it violates.</summary>
    BestEffort = 1,
}
