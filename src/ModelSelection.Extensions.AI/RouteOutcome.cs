namespace ModelSelection.Extensions.AI;

/// <summary>What happened to one route while the router served a request.</summary>
public enum RouteOutcome
{
    /// <summary>The route served the request.</summary>
    Served = 0,

    /// <summary>The route was tried and failed (an exception from its client, an HTTP error).</summary>
    Failed = 1,

    /// <summary>The route was tried and did not answer within its attempt timeout.</summary>
    TimedOut = 2,

    /// <summary>The route was tried and refused the prompt as longer than its context.</summary>
    ContextLengthExceeded = 3,

    /// <summary>The selector rejected the route for this request (memory, latency, quality, context, …).</summary>
    Infeasible = 4,

    /// <summary>The route's per-token prices put the request above the cost limit.</summary>
    OverBudget = 5,

    /// <summary>The route was feasible but ranked below the route that served, so it was not tried.</summary>
    NotTried = 6,
}
