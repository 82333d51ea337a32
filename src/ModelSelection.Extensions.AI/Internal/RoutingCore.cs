using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelSelection.Devices;
using ModelSelection.Estimation;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>A feasible route of one request, in rank order, with its token count and cost.</summary>
internal sealed record PlannedRoute<TClient>(ResolvedRoute<TClient> Route, SelectionCandidate Candidate, int PromptTokens, int OutputTokens, decimal CostUsd)
{
    public RouteDecision Decision(RouteOutcome outcome, string reason) => new(Route.Name, outcome, reason)
    {
        Model = Route.Model.Id,
        EstimatedLatency = Candidate.Performance is { } p ? TimeSpan.FromSeconds(p.LatencySeconds) : null,
        EstimatedCostUsd = CostUsd,
        PromptTokens = PromptTokens,
    };
}

/// <summary>The routes one request may use, best first, and the ones it may not, with why.</summary>
internal sealed record RoutePlan<TClient>(
    ImmutableArray<PlannedRoute<TClient>> Order,
    ImmutableArray<RouteDecision> Skipped,
    int PromptTokens,
    string TokenCounting,
    SelectionResult Selection)
{
    public ModelRoutingReport Report(string? servedBy, IEnumerable<RouteDecision> attempts) =>
        new(servedBy, [.. attempts, .. Skipped], PromptTokens, TokenCounting, Selection);
}

/// <summary>
/// What the chat and embedding routers share: the route table of the current options (rebuilt when they change),
/// the selection that ranks the routes per request, the attempt loop with fallback, logs and telemetry.
/// Thread-safe: a request reads one immutable table.
/// </summary>
internal sealed class RoutingCore<TClient> : IDisposable
    where TClient : class
{
    private readonly IModelSelector _selector;
    private readonly IModelSelectionCatalogs _catalogs;
    private readonly ILocalDeviceProbe _probe;
    private readonly Func<ModelRouteOptions, TClient?> _givenClient;
    private readonly Func<string, TClient?> _keyedClient;
    private readonly string _clientKind;
    private readonly string _optionsName;
    private readonly IDisposable? _subscription;
    private volatile RouteTable<TClient> _table;

    public RoutingCore(
        IModelSelector selector,
        IModelSelectionCatalogs catalogs,
        IOptionsMonitor<ModelRouterOptions> options,
        string optionsName,
        ILocalDeviceProbe probe,
        Func<ModelRouteOptions, TClient?> givenClient,
        Func<string, TClient?> keyedClient,
        string operation,
        ModelTask defaultTask,
        ILogger logger,
        RoutingTelemetry telemetry)
    {
        _selector = selector;
        _catalogs = catalogs;
        _probe = probe;
        _givenClient = givenClient;
        _keyedClient = keyedClient;
        _clientKind = typeof(TClient) == typeof(Microsoft.Extensions.AI.IChatClient) ? nameof(Microsoft.Extensions.AI.IChatClient) : "IEmbeddingGenerator<string, Embedding<float>>";
        _optionsName = optionsName;
        Operation = operation;
        DefaultTask = defaultTask;
        Logger = logger;
        Telemetry = telemetry;
        _table = Build(options.Get(optionsName));
        _subscription = options.OnChange((changed, name) =>
        {
            if (!string.Equals(name ?? Options.DefaultName, optionsName, StringComparison.Ordinal))
            {
                return;
            }

            try
            {
                _table = Build(changed);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or OptionsValidationException)
            {
                RouterLog.ReloadFailed(Logger, _optionsName, exception.Message, exception);
            }
        });
    }

    public string Operation { get; }

    public ModelTask DefaultTask { get; }

    public ILogger Logger { get; }

    public RoutingTelemetry Telemetry { get; }

    public RouteTable<TClient> Table => _table;

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Ranks the routes for one request.</summary>
    public async Task<RoutePlan<TClient>> PlanAsync(RouteTable<TClient> table, RequestSettings settings, string promptText, int promptOverheadTokens, int outputTokens, int batch, CancellationToken cancellationToken)
    {
        var tokens = new int[table.Routes.Length];
        var exact = true;
        for (var i = 0; i < tokens.Length; i++)
        {
            var model = table.Routes[i].Model.Id;
            exact &= PromptTokenCounter.HasTokenizer(model);
            tokens[i] = (int)Math.Min(InferenceWorkload.MaxTokens, (long)PromptTokenCounter.Count(model, promptText) + promptOverheadTokens);
        }

        var promptTokens = Math.Max(1, tokens.Length == 0 ? 1 : tokens.Max());
        var devices = await table.DevicesAsync(cancellationToken).ConfigureAwait(false);
        var request = new SelectionRequest
        {
            CandidateIds = [.. table.Routes.Where(r => r.ModelFromCatalog).Select(r => r.Model.Id).Distinct(StringComparer.Ordinal)],
            Models = [.. table.Routes.Where(r => !r.ModelFromCatalog).Select(r => r.Model).DistinctBy(m => m.Id, StringComparer.Ordinal)],
            Devices = devices,
            Precisions = [.. table.Routes.Select(r => r.Precision).OfType<NumericPrecision>().Distinct()],
            RuntimeIds = [.. table.Routes.Select(r => r.Runtime).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)],
            Workload = new InferenceWorkload { InputTokens = promptTokens, GeneratedTokens = Math.Min(outputTokens, InferenceWorkload.MaxTokens), Batch = Math.Clamp(batch, 1, InferenceWorkload.MaxBatch) },
            Constraints = new SelectionConstraints
            {
                MaxLatency = settings.MaxLatency,
                MaxTimeToFirstToken = settings.MaxTimeToFirstToken,
                MinQuality = settings.MinQuality,
                QualityBenchmark = settings.QualityBenchmark,
            },
            Objective = settings.Objective,
            Task = settings.Task ?? DefaultTask,
        };
        var selection = await _selector.SelectAsync(request, cancellationToken).ConfigureAwait(false);

        var order = new List<(int Rank, PlannedRoute<TClient> Planned)>();
        var skipped = ImmutableArray.CreateBuilder<RouteDecision>();
        for (var i = 0; i < table.Routes.Length; i++)
        {
            var route = table.Routes[i];
            var rank = IndexOf(selection.Ranked, route);
            if (rank < 0)
            {
                var rejected = selection.Rejected.FirstOrDefault(r => Matches(r.Candidate, route));
                var reason = rejected is null
                    ? $"the selector did not evaluate {route.Model.Id} on {route.DeviceId}{(route.Precision is { } p ? " at " + p.Name : string.Empty)}{(route.Runtime is { } rt ? " via " + rt : string.Empty)}"
                    : string.Join("; ", rejected.Reasons.Select(x => x.Message));
                skipped.Add(new RouteDecision(route.Name, RouteOutcome.Infeasible, reason) { Model = route.Model.Id, PromptTokens = tokens[i] });
                continue;
            }

            var candidate = selection.Ranked[rank];
            var cost = route.CostUsd(tokens[i], outputTokens);
            var planned = new PlannedRoute<TClient>(route, candidate, tokens[i], outputTokens, cost);
            if (settings.MaxCostUsd is { } max && cost > max)
            {
                skipped.Add(planned.Decision(RouteOutcome.OverBudget, $"{route.CostFormula(tokens[i], outputTokens)}, over the limit ${max}"));
                continue;
            }

            order.Add((rank, planned));
        }

        return new RoutePlan<TClient>(
            [.. order.OrderBy(o => o.Rank).Select(o => o.Planned)],
            skipped.ToImmutable(),
            promptTokens,
            exact ? PromptTokenCounter.Gpt2Method : PromptTokenCounter.EstimateMethod,
            selection);
    }

    /// <summary>The attempt timeout of a route: its own, else the router's.</summary>
    public static TimeSpan? TimeoutOf(RouteTable<TClient> table, ResolvedRoute<TClient> route) => route.Timeout ?? table.AttemptTimeout;

    /// <summary>Tries the planned routes in order until one serves.</summary>
    /// <exception cref="ModelRoutingException">No route served; its report says why.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<(TResult Result, PlannedRoute<TClient> Route, ModelRoutingReport Report)> ExecuteAsync<TResult>(
        RouteTable<TClient> table,
        RoutePlan<TClient> plan,
        Func<PlannedRoute<TClient>, CancellationToken, Task<TResult>> attempt,
        Activity? activity,
        CancellationToken cancellationToken)
    {
        var decisions = new List<RouteDecision>(plan.Order.Length);
        Exception? last = null;
        for (var i = 0; i < plan.Order.Length; i++)
        {
            var planned = plan.Order[i];
            using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (TimeoutOf(table, planned.Route) is { } timeout)
            {
                attemptCancellation.CancelAfter(timeout);
            }

            try
            {
                var result = await attempt(planned, attemptCancellation.Token).ConfigureAwait(false);
                decisions.Add(planned.Decision(RouteOutcome.Served, ServedReason(plan, planned, decisions.Count)));
                decisions.AddRange(plan.Order.Skip(i + 1).Select(p => p.Decision(RouteOutcome.NotTried, $"ranked below {planned.Route.Name}")));
                return (result, planned, plan.Report(planned.Route.Name, decisions));
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                last = exception;
                decisions.Add(Failed(planned, exception, attemptCancellation.IsCancellationRequested, activity));
            }
        }

        throw NoRoute(plan, decisions, last);
    }

    /// <summary>Records a failed attempt (decision, log, metric, span event).</summary>
    public RouteDecision Failed(PlannedRoute<TClient> planned, Exception exception, bool timedOut, Activity? activity)
    {
        var outcome = Classify(exception, timedOut);
        var reason = outcome == RouteOutcome.TimedOut && exception is OperationCanceledException
            ? $"no answer within {TimeoutOf(_table, planned.Route)?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the client's timeout"} s"
            : $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
        RouterLog.AttemptFailed(Logger, planned.Route.Name, RoutingTelemetry.Tag(outcome), Operation, reason, exception);
        Telemetry.Fallbacks.Add(1, new("modelselection.route", planned.Route.Name), new("outcome", RoutingTelemetry.Tag(outcome)), new("gen_ai.operation.name", Operation));
        activity?.AddEvent(new ActivityEvent("modelselection.route.failed", tags: new ActivityTagsCollection
        {
            ["modelselection.route"] = planned.Route.Name,
            ["modelselection.outcome"] = RoutingTelemetry.Tag(outcome),
            ["error.type"] = exception.GetType().FullName,
        }));
        return planned.Decision(outcome, reason);
    }

    /// <summary>The exception for a request no route served, logged and counted.</summary>
    public ModelRoutingException NoRoute(RoutePlan<TClient> plan, IEnumerable<RouteDecision> decisions, Exception? last)
    {
        var report = plan.Report(null, decisions);
        var exception = new ModelRoutingException(report, last);
        RouterLog.NoRoute(Logger, Operation, string.Join("; ", report.Routes.Select(r => $"{r.Route}: {r.Outcome} — {r.Reason}")));
        Telemetry.Requests.Add(1, new("gen_ai.operation.name", Operation), new("modelselection.route", "none"), new("outcome", plan.Order.IsEmpty ? "no-route" : "failed"));
        return exception;
    }

    /// <summary>Logs, counts and tags a served request.</summary>
    public void Served(ModelRoutingReport report, PlannedRoute<TClient> planned, Activity? activity, long? inputTokens, long? outputTokens)
    {
        var skipped = string.Join("; ", report.Skipped.Select(s => $"{s.Route}: {s.Outcome} — {s.Reason}"));
        RouterLog.Routed(Logger, Operation, planned.Route.Name, planned.Route.ModelId, report.PromptTokens, report.TokenCounting, skipped.Length == 0 ? "none" : skipped);
        Telemetry.Requests.Add(1, new("gen_ai.operation.name", Operation), new("modelselection.route", planned.Route.Name), new("outcome", "served"));
        if (inputTokens is { } input)
        {
            Telemetry.TokenUsage.Record(input, new("gen_ai.operation.name", Operation), new("gen_ai.request.model", planned.Route.ModelId), new("gen_ai.token.type", "input"));
        }

        if (outputTokens is { } output)
        {
            Telemetry.TokenUsage.Record(output, new("gen_ai.operation.name", Operation), new("gen_ai.request.model", planned.Route.ModelId), new("gen_ai.token.type", "output"));
        }

        if (activity is null)
        {
            return;
        }

        activity.DisplayName = $"{Operation} {planned.Route.ModelId}";
        activity.SetTag("gen_ai.request.model", planned.Route.ModelId);
        if (planned.Route.Provider is { } provider)
        {
            activity.SetTag("gen_ai.provider.name", provider);
        }

        if (planned.Route.Endpoint is { } endpoint)
        {
            activity.SetTag("server.address", endpoint.Host);
            activity.SetTag("server.port", endpoint.Port);
        }

        activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
        activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
        activity.SetTag("modelselection.route", planned.Route.Name);
        activity.SetTag("modelselection.device", planned.Route.DeviceId);
        activity.SetTag("modelselection.routes.skipped", report.Skipped.Select(s => $"{s.Route}: {RoutingTelemetry.Tag(s.Outcome)}").ToArray());
        activity.SetStatus(ActivityStatusCode.Ok);
    }

    /// <summary>Starts the request's span with the attributes known before routing.</summary>
    public Activity? StartActivity(int? maxOutputTokens)
    {
        var activity = RoutingTelemetry.Source.StartActivity($"{Operation} modelselection", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("gen_ai.operation.name", Operation);
            if (maxOutputTokens is { } max)
            {
                activity.SetTag("gen_ai.request.max_tokens", max);
            }
        }

        return activity;
    }

    /// <summary>Tags the span and records the duration when the request ends.</summary>
    public void Finish(Activity? activity, long startTimestamp, PlannedRoute<TClient>? served, RoutePlan<TClient>? plan, Exception? error)
    {
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        var tags = new TagList { { "gen_ai.operation.name", Operation } };
        if (served is not null)
        {
            tags.Add("gen_ai.request.model", served.Route.ModelId);
        }

        if (error is not null)
        {
            tags.Add("error.type", error.GetType().FullName);
        }

        Telemetry.Duration.Record(seconds, tags);
        if (activity is null)
        {
            return;
        }

        if (plan is not null)
        {
            activity.SetTag("modelselection.prompt_tokens", plan.PromptTokens);
            activity.SetTag("modelselection.token_counting", plan.TokenCounting);
        }

        if (error is not null)
        {
            activity.SetTag("error.type", error.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }
    }

    private static string ServedReason(RoutePlan<TClient> plan, PlannedRoute<TClient> planned, int failedBefore)
    {
        var latency = planned.Candidate.Performance is { } p ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"estimated {p.LatencySeconds * 1000:0.#} ms") : "no latency estimate";
        var rank = failedBefore == 0 ? $"ranked first by {plan.Selection.Objective.ToString().ToLowerInvariant()} among {plan.Order.Length} feasible route(s)" : $"next ranked after {failedBefore} failed route(s)";
        return $"{rank}; {planned.Candidate.Key}; {latency}; {planned.Route.CostFormula(planned.PromptTokens, planned.OutputTokens)}";
    }

    private static RouteOutcome Classify(Exception exception, bool timedOut)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message;
            if (message.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase)
                || message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase)
                || message.Contains("context length", StringComparison.OrdinalIgnoreCase))
            {
                return RouteOutcome.ContextLengthExceeded;
            }
        }

        return timedOut || exception is TimeoutException or OperationCanceledException ? RouteOutcome.TimedOut : RouteOutcome.Failed;
    }

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    private static int IndexOf(IReadOnlyList<SelectionCandidate> ranked, ResolvedRoute<TClient> route)
    {
        for (var i = 0; i < ranked.Count; i++)
        {
            if (Matches(ranked[i], route))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Matches(SelectionCandidate candidate, ResolvedRoute<TClient> route) =>
        candidate.DeviceCount == 1
        && string.Equals(candidate.Device.Id, route.Name, StringComparison.Ordinal)
        && string.Equals(candidate.Model.Id, route.Model.Id, StringComparison.Ordinal)
        && (route.Runtime is null || string.Equals(candidate.Runtime?.Id, route.Runtime, StringComparison.OrdinalIgnoreCase))
        && (route.Precision is not { } precision || candidate.Precision.Equals(precision));

    private RouteTable<TClient> Build(ModelRouterOptions options) =>
        RouteTable<TClient>.Build(options, _catalogs, _probe, _givenClient, _keyedClient, _clientKind);
}
