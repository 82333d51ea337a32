namespace ModelSelection.Extensions.AI;

/// <summary>What the router decided about one route for one request, and why.</summary>
/// <param name="Route">The route's name (<see cref="ModelRouteOptions.Name"/>).</param>
/// <param name="Outcome">What happened to the route.</param>
/// <param name="Reason">A sentence that says why, with the numbers: the selector's rejection reasons, the cost
/// against the limit, or the failure's message.</param>
public sealed record RouteDecision(string Route, RouteOutcome Outcome, string Reason)
{
    /// <summary>Gets the model id the route serves (the catalog id).</summary>
    public string? Model { get; init; }

    /// <summary>Gets the estimated end-to-end latency on the route, when the selector estimated one.</summary>
    public TimeSpan? EstimatedLatency { get; init; }

    /// <summary>Gets the estimated cost of the request on the route in US dollars, from its per-token prices
    /// (0 for a route without prices).</summary>
    public decimal? EstimatedCostUsd { get; init; }

    /// <summary>Gets the prompt tokens counted for the route's model.</summary>
    public int? PromptTokens { get; init; }
}
