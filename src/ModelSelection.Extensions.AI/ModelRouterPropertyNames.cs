namespace ModelSelection.Extensions.AI;

/// <summary>
/// The keys of <c>AdditionalProperties</c> the router reads from a request (<c>ChatOptions</c>,
/// <c>EmbeddingGenerationOptions</c>) to override <see cref="ModelRouterOptions"/> for that request, and writes into
/// the response to say which route served.
/// </summary>
/// <remarks>
/// Durations accept a <see cref="TimeSpan"/>, a number of seconds, or a string in the invariant <c>c</c> format
/// (<c>00:00:01.5</c>); numbers accept any numeric type or an invariant string. A value of another type, or one out of
/// range, is an <see cref="ArgumentException"/> that names the key and the value.
/// </remarks>
public static class ModelRouterPropertyNames
{
    /// <summary>Request: the end-to-end latency limit (<see cref="ModelRouterOptions.MaxLatency"/>).</summary>
    public const string MaxLatency = "modelselection.max_latency";

    /// <summary>Request: the time-to-first-token limit (<see cref="ModelRouterOptions.MaxTimeToFirstToken"/>).</summary>
    public const string MaxTimeToFirstToken = "modelselection.max_time_to_first_token";

    /// <summary>Request: the cost limit in US dollars (<see cref="ModelRouterOptions.MaxCostUsd"/>).</summary>
    public const string MaxCostUsd = "modelselection.max_cost_usd";

    /// <summary>Request: the quality floor (<see cref="ModelRouterOptions.MinQuality"/>).</summary>
    public const string MinQuality = "modelselection.min_quality";

    /// <summary>Request: the quality benchmark (<see cref="ModelRouterOptions.QualityBenchmark"/>).</summary>
    public const string QualityBenchmark = "modelselection.quality_benchmark";

    /// <summary>Request: the task (<see cref="ModelRouterOptions.Task"/>), a <see cref="ModelTask"/> or its name.</summary>
    public const string Task = "modelselection.task";

    /// <summary>Request: the objective (<see cref="ModelRouterOptions.Objective"/>), a <see cref="SelectionObjective"/> or its name.</summary>
    public const string Objective = "modelselection.objective";

    /// <summary>Response: the name of the route that served (a string).</summary>
    public const string Route = "modelselection.route";

    /// <summary>Response: the whole <see cref="ModelRoutingReport"/>.</summary>
    public const string Report = "modelselection.routing";
}
