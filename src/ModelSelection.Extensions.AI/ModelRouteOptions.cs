using Microsoft.Extensions.AI;
using ModelSelection.Models;

namespace ModelSelection.Extensions.AI;

/// <summary>
/// One route: a client (an <see cref="IChatClient"/> or an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>)
/// bound to a model, a device and optionally a runtime, precision and per-token price. Bindable from configuration
/// (every property but <see cref="ChatClient"/>, <see cref="EmbeddingGenerator"/> and <see cref="ModelSpec"/>).
/// </summary>
/// <remarks>
/// The router gives every route its own device profile, named after the route (<see cref="Name"/>), so two routes on
/// the same catalog device stay two candidates. A remote endpoint is modelled as the catalog device that serves it (a
/// datacenter GPU) plus its price per token. Not thread-safe to mutate; the router reads a snapshot.
/// </remarks>
public sealed class ModelRouteOptions
{
    /// <summary>The route's name, unique among the router's routes (ordinal, case-insensitive): it names the route in
    /// responses, logs and telemetry, and is the default <see cref="ServiceKey"/>.</summary>
    /// <value>The default value is the empty string, which validation refuses.</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>The model the route serves: a catalog id (a Hugging Face id such as
    /// <c>microsoft/Phi-3-mini-4k-instruct</c>, or a model added through <c>ModelSelectionOptions.Models</c>).
    /// Ignored when <see cref="ModelSpec"/> is set.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Model { get; set; }

    /// <summary>An imported model (for example from a safetensors header or a GGUF file) served by the route; it takes
    /// precedence over <see cref="Model"/>. Not bindable from configuration.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ModelSpec? ModelSpec { get; set; }

    /// <summary>The device that runs the model: a catalog id (<c>nvidia-rtx-4090</c>, <c>nvidia-h100-sxm-80gb</c>) or
    /// <c>local</c> (this machine, probed once).</summary>
    /// <value>The default value is the empty string, which validation refuses.</value>
    public string Device { get; set; } = string.Empty;

    /// <summary>The inference runtime id (<c>llama.cpp</c>, <c>vllm</c>, …). Either every route names one or none
    /// does (then the catalog's default runtime per device is used).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Runtime { get; set; }

    /// <summary>The weight format the route serves (<c>fp16</c>, <c>q4_k_m</c>, …); <see langword="null"/> accepts
    /// the best format the selector tries.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Precision { get; set; }

    /// <summary>The key under which the route's client is registered as a keyed service
    /// (<c>AddKeyedChatClient</c>, <c>AddKeyedEmbeddingGenerator</c>); <see langword="null"/> means <see cref="Name"/>.
    /// Used only when <see cref="ChatClient"/> (or <see cref="EmbeddingGenerator"/>) is not given.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ServiceKey { get; set; }

    /// <summary>The chat client that serves the route, given directly. Not bindable from configuration.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IChatClient? ChatClient { get; set; }

    /// <summary>The embedding generator that serves the route, given directly. Not bindable from configuration.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; set; }

    /// <summary>The model id the router writes into <see cref="ChatOptions.ModelId"/> (or
    /// <see cref="EmbeddingGenerationOptions.ModelId"/>) for this route: the name the endpoint knows the model by
    /// (<c>phi3:mini</c> for Ollama); <see langword="null"/> means the catalog id.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelId { get; set; }

    /// <summary>The endpoint's address, for telemetry (<c>server.address</c>, <c>server.port</c>) and logs; an
    /// absolute URI.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Endpoint { get; set; }

    /// <summary>The provider name for telemetry (<c>gen_ai.provider.name</c>): <c>openai</c>, <c>ollama</c>, ….</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Provider { get; set; }

    /// <summary>The price of one million prompt tokens on this route, in US dollars, 0 or more; a route without
    /// prices (a local one) costs nothing per token.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public decimal? InputPricePerMillionTokensUsd { get; set; }

    /// <summary>The price of one million generated tokens on this route, in US dollars, 0 or more.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public decimal? OutputPricePerMillionTokensUsd { get; set; }

    /// <summary>How long one attempt on this route may take before the router gives up on it and tries the next
    /// ranked route (for streaming: until the first update); <see langword="null"/> means
    /// <see cref="ModelRouterOptions.AttemptTimeout"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? Timeout { get; set; }
}
