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
/// configuration (<c>AddModelSelection(configuration.GetSection("ModelSelection"))</c>); or several selectors side by
/// side as keyed services (<c>AddKeyedModelSelection("edge", configuration.GetSection("ModelSelection:Edge"))</c>).
/// Idempotent; returns the collection.
/// </summary>
/// <remarks>
/// <para>
/// Registers, as singletons: <see cref="IModelSelector"/> (rebuilding its catalogs atomically when the options
/// change), <see cref="IModelSelectionCatalogs"/>, <see cref="Comparison.ModelComparer"/>, <see cref="ISelectionProfiles"/>,
/// <see cref="ILocalDeviceProbe"/> and the options validator. Invalid options fail with
/// <see cref="OptionsValidationException"/> naming every problem, when the selector is first resolved (or at start-up
/// under a Host with <c>ValidateOnStart</c>, which these methods request).
/// </para>
/// <para>
/// The keyed methods register the same four services under a key, each key with its own named options
/// (<c>IOptionsMonitor&lt;ModelSelectionOptions&gt;.Get(key)</c>), its own catalogs and its own reloads; resolve them with
/// <c>[FromKeyedServices("edge")]</c> or <c>GetRequiredKeyedService&lt;IModelSelector&gt;("edge")</c>. Keyed and unkeyed
/// registrations coexist and share only the local-device probe and the validator; a keyed failure names its key.
/// </para>
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
        services.TryAddSingleton<ISelectionProfiles>(sp => new SelectionProfiles(sp.GetRequiredService<IOptionsMonitor<ModelSelectionOptions>>(), Options.DefaultName));
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

    /// <summary>Adds a selector under <paramref name="key"/>, with default options (built-in catalogs) of that name.</summary>
    /// <param name="services">The services.</param>
    /// <param name="key">The service key and options name, e.g. <c>"edge"</c>: not blank.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>
    /// Registers, keyed by <paramref name="key"/>: <see cref="IModelSelector"/>, <see cref="IModelSelectionCatalogs"/>,
    /// <see cref="Comparison.ModelComparer"/> and <see cref="ISelectionProfiles"/>, all built from
    /// <c>IOptionsMonitor&lt;ModelSelectionOptions&gt;.Get(key)</c>, validated on start and rebuilt when those options change.
    /// Calling it again with the same key adds nothing more; other keys and <see cref="AddModelSelection(IServiceCollection)"/> coexist.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space (the unnamed options belong to <see cref="AddModelSelection(IServiceCollection)"/>).</exception>
    public static IServiceCollection AddKeyedModelSelection(this IServiceCollection services, string key)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        services.AddOptions<ModelSelectionOptions>(key).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelSelectionOptions>, ModelSelectionOptionsValidator>());
        services.TryAddSingleton<ILocalDeviceProbe>(LocalDeviceProbe.Default);
        services.TryAddKeyedSingleton(key, (sp, _) => new OptionsSelectorFactory(
            sp.GetRequiredService<IOptionsMonitor<ModelSelectionOptions>>(),
            sp.GetRequiredService<ILocalDeviceProbe>(),
            sp.GetService<ILogger<ModelSelector>>() ?? NullLogger<ModelSelector>.Instance,
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            key));
        services.TryAddKeyedSingleton<IModelSelector>(key, (sp, _) => sp.GetRequiredKeyedService<OptionsSelectorFactory>(key).Selector);
        services.TryAddKeyedSingleton<IModelSelectionCatalogs>(key, (sp, _) => sp.GetRequiredKeyedService<OptionsSelectorFactory>(key).Selector);
        services.TryAddKeyedSingleton(key, (sp, _) => new Comparison.ModelComparer(sp.GetRequiredKeyedService<IModelSelector>(key), sp.GetRequiredKeyedService<IModelSelectionCatalogs>(key)));
        services.TryAddKeyedSingleton<ISelectionProfiles>(key, (sp, _) => new SelectionProfiles(sp.GetRequiredService<IOptionsMonitor<ModelSelectionOptions>>(), key));
        return services;
    }

    /// <summary>Adds a selector under <paramref name="key"/>, its options of that name configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="key">The service key and options name: not blank.</param>
    /// <param name="configure">Configures the options of <paramref name="key"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>As <see cref="AddKeyedModelSelection(IServiceCollection, string)"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    public static IServiceCollection AddKeyedModelSelection(this IServiceCollection services, string key, Action<ModelSelectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddKeyedModelSelection(key);
        services.Configure(key, configure);
        return services;
    }

    /// <summary>Adds a selector under <paramref name="key"/>, its options of that name bound to a configuration section (reloads apply).</summary>
    /// <param name="services">The services.</param>
    /// <param name="key">The service key and options name: not blank.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("ModelSelection:Edge")</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>As <see cref="AddKeyedModelSelection(IServiceCollection, string)"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    public static IServiceCollection AddKeyedModelSelection(this IServiceCollection services, string key, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddKeyedModelSelection(key);
        services.Configure<ModelSelectionOptions>(key, configuration);
        return services;
    }
}
