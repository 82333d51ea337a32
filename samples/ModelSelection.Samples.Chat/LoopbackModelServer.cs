using System.Globalization;
using System.Text;

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelSelection.Samples.Chat;

/// <summary>
/// A stand-in model server on loopback (<c>http://127.0.0.1:&lt;free port&gt;</c>), Kestrel in this process: it
/// speaks just enough of the OpenAI API (<c>POST /v1/chat/completions</c>, with <c>stream: true</c> as server-sent
/// events; <c>POST /v1/embeddings</c>) and of the Ollama API (<c>POST /api/chat</c>, streaming NDJSON by default;
/// <c>POST /api/embed</c>) for the real client libraries (Microsoft.Extensions.AI.OpenAI, OllamaSharp) to work
/// against it. It runs no model: a reply names the server and the model it was asked for and counts the prompt's
/// characters; an embedding is 8 numbers derived from the text. It counts its calls and fails on demand
/// (<see cref="Failure"/>). Thread-safe.
/// </summary>
public sealed class LoopbackModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _chatCalls;
    private int _embeddingCalls;

    private LoopbackModelServer(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    /// <summary>Gets the server's name, which every reply starts with (<c>[name]</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the server's address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the chat requests received (failed ones included).</summary>
    public int ChatCalls => Volatile.Read(ref _chatCalls);

    /// <summary>Gets the embedding requests received (failed ones included).</summary>
    public int EmbeddingCalls => Volatile.Read(ref _embeddingCalls);

    /// <summary>Gets or sets how the server fails.</summary>
    public LoopbackFailure Failure { get; set; }

    /// <summary>Gets or sets how long a <see cref="LoopbackFailure.Slow"/> server waits.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="name">The name replies start with.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<LoopbackModelServer> StartAsync(string name, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackModelServer(name, app);
        app.MapPost("/v1/chat/completions", server.OpenAiChatAsync);
        app.MapPost("/v1/embeddings", server.OpenAiEmbeddingsAsync);
        app.MapPost("/api/chat", server.OllamaChatAsync);
        app.MapPost("/api/embed", server.OllamaEmbedAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Reply(string name, string model, int characters) =>
        $"[{name}] {model} read {characters.ToString(CultureInfo.InvariantCulture)} characters.";

    private static float[] Vector(string text)
    {
        var vector = new float[8];
        for (var i = 0; i < text.Length; i++)
        {
            vector[i % 8] += text[i] / 1000f;
        }

        return vector;
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? string.Empty)),
        _ => string.Empty,
    };

    private static IEnumerable<string> Inputs(JsonNode? input) => input switch
    {
        JsonArray array => array.Select(i => i?.GetValue<string>() ?? string.Empty),
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };

    /// <summary>Fails as configured; returns <see langword="true"/> when the request was answered with a failure.</summary>
    private async Task<bool> FailAsync(HttpContext context, bool openAi)
    {
        switch (Failure)
        {
            case LoopbackFailure.ServerError:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsJsonAsync(openAi
                    ? new JsonObject { ["error"] = new JsonObject { ["message"] = $"{Name} is failing on demand.", ["type"] = "server_error", ["code"] = "server_error" } }
                    : new JsonObject { ["error"] = $"{Name} is failing on demand." }, context.RequestAborted).ConfigureAwait(false);
                return true;
            case LoopbackFailure.Slow:
                await Task.Delay(Delay, context.RequestAborted).ConfigureAwait(false);
                return false;
            case LoopbackFailure.ContextLengthExceeded:
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(openAi
                    ? new JsonObject { ["error"] = new JsonObject { ["message"] = "This model's maximum context length is 4096 tokens. However, your messages resulted in more tokens. Please reduce the length of the messages.", ["type"] = "invalid_request_error", ["param"] = "messages", ["code"] = "context_length_exceeded" } }
                    : new JsonObject { ["error"] = "the input length exceeds the context length" }, context.RequestAborted).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private async Task OpenAiChatAsync(HttpContext context)
    {
        Interlocked.Increment(ref _chatCalls);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (await FailAsync(context, openAi: true).ConfigureAwait(false))
        {
            return;
        }

        var model = body?["model"]?.GetValue<string>() ?? "unknown";
        var characters = body?["messages"]?.AsArray().Sum(m => Text(m?["content"]).Length) ?? 0;
        var reply = Reply(Name, model, characters);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var usage = new JsonObject { ["prompt_tokens"] = (characters + 3) / 4, ["completion_tokens"] = reply.Split(' ').Length, ["total_tokens"] = ((characters + 3) / 4) + reply.Split(' ').Length };
        if (body?["stream"]?.GetValue<bool>() == true)
        {
            context.Response.ContentType = "text/event-stream";
            var words = reply.Split(' ');
            for (var i = 0; i < words.Length; i++)
            {
                var chunk = new JsonObject
                {
                    ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["delta"] = i == 0 ? new JsonObject { ["role"] = "assistant", ["content"] = words[i] } : new JsonObject { ["content"] = " " + words[i] },
                        ["finish_reason"] = i == words.Length - 1 ? "stop" : null,
                    }),
                };
                await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }

            var last = new JsonObject { ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model, ["choices"] = new JsonArray(), ["usage"] = usage };
            await context.Response.WriteAsync($"data: {last.ToJsonString()}\n\ndata: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply }, ["finish_reason"] = "stop" }),
            ["usage"] = usage,
        }, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task OpenAiEmbeddingsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _embeddingCalls);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (await FailAsync(context, openAi: true).ConfigureAwait(false))
        {
            return;
        }

        var base64 = body?["encoding_format"]?.GetValue<string>() == "base64";
        var inputs = Inputs(body?["input"]).ToList();
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Vector(inputs[i]);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray([.. vector.Select(v => (JsonNode?)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var tokens = inputs.Sum(s => (s.Length + 3) / 4);
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = body?["model"]?.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task OllamaChatAsync(HttpContext context)
    {
        Interlocked.Increment(ref _chatCalls);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (await FailAsync(context, openAi: false).ConfigureAwait(false))
        {
            return;
        }

        var model = body?["model"]?.GetValue<string>() ?? "unknown";
        var characters = body?["messages"]?.AsArray().Sum(m => Text(m?["content"]).Length) ?? 0;
        var reply = Reply(Name, model, characters);
        var created = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var words = reply.Split(' ');
        var done = new JsonObject
        {
            ["model"] = model, ["created_at"] = created, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Empty },
            ["done"] = true, ["done_reason"] = "stop", ["prompt_eval_count"] = (characters + 3) / 4, ["eval_count"] = words.Length,
        };
        if (body?["stream"] is not JsonValue stream || stream.GetValue<bool>())
        {
            context.Response.ContentType = "application/x-ndjson";
            for (var i = 0; i < words.Length; i++)
            {
                var line = new JsonObject { ["model"] = model, ["created_at"] = created, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = (i == 0 ? string.Empty : " ") + words[i] }, ["done"] = false };
                await context.Response.WriteAsync(line.ToJsonString() + "\n", Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }

            await context.Response.WriteAsync(done.ToJsonString() + "\n", Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        done["message"]!["content"] = reply;
        await context.Response.WriteAsJsonAsync(done, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task OllamaEmbedAsync(HttpContext context)
    {
        Interlocked.Increment(ref _embeddingCalls);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (await FailAsync(context, openAi: false).ConfigureAwait(false))
        {
            return;
        }

        var inputs = Inputs(body?["input"]).ToList();
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["model"] = body?["model"]?.GetValue<string>(),
            ["embeddings"] = new JsonArray([.. inputs.Select(s => (JsonNode?)new JsonArray([.. Vector(s).Select(v => (JsonNode?)JsonValue.Create(v))]))]),
            ["prompt_eval_count"] = inputs.Sum(s => (s.Length + 3) / 4),
        }, context.RequestAborted).ConfigureAwait(false);
    }

}
