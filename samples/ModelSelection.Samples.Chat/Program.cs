// Routes a handful of chat requests between a small local model and a large remote one, offline.
//
// The two "model servers" are LoopbackModelServer instances: Kestrel on http://127.0.0.1:<free port> in this process,
// speaking just enough of the Ollama API (the local route) and of the OpenAI API (the remote route) for the real
// clients — OllamaSharp and Microsoft.Extensions.AI.OpenAI — to talk to them. They run no model: each reply names the
// server and the model it was asked for. What is real is the routing: ModelSelection estimates each route's latency
// and cost for every prompt, the router forwards to the best feasible route and falls back when one fails.
using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelSelection.Extensions.AI;
using ModelSelection.Samples.Chat;
using OllamaSharp;
using OpenAI;

await using var local = await LoopbackModelServer.StartAsync("local ollama");
await using var remote = await LoopbackModelServer.StartAsync("remote openai");
Console.WriteLine($"Loopback stand-ins (no model runs): local Ollama API at {local.BaseAddress}, remote OpenAI API at {remote.BaseAddress}");

var services = new ServiceCollection();
services.AddKeyedChatClient("local", new OllamaApiClient(local.BaseAddress, "phi3:mini"));
services.AddKeyedChatClient("remote", new OpenAIClient(new ApiKeyCredential("loopback"), new OpenAIClientOptions
    {
        Endpoint = new Uri(remote.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // the router falls back at once instead of the client retrying a 500
    })
    .GetChatClient("llama-3.1-70b").AsIChatClient());
services.AddModelRoutingChatClient(router =>
{
    router.AttemptTimeout = TimeSpan.FromSeconds(10);
    router.Routes.Add(new ModelRouteOptions
    {
        Name = "local", Model = "microsoft/Phi-3-mini-4k-instruct", Precision = "q4_k_m", Device = "nvidia-rtx-4090",
        ModelId = "phi3:mini", Provider = "ollama", Endpoint = local.BaseAddress.ToString(),
    });
    router.Routes.Add(new ModelRouteOptions
    {
        Name = "remote", Model = "meta-llama/Llama-3.1-70B", Precision = "fp8", Device = "nvidia-h200-sxm-141gb",
        ModelId = "llama-3.1-70b", Provider = "openai", Endpoint = remote.BaseAddress.ToString(),
        InputPricePerMillionTokensUsd = 0.60m, OutputPricePerMillionTokensUsd = 0.80m,
    });
});

await using var provider = services.BuildServiceProvider();
var chat = provider.GetRequiredService<IChatClient>();

var shortPrompt = "Name the capital of France.";
var longPrompt = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog while the committee reviews the quarterly budget. ", 250));

await AskAsync("1. short prompt, no latency limit (quality decides)", shortPrompt, new ChatOptions { MaxOutputTokens = 128 });
await AskAsync("2. short prompt, 2 s latency limit", shortPrompt, WithProperty(new ChatOptions { MaxOutputTokens = 256 }, ModelRouterPropertyNames.MaxLatency, TimeSpan.FromSeconds(2)));
await AskAsync("3. long prompt (~5,900 tokens), 10 s latency limit", longPrompt, WithProperty(new ChatOptions { MaxOutputTokens = 256 }, ModelRouterPropertyNames.MaxLatency, TimeSpan.FromSeconds(10)));
await AskAsync("4. long prompt, 2 s latency limit (no route can)", longPrompt, WithProperty(new ChatOptions { MaxOutputTokens = 256 }, ModelRouterPropertyNames.MaxLatency, TimeSpan.FromSeconds(2)));
await AskAsync("5. short prompt, cost limit $0.00005", shortPrompt, WithProperty(new ChatOptions { MaxOutputTokens = 128 }, ModelRouterPropertyNames.MaxCostUsd, 0.00005m));
remote.Failure = LoopbackFailure.ServerError;
await AskAsync("6. the remote server answers HTTP 500", shortPrompt, new ChatOptions { MaxOutputTokens = 128 });
remote.Failure = LoopbackFailure.None;

Console.Write("7. streaming, short prompt: ");
await foreach (var update in chat.GetStreamingResponseAsync(shortPrompt, new ChatOptions { MaxOutputTokens = 128 }))
{
    if (update.GetRoutingReport() is { } report)
    {
        Console.Write($"(served by {report.ServedBy}) ");
    }

    Console.Write(update.Text);
}

Console.WriteLine();
Console.WriteLine($"Calls: local {local.ChatCalls}, remote {remote.ChatCalls}.");
return 0;

async Task AskAsync(string title, string prompt, ChatOptions options)
{
    Console.WriteLine();
    Console.WriteLine(title);
    ModelRoutingReport report;
    try
    {
        var response = await chat.GetResponseAsync(prompt, options);
        report = response.GetRoutingReport()!;
        Console.WriteLine($"   reply: {response.Text}");
    }
    catch (ModelRoutingException exception) when (exception.Report is not null)
    {
        report = exception.Report;
        Console.WriteLine("   no route could serve (ModelRoutingException):");
    }

    foreach (var route in report.Routes)
    {
        Console.WriteLine($"   {route.Route,-7} {route.Outcome,-12} {route.Reason}");
    }
}

static ChatOptions WithProperty(ChatOptions options, string key, object value)
{
    (options.AdditionalProperties ??= [])[key] = value;
    return options;
}
