using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>
/// The router's telemetry, under the library's names: the <c>ModelSelection</c> meter (from the app's
/// <see cref="IMeterFactory"/> when it has one) and the <c>ModelSelection</c> activity source. Spans carry the
/// OpenTelemetry GenAI semantic conventions' attributes (<c>gen_ai.*</c>, <c>server.*</c>, <c>error.type</c>).
/// </summary>
internal sealed class RoutingTelemetry
{
    public const string Name = "ModelSelection";

    public static readonly string Version = typeof(RoutingTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(RoutingTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>The activity source: one span per routed request, <c>{operation} {model}</c>.</summary>
    public static readonly ActivitySource Source = new(Name, Version);

    private static readonly Lazy<RoutingTelemetry> Shared = new(() => new RoutingTelemetry(new Meter(Name, Version)));

    private RoutingTelemetry(Meter meter)
    {
        Requests = meter.CreateCounter<long>("modelselection.routing.requests", "{request}", "Requests routed, by gen_ai.operation.name, the route that served (or none) and outcome (served, failed, no-route).");
        Fallbacks = meter.CreateCounter<long>("modelselection.routing.fallbacks", "{attempt}", "Attempts that failed and passed the request to the next ranked route, by route and outcome (failed, timed-out, context-length-exceeded).");
        Duration = meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "GenAI operation duration, routing and every attempt included, in seconds.");
        TokenUsage = meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens used by the route that served, by gen_ai.token.type (input, output).");
    }

    public Counter<long> Requests { get; }

    public Counter<long> Fallbacks { get; }

    public Histogram<double> Duration { get; }

    public Histogram<long> TokenUsage { get; }

    public static RoutingTelemetry For(IMeterFactory? factory) => factory is null ? Shared.Value : new RoutingTelemetry(factory.Create(new MeterOptions(Name) { Version = Version }));

    /// <summary>The outcome tag of an attempt's outcome.</summary>
    public static string Tag(RouteOutcome outcome) => outcome switch
    {
        RouteOutcome.Served => "served",
        RouteOutcome.Failed => "failed",
        RouteOutcome.TimedOut => "timed-out",
        RouteOutcome.ContextLengthExceeded => "context-length-exceeded",
        RouteOutcome.Infeasible => "infeasible",
        RouteOutcome.OverBudget => "over-budget",
        _ => "not-tried",
    };
}
