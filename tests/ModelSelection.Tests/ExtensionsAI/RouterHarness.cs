extern alias chat;

using System.ClientModel;
using System.ClientModel.Primitives;
using chat::ModelSelection.Samples.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelSelection.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace ModelSelection.Tests.ExtensionsAI;

/// <summary>
/// Two loopback model servers (the chat sample's Kestrel stand-ins) behind the real clients — OllamaSharp for the
/// local route, Microsoft.Extensions.AI.OpenAI (no retries) for the remote one — and a router registered with
/// <c>AddModelRoutingChatClient</c> / <c>AddModelRoutingEmbeddingGenerator</c>. Local: Phi-3-mini q4_k_m on an
/// RTX 4090 (4k context); remote: Llama-3.1-70B fp8 on an H200, priced per token.
/// </summary>
internal sealed class RouterHarness : IAsyncDisposable
{
    public const string LocalModelId = "phi3:mini";
    public const string RemoteModelId = "llama-3.1-70b";

    private RouterHarness(LoopbackModelServer local, LoopbackModelServer remote, ServiceProvider provider)
    {
        Local = local;
        Remote = remote;
        Provider = provider;
    }

    public LoopbackModelServer Local { get; }

    public LoopbackModelServer Remote { get; }

    public ServiceProvider Provider { get; }

    public IChatClient Chat => Provider.GetRequiredService<IChatClient>();

    public IEmbeddingGenerator<string, Embedding<float>> Embeddings => Provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

    public static async Task<RouterHarness> StartAsync(Action<ModelRouterOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var local = await LoopbackModelServer.StartAsync("local");
        var remote = await LoopbackModelServer.StartAsync("remote");
        var collection = new ServiceCollection();
        var ollama = new OllamaApiClient(local.BaseAddress, LocalModelId);
        var openAi = new OpenAIClient(new ApiKeyCredential("loopback"), new OpenAIClientOptions { Endpoint = new Uri(remote.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) });
        collection.AddKeyedChatClient("local", ollama);
        collection.AddKeyedChatClient("remote", openAi.GetChatClient(RemoteModelId).AsIChatClient());
        collection.AddKeyedEmbeddingGenerator<string, Embedding<float>>("local", ollama);
        collection.AddKeyedEmbeddingGenerator("remote", openAi.GetEmbeddingClient("text-embedding").AsIEmbeddingGenerator());
        collection.AddModelRoutingChatClient(router =>
        {
            AddRoutes(router, local, remote);
            configure?.Invoke(router);
        });
        collection.AddModelRoutingEmbeddingGenerator(router =>
        {
            router.Routes.Add(new ModelRouteOptions { Name = "local", Model = "BAAI/bge-small-en-v1.5", Device = "nvidia-rtx-4090", ModelId = "bge-small", Provider = "ollama" });
            router.Routes.Add(new ModelRouteOptions { Name = "remote", Model = "BAAI/bge-base-en-v1.5", Device = "nvidia-h200-sxm-141gb", ModelId = "bge-base", Provider = "openai", InputPricePerMillionTokensUsd = 0.02m });
        });
        services?.Invoke(collection);
        return new RouterHarness(local, remote, collection.BuildServiceProvider());
    }

    public static void AddRoutes(ModelRouterOptions router, LoopbackModelServer local, LoopbackModelServer remote)
    {
        router.Routes.Add(new ModelRouteOptions
        {
            Name = "local", Model = "microsoft/Phi-3-mini-4k-instruct", Precision = "q4_k_m", Device = "nvidia-rtx-4090",
            ModelId = LocalModelId, Provider = "ollama", Endpoint = local.BaseAddress.ToString(),
        });
        router.Routes.Add(new ModelRouteOptions
        {
            Name = "remote", Model = "meta-llama/Llama-3.1-70B", Precision = "fp8", Device = "nvidia-h200-sxm-141gb",
            ModelId = RemoteModelId, Provider = "openai", Endpoint = remote.BaseAddress.ToString(),
            InputPricePerMillionTokensUsd = 0.60m, OutputPricePerMillionTokensUsd = 0.80m,
        });
    }

    public static ChatOptions Options(int maxOutputTokens, params (string Key, object Value)[] properties)
    {
        var options = new ChatOptions { MaxOutputTokens = maxOutputTokens };
        if (properties.Length > 0)
        {
            options.AdditionalProperties = [];
            foreach (var (key, value) in properties)
            {
                options.AdditionalProperties[key] = value;
            }
        }

        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Local.DisposeAsync();
        await Remote.DisposeAsync();
    }
}
