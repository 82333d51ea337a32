using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelSelection.Devices;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>Resolves what a router needs from a container, honouring <see cref="ModelRouterOptions.SelectorKey"/>.</summary>
internal static class RouterServices
{
    public static RoutingCore<TClient> Core<TClient>(IServiceProvider services, string optionsName, string operation, ModelTask defaultTask, Func<ModelRouteOptions, TClient?> given, Type category)
        where TClient : class
    {
        var monitor = services.GetRequiredService<IOptionsMonitor<ModelRouterOptions>>();
        var selectorKey = monitor.Get(optionsName).SelectorKey;
        var selector = selectorKey is null ? services.GetRequiredService<IModelSelector>() : services.GetRequiredKeyedService<IModelSelector>(selectorKey);
        var catalogs = selectorKey is null ? services.GetRequiredService<IModelSelectionCatalogs>() : services.GetRequiredKeyedService<IModelSelectionCatalogs>(selectorKey);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;
        return new RoutingCore<TClient>(
            selector,
            catalogs,
            monitor,
            optionsName,
            services.GetService<ILocalDeviceProbe>() ?? LocalDeviceProbe.Default,
            given,
            key => services.GetKeyedService<TClient>(key),
            operation,
            defaultTask,
            logger,
            RoutingTelemetry.For(services.GetService<IMeterFactory>()));
    }

    public static RoutingCore<TClient> Core<TClient>(IModelSelector selector, IModelSelectionCatalogs catalogs, ModelRouterOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, IServiceProvider? services, string operation, ModelTask defaultTask, Func<ModelRouteOptions, TClient?> given, Type category)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(catalogs);
        ArgumentNullException.ThrowIfNull(options);
        var result = new ModelRouterOptionsValidator(catalogs).Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException($"Invalid router options: {result.FailureMessage}", nameof(options));
        }

        return new RoutingCore<TClient>(
            selector,
            catalogs,
            new StaticOptionsMonitor(options),
            Options.DefaultName,
            services?.GetService<ILocalDeviceProbe>() ?? LocalDeviceProbe.Default,
            given,
            key => services?.GetKeyedService<TClient>(key),
            operation,
            defaultTask,
            loggerFactory?.CreateLogger(category) ?? NullLogger.Instance,
            RoutingTelemetry.For(meterFactory));
    }
}
