using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Devices;
using ModelSelection.Models;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>One route, resolved: its model spec, its device profile under the route's own id, its client.</summary>
internal sealed record ResolvedRoute<TClient>(
    string Name,
    ModelSpec Model,
    bool ModelFromCatalog,
    string DeviceId,
    string? Runtime,
    NumericPrecision? Precision,
    TClient Client,
    string ModelId,
    Uri? Endpoint,
    string? Provider,
    decimal? InputPricePerMillionTokensUsd,
    decimal? OutputPricePerMillionTokensUsd,
    TimeSpan? Timeout)
{
    /// <summary>The cost of a request in US dollars: prompt × input price + output × output price, per million.</summary>
    public decimal CostUsd(int promptTokens, int outputTokens) =>
        ((promptTokens * (InputPricePerMillionTokensUsd ?? 0m)) + (outputTokens * (OutputPricePerMillionTokensUsd ?? 0m))) / 1_000_000m;

    public string CostFormula(int promptTokens, int outputTokens) => string.Create(
        CultureInfo.InvariantCulture,
        $"{promptTokens} prompt tokens × ${InputPricePerMillionTokensUsd ?? 0m}/M + {outputTokens} output tokens × ${OutputPricePerMillionTokensUsd ?? 0m}/M = ${CostUsd(promptTokens, outputTokens):0.######}");
}

/// <summary>
/// The routes of one options snapshot, resolved once: models from the catalog, clients from the container, devices
/// (probing <c>local</c>) on first use. Immutable after construction; the device task is shared.
/// </summary>
internal sealed class RouteTable<TClient>
    where TClient : class
{
    private readonly Lazy<Task<ImmutableArray<DeviceProfile>>> _devices;

    private RouteTable(ImmutableArray<ResolvedRoute<TClient>> routes, ModelRouterOptions options, Func<CancellationToken, Task<ImmutableArray<DeviceProfile>>> devices)
    {
        Routes = routes;
        Objective = options.Objective;
        MaxLatency = options.MaxLatency;
        MaxTimeToFirstToken = options.MaxTimeToFirstToken;
        MaxCostUsd = options.MaxCostUsd;
        MinQuality = options.MinQuality;
        QualityBenchmark = options.QualityBenchmark;
        Task = options.Task is { } task ? ModelTasks.Parse(task) : null;
        DefaultMaxOutputTokens = options.DefaultMaxOutputTokens;
        AttemptTimeout = options.AttemptTimeout;
        _devices = new(() => devices(CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ImmutableArray<ResolvedRoute<TClient>> Routes { get; }

    public SelectionObjective Objective { get; }

    public TimeSpan? MaxLatency { get; }

    public TimeSpan? MaxTimeToFirstToken { get; }

    public decimal? MaxCostUsd { get; }

    public double? MinQuality { get; }

    public string? QualityBenchmark { get; }

    public ModelTask? Task { get; }

    public int DefaultMaxOutputTokens { get; }

    public TimeSpan? AttemptTimeout { get; }

    /// <summary>The routes' device profiles, each under its route's name, in route order.</summary>
    public Task<ImmutableArray<DeviceProfile>> DevicesAsync(CancellationToken cancellationToken) => _devices.Value.WaitAsync(cancellationToken);

    /// <summary>Resolves every route of validated options.</summary>
    /// <exception cref="InvalidOperationException">A route's client is neither given nor registered.</exception>
    public static RouteTable<TClient> Build(
        ModelRouterOptions options,
        IModelSelectionCatalogs catalogs,
        ILocalDeviceProbe probe,
        Func<ModelRouteOptions, TClient?> givenClient,
        Func<string, TClient?> keyedClient,
        string clientKind)
    {
        var routes = ImmutableArray.CreateBuilder<ResolvedRoute<TClient>>(options.Routes.Count);
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var r = options.Routes[i];
            var key = r.ServiceKey ?? r.Name;
            var client = givenClient(r) ?? keyedClient(key)
                ?? throw new InvalidOperationException($"Routes[{i}] ('{r.Name}'): no {clientKind} was given and none is registered as a keyed service under '{key}'; register one with AddKeyed{(clientKind == nameof(Microsoft.Extensions.AI.IChatClient) ? "ChatClient" : "EmbeddingGenerator")}(\"{key}\", …) or set the route's client.");
            var spec = r.ModelSpec ?? catalogs.Models.Get(r.Model!);
            routes.Add(new ResolvedRoute<TClient>(
                r.Name,
                spec,
                r.ModelSpec is null,
                r.Device,
                r.Runtime,
                r.Precision is { } p ? NumericPrecision.Parse(p, CultureInfo.InvariantCulture) : null,
                client,
                r.ModelId ?? spec.Id,
                r.Endpoint is { } e ? new Uri(e, UriKind.Absolute) : null,
                r.Provider,
                r.InputPricePerMillionTokensUsd,
                r.OutputPricePerMillionTokensUsd,
                r.Timeout));
        }

        var built = routes.MoveToImmutable();
        return new RouteTable<TClient>(built, options, async cancellationToken =>
        {
            var devices = ImmutableArray.CreateBuilder<DeviceProfile>(built.Length);
            foreach (var route in built)
            {
                var device = await catalogs.Devices.ResolveAsync(route.DeviceId, probe, cancellationToken).ConfigureAwait(false);
                devices.Add(device with { Id = route.Name, Vendor = device.Vendor, DisplayName = $"{route.Name} ({device.DisplayName})" });
            }

            return devices.MoveToImmutable();
        });
    }
}
