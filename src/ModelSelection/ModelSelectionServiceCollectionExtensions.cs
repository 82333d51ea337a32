using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelSelection.Devices;
using ModelSelection.Selection;

namespace ModelSelection;

/// <summary>
/// Registers the selector: <c>services.AddModelSelection()</c>, with code (<c>AddModelSelection(o => …)</c>) or with
/// configuration (<c>AddModelSelection(configuration.GetSection("ModelSelection"))</c>). Idempotent; returns the collection.
/// </summary>
/// <remarks>
/// Registers, as singletons: <see cref="IModelSelector"/> (rebuilding its catalogs atomically when the options
/// change), <see cref="ISelectionProfiles"/>, <see cref="ILocalDeviceProbe"/> and the options validator. Invalid
/// options fail with <see cref="OptionsValidationException"/> naming every problem, when the selector is first
/// resolved (or at start-up under a Host with <c>ValidateOnStart</c>, which these methods request).
/// </remarks>
public static class ModelSelectionServiceCollectionExtensions
{
    /// <summary>Adds the selector with default options (built-in catalogs).</summary>
    /// <param name="services">The services.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddModelSelection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ModelSelectionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelSelectionOptions>, ModelSelectionOptionsValidator>());
        services.TryAddSingleton<ILocalDeviceProbe>(LocalDeviceProbe.Default);
        services.TryAddSingleton(sp => new OptionsSelectorFactory(
            sp.GetRequiredService<IOptionsMonitor<ModelSelectionOptions>>(),
            sp.GetRequiredService<ILocalDeviceProbe>(),
            sp.GetService<ILogger<ModelSelector>>() ?? NullLogger<ModelSelector>.Instance,
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<IModelSelector>(sp => sp.GetRequiredService<OptionsSelectorFactory>().Selector);
        services.TryAddSingleton<IModelSelectionCatalogs>(sp => sp.GetRequiredService<OptionsSelectorFactory>().Selector);
        services.TryAddSingleton(sp => new Comparison.ModelComparer(sp.GetRequiredService<IModelSelector>(), sp.GetRequiredService<IModelSelectionCatalogs>()));
        services.TryAddSingleton<ISelectionProfiles, SelectionProfiles>();
        return services;
    }

    /// <summary>Adds the selector, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IServiceCollection AddModelSelection(this IServiceCollection services, Action<ModelSelectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddModelSelection();
        services.Configure(configure);
        return services;
    }

    /// <summary>Adds the selector, bound to a configuration section (reloads apply).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("ModelSelection")</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IServiceCollection AddModelSelection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddModelSelection();
        services.Configure<ModelSelectionOptions>(configuration);
        return services;
    }
}
