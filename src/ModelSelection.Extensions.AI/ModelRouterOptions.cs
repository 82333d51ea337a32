using ModelSelection.Extensions.AI.Internal;

namespace ModelSelection.Extensions.AI;

/// <summary>
/// The routes a <see cref="ModelRoutingChatClient"/> or <see cref="ModelRoutingEmbeddingGenerator"/> chooses among,
/// and the default constraints of every request. Bindable from configuration, validated as a whole, reloadable (the
/// router rebuilds its route table when the options change). Each request can override the constraints through
/// <c>AdditionalProperties</c> (<see cref="ModelRouterPropertyNames"/>).
/// </summary>
public sealed class ModelRouterOptions
{
    /// <summary>The routes, in no particular order: the selector ranks them.</summary>
    public IList<ModelRouteOptions> Routes { get; } = [];

    /// <summary>The objective that ranks the feasible routes: <c>Quality</c> (the largest model that meets the
    /// constraints), <c>Latency</c>, <c>Cost</c>, <c>Energy</c> or <c>Smallest</c>.</summary>
    /// <value>The default value is <see cref="SelectionObjective.Quality"/>.</value>
    public SelectionObjective Objective { get; set; } = ModelRouterDefaults.Objective;

    /// <summary>The end-to-end latency limit of a request (prefill and every generated token), a positive duration.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>The time-to-first-token limit of a request, a positive duration.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public TimeSpan? MaxTimeToFirstToken { get; set; }

    /// <summary>The most a request may cost in US dollars, 0 or more, checked against each route's per-token prices:
    /// prompt tokens × input price + output tokens × output price.</summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    public decimal? MaxCostUsd { get; set; }

    /// <summary>The lowest acceptable quality score on <see cref="QualityBenchmark"/> (or the task's default benchmark).</summary>
    /// <value>The default value is <see langword="null"/> (no floor).</value>
    public double? MinQuality { get; set; }

    /// <summary>The benchmark that ranks quality and carries <see cref="MinQuality"/> (<c>mmlu</c>, …).</summary>
    /// <value>The default value is <see langword="null"/> (the task's default).</value>
    public string? QualityBenchmark { get; set; }

    /// <summary>The task (<c>text-generation</c>, <c>embedding</c>, …); <see langword="null"/> means
    /// <c>text-generation</c> for chat and <c>embedding</c> for embeddings.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Task { get; set; }

    /// <summary>The output tokens assumed when a request sets no <c>ChatOptions.MaxOutputTokens</c>, 1 to 10,000,000.</summary>
    /// <value>The default value is 256.</value>
    public int DefaultMaxOutputTokens { get; set; } = ModelRouterDefaults.DefaultMaxOutputTokens;

    /// <summary>How long one attempt may take before the router tries the next ranked route, a positive duration
    /// (a route's <see cref="ModelRouteOptions.Timeout"/> wins).</summary>
    /// <value>The default value is <see langword="null"/> (no limit beyond the caller's cancellation).</value>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>The key of the <see cref="IModelSelector"/> to ask (registered with <c>AddKeyedModelSelection</c>);
    /// <see langword="null"/> means the default selector.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SelectorKey { get; set; }

    /// <summary>Values from configuration that did not parse, reported by validation.</summary>
    internal List<string> BindingErrors { get; } = [];
}
