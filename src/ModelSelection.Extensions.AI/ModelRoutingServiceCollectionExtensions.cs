using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelSelection.Extensions.AI.Internal;

namespace ModelSelection.Extensions.AI;

/// <summary>
/// Registers the routers in the Microsoft.Extensions.AI style: each <c>Add…</c> registers the selector
/// (<c>AddModelSelection</c>, if not already), the router's options (validated on start, reloadable) and the router as
/// the app's <see cref="IChatClient"/> (or embedding generator), and returns the pipeline builder so the app can add
/// <c>UseLogging()</c>, <c>UseOpenTelemetry()</c>, caching and the rest in front of it.
/// </summary>
public static class ModelRoutingServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="ModelRoutingChatClient"/> as the app's <see cref="IChatClient"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds the routes and sets the constraints.</param>
    /// <returns>The chat pipeline's builder, whose inner client is the router.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddModelRoutingChatClient(this IServiceCollection services, Action<ModelRouterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddRouterOptions(services, ModelRouterDefaults.ChatOptionsName).Configure(configure);
        return services.AddChatClient(sp => new ModelRoutingChatClient(sp, ModelRouterDefaults.ChatOptionsName));
    }

    /// <summary>Registers a <see cref="ModelRoutingChatClient"/> whose options are bound from configuration (and
    /// reloaded with it).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind, e.g. <c>configuration.GetSection("ModelRouting:Chat")</c>.</param>
    /// <returns>The chat pipeline's builder, whose inner client is the router.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddModelRoutingChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        BindRouterOptions(services, ModelRouterDefaults.ChatOptionsName, configuration);
        return services.AddChatClient(sp => new ModelRoutingChatClient(sp, ModelRouterDefaults.ChatOptionsName));
    }

    /// <summary>Registers a <see cref="ModelRoutingChatClient"/> as the keyed <see cref="IChatClient"/> <paramref name="serviceKey"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key of the router (and the name of its options).</param>
    /// <param name="configure">Adds the routes and sets the constraints.</param>
    /// <returns>The keyed chat pipeline's builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="serviceKey"/> is empty or white space.</exception>
    public static ChatClientBuilder AddKeyedModelRoutingChatClient(this IServiceCollection services, string serviceKey, Action<ModelRouterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        var name = $"{ModelRouterDefaults.ChatOptionsName}.{serviceKey}";
        AddRouterOptions(services, name).Configure(configure);
        return services.AddKeyedChatClient(serviceKey, sp => new ModelRoutingChatClient(sp, name));
    }

    /// <summary>Registers a <see cref="ModelRoutingEmbeddingGenerator"/> as the app's embedding generator.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds the routes and sets the constraints.</param>
    /// <returns>The embedding pipeline's builder, whose inner generator is the router.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddModelRoutingEmbeddingGenerator(this IServiceCollection services, Action<ModelRouterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddRouterOptions(services, ModelRouterDefaults.EmbeddingOptionsName).Configure(configure);
        return services.AddEmbeddingGenerator<string, Embedding<float>>(sp => new ModelRoutingEmbeddingGenerator(sp, ModelRouterDefaults.EmbeddingOptionsName));
    }

    /// <summary>Registers a <see cref="ModelRoutingEmbeddingGenerator"/> whose options are bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The embedding pipeline's builder, whose inner generator is the router.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddModelRoutingEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        BindRouterOptions(services, ModelRouterDefaults.EmbeddingOptionsName, configuration);
        return services.AddEmbeddingGenerator<string, Embedding<float>>(sp => new ModelRoutingEmbeddingGenerator(sp, ModelRouterDefaults.EmbeddingOptionsName));
    }

    private static void BindRouterOptions(IServiceCollection services, string name, IConfiguration configuration)
    {
        AddRouterOptions(services, name).Configure(options => ModelRouterOptionsBinder.Bind(configuration, options));
        services.AddSingleton<IOptionsChangeTokenSource<ModelRouterOptions>>(new ConfigurationChangeTokenSource<ModelRouterOptions>(name, configuration));
    }

    private static OptionsBuilder<ModelRouterOptions> AddRouterOptions(IServiceCollection services, string name)
    {
        services.AddModelSelection();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelRouterOptions>, ModelRouterOptionsValidator>(sp => new ModelRouterOptionsValidator(sp)));
        return services.AddOptions<ModelRouterOptions>(name).ValidateOnStart();
    }
}
