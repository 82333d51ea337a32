using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelSelection.Extensions.AI.Internal;

namespace ModelSelection.Extensions.AI;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> that routes each batch to one of its routes, as
/// <see cref="ModelRoutingChatClient"/> does for chat: the workload is the batch (its size, the longest input's
/// tokens, nothing generated, task <c>embedding</c>), the selector ranks the routes, the best one serves with
/// <see cref="EmbeddingGenerationOptions.ModelId"/> set, and a failure passes the batch to the next ranked route.
/// The result's <see cref="GeneratedEmbeddings{TEmbedding}.AdditionalProperties"/> carry the routing report.
/// </summary>
/// <remarks>Thread-safe: any number of batches may run at once.</remarks>
public sealed class ModelRoutingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly RoutingCore<IEmbeddingGenerator<string, Embedding<float>>> _core;

    /// <summary>Initializes a router over fixed options (no reload), for use without a container.</summary>
    /// <param name="selector">The selector that ranks the routes.</param>
    /// <param name="catalogs">The catalogs the route ids refer to.</param>
    /// <param name="options">The routes and constraints; each route gives its <see cref="ModelRouteOptions.EmbeddingGenerator"/>
    /// or is resolved from <paramref name="services"/> by its key.</param>
    /// <param name="loggerFactory">Where to log, or <see langword="null"/>.</param>
    /// <param name="meterFactory">The app's meter factory, or <see langword="null"/> for the process-wide meter.</param>
    /// <param name="services">The container keyed route generators come from, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/>, <paramref name="catalogs"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names every bad field.</exception>
    /// <exception cref="InvalidOperationException">A route has no generator.</exception>
    public ModelRoutingEmbeddingGenerator(IModelSelector selector, IModelSelectionCatalogs catalogs, ModelRouterOptions options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, IServiceProvider? services = null)
        => _core = RouterServices.Core(selector, catalogs, options, loggerFactory, meterFactory, services, "embeddings", ModelTask.Embedding, r => r.EmbeddingGenerator, typeof(ModelRoutingEmbeddingGenerator));

    internal ModelRoutingEmbeddingGenerator(IServiceProvider services, string optionsName)
        => _core = RouterServices.Core(services, optionsName, "embeddings", ModelTask.Embedding, r => r.EmbeddingGenerator, typeof(ModelRoutingEmbeddingGenerator));

    /// <summary>Routes the batch and returns the served route's embeddings, annotated with the routing report.</summary>
    /// <param name="values">The texts to embed, one or more.</param>
    /// <param name="options">The request's options; <c>AdditionalProperties</c> may override the router's constraints.</param>
    /// <param name="cancellationToken">Cancels the selection and the attempt in flight; no fallback follows.</param>
    /// <returns>The embeddings of the route that served.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A request property has the wrong type or is out of range.</exception>
    /// <exception cref="ModelRoutingException">No route could serve; its report says why for each route.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values as IList<string> ?? [.. values];
        var table = _core.Table;
        var settings = RequestSettings.From(table, options?.AdditionalProperties);
        var longest = list.Count == 0 ? string.Empty : list.MaxBy(v => v?.Length ?? 0) ?? string.Empty;
        using var activity = _core.StartActivity(null);
        var start = Stopwatch.GetTimestamp();
        RoutePlan<IEmbeddingGenerator<string, Embedding<float>>>? plan = null;
        PlannedRoute<IEmbeddingGenerator<string, Embedding<float>>>? served = null;
        try
        {
            plan = await _core.PlanAsync(table, settings, longest, 0, 0, list.Count, cancellationToken).ConfigureAwait(false);
            var (embeddings, route, report) = await _core.ExecuteAsync(
                table,
                plan,
                (p, token) => p.Route.Client.GenerateAsync(list, Forward(options, p.Route.ModelId), token),
                activity,
                cancellationToken).ConfigureAwait(false);
            served = route;
            embeddings.AdditionalProperties ??= [];
            embeddings.AdditionalProperties[ModelRouterPropertyNames.Route] = report.ServedBy;
            embeddings.AdditionalProperties[ModelRouterPropertyNames.Report] = report;
            _core.Served(report, route, activity, embeddings.Usage?.InputTokenCount, null);
            _core.Finish(activity, start, served, plan, null);
            return embeddings;
        }
        catch (Exception exception)
        {
            _core.Finish(activity, start, served, plan, exception);
            throw;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("modelselection")
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Stops listening for options changes. The route generators belong to their owner and are not disposed.</summary>
    public void Dispose() => _core.Dispose();

    private static EmbeddingGenerationOptions Forward(EmbeddingGenerationOptions? options, string modelId)
    {
        var forwarded = options?.Clone() ?? new EmbeddingGenerationOptions();
        forwarded.ModelId = modelId;
        forwarded.AdditionalProperties = RequestSettings.WithoutOverrides(forwarded.AdditionalProperties);

        return forwarded;
    }
}
