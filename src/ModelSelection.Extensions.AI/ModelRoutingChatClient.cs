using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelSelection.Extensions.AI.Internal;

namespace ModelSelection.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> that routes each request to one of its routes: it counts the prompt's tokens, asks the
/// <see cref="IModelSelector"/> which (model, device) route meets the request's latency, cost and quality constraints
/// for that prompt and <see cref="ChatOptions.MaxOutputTokens"/>, and forwards the request to the best route with
/// <see cref="ChatOptions.ModelId"/> set to the route's model. On failure (an exception, an attempt timeout, a
/// context-length refusal) it tries the next ranked route. The response's <see cref="ChatResponse.AdditionalProperties"/>
/// carry the served route (<see cref="ModelRouterPropertyNames.Route"/>) and the whole
/// <see cref="ModelRoutingReport"/> (<see cref="ModelRouterPropertyNames.Report"/>).
/// </summary>
/// <remarks>
/// Register it with <c>services.AddModelRoutingChatClient(…)</c>, which returns the <see cref="ChatClientBuilder"/> of
/// the app's chat pipeline. Streaming routes the same way; once a route has streamed its first update the router is
/// committed to it (a later failure is the caller's, as replaying half an answer would duplicate it). Thread-safe: any
/// number of requests may run at once; each reads one snapshot of the options.
/// </remarks>
public sealed class ModelRoutingChatClient : IChatClient
{
    private readonly RoutingCore<IChatClient> _core;

    /// <summary>Initializes a router over fixed options (no reload), for use without a container.</summary>
    /// <param name="selector">The selector that ranks the routes.</param>
    /// <param name="catalogs">The catalogs the route ids refer to (the selector built by <c>AddModelSelection</c> is both).</param>
    /// <param name="options">The routes and constraints; each route gives its <see cref="ModelRouteOptions.ChatClient"/>
    /// or is resolved from <paramref name="services"/> by its key.</param>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/>.</param>
    /// <param name="meterFactory">The app's meter factory, or <see langword="null"/> for the process-wide meter.</param>
    /// <param name="services">The container keyed route clients come from, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/>, <paramref name="catalogs"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names every bad field.</exception>
    /// <exception cref="InvalidOperationException">A route has no client.</exception>
    public ModelRoutingChatClient(IModelSelector selector, IModelSelectionCatalogs catalogs, ModelRouterOptions options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, IServiceProvider? services = null)
        => _core = RouterServices.Core<IChatClient>(selector, catalogs, options, loggerFactory, meterFactory, services, "chat", ModelTask.TextGeneration, r => r.ChatClient, typeof(ModelRoutingChatClient));

    internal ModelRoutingChatClient(IServiceProvider services, string optionsName)
        => _core = RouterServices.Core<IChatClient>(services, optionsName, "chat", ModelTask.TextGeneration, r => r.ChatClient, typeof(ModelRoutingChatClient));

    /// <summary>Gets the names of the routes of the current options, in configuration order.</summary>
    public IReadOnlyList<string> RouteNames => [.. _core.Table.Routes.Select(r => r.Name)];

    /// <summary>Routes the request and returns the served route's response, annotated with the routing report.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">The request's options; <c>AdditionalProperties</c> may override the router's constraints (<see cref="ModelRouterPropertyNames"/>).</param>
    /// <param name="cancellationToken">Cancels the selection and the attempt in flight; no fallback follows.</param>
    /// <returns>The response of the route that served.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A request property has the wrong type or is out of range, or <see cref="ChatOptions.MaxOutputTokens"/> is below 1.</exception>
    /// <exception cref="ModelRoutingException">No route could serve; its report says why for each route.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (list, table, settings, output, text, overhead) = Prepare(messages, options);
        using var activity = _core.StartActivity(output);
        var start = Stopwatch.GetTimestamp();
        RoutePlan<IChatClient>? plan = null;
        PlannedRoute<IChatClient>? served = null;
        try
        {
            plan = await _core.PlanAsync(table, settings, text, overhead, output, 1, cancellationToken).ConfigureAwait(false);
            var (response, route, report) = await _core.ExecuteAsync(
                table,
                plan,
                (p, token) => p.Route.Client.GetResponseAsync(list, Forward(options, p.Route.ModelId), token),
                activity,
                cancellationToken).ConfigureAwait(false);
            served = route;
            Annotate(response.AdditionalProperties ??= [], report);
            _core.Served(report, route, activity, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
            TagResponse(activity, response.ModelId, response.ResponseId, response.FinishReason);
            _core.Finish(activity, start, served, plan, null);
            return response;
        }
        catch (Exception exception)
        {
            _core.Finish(activity, start, served, plan, exception);
            throw;
        }
    }

    /// <summary>Routes the request and streams the served route's updates; the first update carries the routing report.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">The request's options, as for <see cref="GetResponseAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the selection and the stream; no fallback follows.</param>
    /// <returns>The served route's updates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A request property has the wrong type or is out of range.</exception>
    /// <exception cref="ModelRoutingException">No route produced a first update; its report says why for each route.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(messages, options);
        return StreamAsync(prepared, options, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("modelselection")
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Stops listening for options changes. The route clients belong to their owner and are not disposed.</summary>
    public void Dispose() => _core.Dispose();

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        (IList<ChatMessage> List, RouteTable<IChatClient> Table, RequestSettings Settings, int Output, string Text, int Overhead) request,
        ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = _core.StartActivity(request.Output);
        var start = Stopwatch.GetTimestamp();
        RoutePlan<IChatClient>? plan = null;
        PlannedRoute<IChatClient>? served = null;
        Exception? error = null;
        StreamAttempt? attempt = null;
        try
        {
            try
            {
                plan = await _core.PlanAsync(request.Table, request.Settings, request.Text, request.Overhead, request.Output, 1, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                error = exception;
                throw;
            }

            var decisions = new List<RouteDecision>(plan.Order.Length);
            Exception? last = null;
            for (var i = 0; i < plan.Order.Length && attempt is null; i++)
            {
                var planned = plan.Order[i];
                var (started, failure, timedOut) = await StreamAttempt.StartAsync(planned.Route.Client, request.List, Forward(options, planned.Route.ModelId), RoutingCore<IChatClient>.TimeoutOf(request.Table, planned.Route), cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    last = failure;
                    decisions.Add(_core.Failed(planned, failure, timedOut, activity));
                    continue;
                }

                attempt = started;
                served = planned;
                decisions.Add(planned.Decision(RouteOutcome.Served, i == 0 ? $"ranked first by {plan.Selection.Objective.ToString().ToLowerInvariant()}; {planned.Candidate.Key}" : $"next ranked after {decisions.Count} failed route(s); {planned.Candidate.Key}"));
                decisions.AddRange(plan.Order.Skip(i + 1).Select(p => p.Decision(RouteOutcome.NotTried, $"ranked below {planned.Route.Name}")));
            }

            if (attempt is null || served is null)
            {
                error = _core.NoRoute(plan, decisions, last);
                throw error;
            }

            var report = plan.Report(served.Route.Name, decisions);
            long? input = null, outputTokens = null;
            string? modelId = null, responseId = null;
            ChatFinishReason? finish = null;
            var first = true;
            while (attempt.Current is { } update)
            {
                if (first)
                {
                    Annotate(update.AdditionalProperties ??= [], report);
                    first = false;
                }

                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    input = usage.Details.InputTokenCount ?? input;
                    outputTokens = usage.Details.OutputTokenCount ?? outputTokens;
                }

                modelId ??= update.ModelId;
                responseId ??= update.ResponseId;
                finish ??= update.FinishReason;
                yield return update;
                try
                {
                    await attempt.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    error = exception;
                    throw;
                }
            }

            _core.Served(report, served, activity, input, outputTokens);
            TagResponse(activity, modelId, responseId, finish);
        }
        finally
        {
            if (attempt is not null)
            {
                await attempt.DisposeAsync().ConfigureAwait(false);
            }

            _core.Finish(activity, start, served, plan, error);
        }
    }

    private (IList<ChatMessage> List, RouteTable<IChatClient> Table, RequestSettings Settings, int Output, string Text, int Overhead) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var table = _core.Table;
        var settings = RequestSettings.From(table, options?.AdditionalProperties);
        var output = options?.MaxOutputTokens ?? table.DefaultMaxOutputTokens;
        if (output < 1)
        {
            throw new ArgumentException($"ChatOptions.MaxOutputTokens must be 1 or more; was {output}.", nameof(options));
        }

        var text = string.Join('\n', list.Select(m => m.Text));
        var overhead = (list.Count * PromptTokenCounter.TokensPerMessage) + PromptTokenCounter.TokensForReply;
        return (list, table, settings, output, text, overhead);
    }

    private static ChatOptions Forward(ChatOptions? options, string modelId)
    {
        var forwarded = options?.Clone() ?? new ChatOptions();
        forwarded.ModelId = modelId;
        forwarded.AdditionalProperties = RequestSettings.WithoutOverrides(forwarded.AdditionalProperties);

        return forwarded;
    }

    private static void Annotate(AdditionalPropertiesDictionary properties, ModelRoutingReport report)
    {
        properties[ModelRouterPropertyNames.Route] = report.ServedBy;
        properties[ModelRouterPropertyNames.Report] = report;
    }

    private static void TagResponse(Activity? activity, string? modelId, string? responseId, ChatFinishReason? finish)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.model", modelId);
        activity.SetTag("gen_ai.response.id", responseId);
        if (finish is { } reason)
        {
            activity.SetTag("gen_ai.response.finish_reasons", new[] { reason.Value });
        }
    }

    /// <summary>A started stream: the enumerator with its first update, and the attempt's timeout source.</summary>
    private sealed class StreamAttempt : IAsyncDisposable
    {
        private readonly IAsyncEnumerator<ChatResponseUpdate> _enumerator;
        private readonly CancellationTokenSource _cancellation;

        private StreamAttempt(IAsyncEnumerator<ChatResponseUpdate> enumerator, CancellationTokenSource cancellation, bool hasCurrent)
        {
            _enumerator = enumerator;
            _cancellation = cancellation;
            Current = hasCurrent ? enumerator.Current : null;
        }

        public ChatResponseUpdate? Current { get; private set; }

        public static async Task<(StreamAttempt? Attempt, Exception? Failure, bool TimedOut)> StartAsync(IChatClient client, IList<ChatMessage> messages, ChatOptions options, TimeSpan? timeout, CancellationToken cancellationToken)
        {
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is { } limit)
            {
                cancellation.CancelAfter(limit);
            }

            IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
            try
            {
                enumerator = client.GetStreamingResponseAsync(messages, options, cancellation.Token).GetAsyncEnumerator(cancellation.Token);
                var hasFirst = await enumerator.MoveNextAsync().ConfigureAwait(false);
                cancellation.CancelAfter(Timeout.InfiniteTimeSpan);
                return (new StreamAttempt(enumerator, cancellation, hasFirst), null, false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var timedOut = cancellation.IsCancellationRequested;
                if (enumerator is not null)
                {
                    try
                    {
                        await enumerator.DisposeAsync().ConfigureAwait(false);
                    }
                    catch (Exception disposal) when (disposal is not OutOfMemoryException)
                    {
                        // The attempt already failed; its disposal's failure adds nothing the report needs.
                    }
                }

                cancellation.Dispose();
                return (null, exception, timedOut);
            }
            catch
            {
                if (enumerator is not null)
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }

                cancellation.Dispose();
                throw;
            }
        }

        public async Task MoveNextAsync() => Current = await _enumerator.MoveNextAsync().ConfigureAwait(false) ? _enumerator.Current : null;

        public async ValueTask DisposeAsync()
        {
            await _enumerator.DisposeAsync().ConfigureAwait(false);
            _cancellation.Dispose();
        }
    }
}
