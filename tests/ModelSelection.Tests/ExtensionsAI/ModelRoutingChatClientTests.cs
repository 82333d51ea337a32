extern alias chat;

using System.Collections.Concurrent;
using System.Diagnostics;
using chat::ModelSelection.Samples.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelSelection.Extensions.AI;

namespace ModelSelection.Tests.ExtensionsAI;

/// <summary>
/// The chat router through real HTTP on loopback with the real client libraries (OllamaSharp, OpenAI). The routes:
/// local Phi-3-mini q4_k_m on an RTX 4090 (≈0.5 s for 128 tokens, 4k context), remote Llama-3.1-70B fp8 on an H200
/// (≈2.8 s for 128 tokens, 128k context, priced). Under the default objective (quality) the remote 70B ranks first
/// whenever it is feasible.
/// </summary>
public sealed class ModelRoutingChatClientTests
{
    private const string ShortPrompt = "Name the capital of France.";

    private static readonly string LongPrompt = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog while the committee reviews the quarterly budget. ", 250));

    [Fact]
    public async Task GetResponseAsync_loose_limits_forwards_to_the_selectors_choice()
    {
        await using var h = await RouterHarness.StartAsync();
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128));

        var report = response.GetRoutingReport()!;
        Assert.Equal("remote", report.ServedBy);
        Assert.Equal("remote", report.Selection.Ranked.First(c => (c.Device.Id, c.Model.Id) is ("local", "microsoft/Phi-3-mini-4k-instruct") or ("remote", "meta-llama/Llama-3.1-70B")).Device.Id);
        Assert.Equal("remote", response.AdditionalProperties![ModelRouterPropertyNames.Route]);
        Assert.StartsWith($"[remote] {RouterHarness.RemoteModelId} read {ShortPrompt.Length} characters", response.Text, StringComparison.Ordinal);
        Assert.Equal((1, 0), (h.Remote.ChatCalls, h.Local.ChatCalls));
        Assert.Equal([RouteOutcome.Served, RouteOutcome.NotTried], report.Routes.Select(r => r.Outcome));
    }

    [Fact]
    public async Task GetResponseAsync_tight_latency_routes_to_the_fast_local_route_and_says_why_remote_was_skipped()
    {
        await using var h = await RouterHarness.StartAsync();
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(256, (ModelRouterPropertyNames.MaxLatency, TimeSpan.FromSeconds(2))));

        var report = response.GetRoutingReport()!;
        Assert.Equal("local", report.ServedBy);
        Assert.StartsWith($"[local] {RouterHarness.LocalModelId} read", response.Text, StringComparison.Ordinal);
        var remote = Assert.Single(report.Skipped);
        Assert.Equal(("remote", RouteOutcome.Infeasible), (remote.Route, remote.Outcome));
        Assert.Contains("the limit is 2 s", remote.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 1), (h.Remote.ChatCalls, h.Local.ChatCalls));
    }

    [Fact]
    public async Task GetResponseAsync_prompt_longer_than_the_local_context_routes_remote_even_when_local_would_rank_first()
    {
        await using var h = await RouterHarness.StartAsync(o => o.Objective = SelectionObjective.Latency);
        var response = await h.Chat.GetResponseAsync(LongPrompt, RouterHarness.Options(256));

        var report = response.GetRoutingReport()!;
        Assert.Equal("remote", report.ServedBy);
        Assert.Contains("microsoft/Phi-3-mini-4k-instruct serves 4096", report.Routes.Single(r => r.Route == "local").Reason, StringComparison.Ordinal);
        Assert.Equal(PromptTokenCounterEstimate(LongPrompt, 1), report.PromptTokens);
    }

    [Fact]
    public async Task GetResponseAsync_cost_limit_skips_the_priced_route_and_reports_the_formula()
    {
        await using var h = await RouterHarness.StartAsync(o => o.MaxCostUsd = 0.00005m);
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128));

        var report = response.GetRoutingReport()!;
        Assert.Equal("local", report.ServedBy);
        var remote = report.Routes.Single(r => r.Route == "remote");
        Assert.Equal(RouteOutcome.OverBudget, remote.Outcome);
        Assert.Equal("14 prompt tokens × $0.60/M + 128 output tokens × $0.80/M = $0.000111, over the limit $0.00005", remote.Reason);
    }

    [Fact]
    public async Task GetResponseAsync_server_error_falls_back_to_the_next_ranked_route_and_reports_it()
    {
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = LoopbackFailure.ServerError;
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128));

        var report = response.GetRoutingReport()!;
        Assert.Equal("local", report.ServedBy);
        var failed = report.Routes[0];
        Assert.Equal(("remote", RouteOutcome.Failed), (failed.Route, failed.Outcome));
        Assert.Contains("HTTP 500", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("next ranked after 1 failed route", report.Routes[1].Reason, StringComparison.Ordinal);
        Assert.Equal((1, 1), (h.Remote.ChatCalls, h.Local.ChatCalls));
    }

    [Fact]
    public async Task GetResponseAsync_slow_route_times_out_and_falls_back()
    {
        await using var h = await RouterHarness.StartAsync(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));
        h.Remote.Failure = LoopbackFailure.Slow;
        var stopwatch = Stopwatch.StartNew();
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128));

        var report = response.GetRoutingReport()!;
        Assert.Equal("local", report.ServedBy);
        Assert.Equal(RouteOutcome.TimedOut, report.Routes[0].Outcome);
        Assert.Equal("no answer within 0.3 s", report.Routes[0].Reason);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task GetResponseAsync_context_length_refusal_is_classified_and_falls_back()
    {
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = LoopbackFailure.ContextLengthExceeded;
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128));

        var report = response.GetRoutingReport()!;
        Assert.Equal("local", report.ServedBy);
        Assert.Equal(RouteOutcome.ContextLengthExceeded, report.Routes[0].Outcome);
        Assert.Contains("context_length_exceeded", report.Routes[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_every_route_failing_throws_ModelRoutingException_with_each_reason()
    {
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = LoopbackFailure.ServerError;
        h.Local.Failure = LoopbackFailure.ServerError;

        var exception = await Assert.ThrowsAsync<ModelRoutingException>(() => h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128)));
        Assert.Null(exception.Report!.ServedBy);
        Assert.Equal([("remote", RouteOutcome.Failed), ("local", RouteOutcome.Failed)], exception.Report.Routes.Select(r => (r.Route, r.Outcome)));
        Assert.StartsWith("No route could serve the request: remote: Failed — ClientResultException: HTTP 500", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(exception.InnerException);
    }

    [Fact]
    public async Task GetResponseAsync_nothing_feasible_throws_without_calling_any_route()
    {
        await using var h = await RouterHarness.StartAsync();
        var exception = await Assert.ThrowsAsync<ModelRoutingException>(() => h.Chat.GetResponseAsync(LongPrompt, RouterHarness.Options(256, (ModelRouterPropertyNames.MaxLatency, "00:00:02"))));

        Assert.All(exception.Report!.Routes, r => Assert.Equal(RouteOutcome.Infeasible, r.Outcome));
        Assert.Equal((0, 0), (h.Remote.ChatCalls, h.Local.ChatCalls));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_routes_like_GetResponseAsync_and_the_first_update_carries_the_report()
    {
        await using var h = await RouterHarness.StartAsync();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in h.Chat.GetStreamingResponseAsync(ShortPrompt, RouterHarness.Options(128)))
        {
            updates.Add(update);
        }

        Assert.Equal("remote", updates[0].GetRoutingReport()!.ServedBy);
        Assert.StartsWith($"[remote] {RouterHarness.RemoteModelId} read {ShortPrompt.Length} characters.", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.True(updates.Count > 3, $"{updates.Count} updates");

        var local = new List<ChatResponseUpdate>();
        await foreach (var update in h.Chat.GetStreamingResponseAsync(ShortPrompt, RouterHarness.Options(256, (ModelRouterPropertyNames.MaxLatency, 2.0))))
        {
            local.Add(update);
        }

        Assert.Equal("local", local[0].GetRoutingReport()!.ServedBy);
        Assert.StartsWith($"[local] {RouterHarness.LocalModelId} read", string.Concat(local.Select(u => u.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_failure_before_the_first_update_falls_back()
    {
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = LoopbackFailure.ServerError;
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in h.Chat.GetStreamingResponseAsync(ShortPrompt, RouterHarness.Options(128)))
        {
            updates.Add(update);
        }

        var report = updates[0].GetRoutingReport()!;
        Assert.Equal("local", report.ServedBy);
        Assert.Equal(RouteOutcome.Failed, report.Routes.Single(r => r.Route == "remote").Outcome);
        Assert.StartsWith("[local]", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_flows_through_and_stops_without_fallback()
    {
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = LoopbackFailure.Slow;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128), cancellation.Token));
        Assert.Equal((1, 0), (h.Remote.ChatCalls, h.Local.ChatCalls));

        using var streaming = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in h.Chat.GetStreamingResponseAsync(ShortPrompt, RouterHarness.Options(128), streaming.Token))
            {
                Assert.Fail($"no update expected; got '{update.Text}'");
            }
        });
        Assert.Equal(0, h.Local.ChatCalls);
    }

    [Fact]
    public async Task Concurrent_requests_from_many_threads_neither_throw_nor_mix_routes()
    {
        await using var h = await RouterHarness.StartAsync();
        var chat = h.Chat;
        var results = new ConcurrentBag<(bool Tight, string Served, string Text)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 64), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            var tight = i % 2 == 0;
            var options = tight ? RouterHarness.Options(256, (ModelRouterPropertyNames.MaxLatency, TimeSpan.FromSeconds(2))) : RouterHarness.Options(128);
            var prompt = $"request {i}: {ShortPrompt}";
            var response = await chat.GetResponseAsync(prompt, options, token);
            results.Add((tight, response.GetRoutingReport()!.ServedBy!, response.Text));
        });

        Assert.Equal(64, results.Count);
        Assert.All(results, r =>
        {
            var expected = r.Tight ? "local" : "remote";
            Assert.Equal(expected, r.Served);
            Assert.StartsWith($"[{expected}] {(r.Tight ? RouterHarness.LocalModelId : RouterHarness.RemoteModelId)} read", r.Text, StringComparison.Ordinal);
        });
        Assert.Equal((32, 32), (h.Local.ChatCalls, h.Remote.ChatCalls));
    }

    [Fact]
    public async Task Request_property_of_the_wrong_type_is_an_ArgumentException_naming_the_key_and_value()
    {
        await using var h = await RouterHarness.StartAsync();
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128, (ModelRouterPropertyNames.MaxLatency, "soon"))));
        Assert.Equal("Request property 'modelselection.max_latency' must be a duration in the invariant 'c' format (00:00:01.5), a TimeSpan or a number of seconds; was 'soon' (String).", exception.Message);
    }

    [Fact]
    public async Task Metrics_on_the_apps_meter_factory_count_the_fallback_and_the_serving_route_in_seconds_and_tokens()
    {
        await using var h = await RouterHarness.StartAsync(services: c => c.AddMetrics());
        var factory = h.Provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ModelSelection" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(System.Diagnostics.Metrics.Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            measurements.Enqueue((instrument.Name, instrument.Unit, value, copy));
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        h.Remote.Failure = LoopbackFailure.ServerError;
        var response = await h.Chat.GetResponseAsync(ShortPrompt, RouterHarness.Options(128));
        Assert.Equal("local", response.GetRoutingReport()!.ServedBy);

        var fallback = Assert.Single(measurements, m => m.Instrument == "modelselection.routing.fallbacks");
        Assert.Equal((1d, "remote", "failed", "chat"), (fallback.Value, fallback.Tags["modelselection.route"], fallback.Tags["outcome"], fallback.Tags["gen_ai.operation.name"]));
        var served = Assert.Single(measurements, m => m.Instrument == "modelselection.routing.requests");
        Assert.Equal((1d, "local", "served"), (served.Value, served.Tags["modelselection.route"], served.Tags["outcome"]));
        var duration = Assert.Single(measurements, m => m.Instrument == "gen_ai.client.operation.duration");
        Assert.Equal("s", duration.Unit);
        Assert.InRange(duration.Value, 1e-6, 30);
        Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.token.usage" && (string?)m.Tags["gen_ai.token.type"] == "input" && m.Value > 0);
    }

    [Fact]
    public async Task Span_carries_the_gen_ai_attributes_of_the_route_that_served()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "ModelSelection",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = LoopbackFailure.ServerError;
        var marker = Guid.NewGuid().ToString("N");
        await h.Chat.GetResponseAsync($"{marker} {ShortPrompt}", RouterHarness.Options(128));

        var span = activities.Single(a => a.OperationName == "chat modelselection" && a.GetTagItem("modelselection.route") is "local" && a.Events.Any());
        Assert.Equal($"chat {RouterHarness.LocalModelId}", span.DisplayName);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(RouterHarness.LocalModelId, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("ollama", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(128, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(new[] { "remote: failed" }, span.GetTagItem("modelselection.routes.skipped"));
        Assert.Equal("modelselection.route.failed", Assert.Single(span.Events).Name);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
    }

    [Fact]
    public async Task Options_validation_names_every_bad_field()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Router:MaxLatency"] = "fast",
            ["Router:DefaultMaxOutputTokens"] = "0",
            ["Router:Task"] = "poetry",
            ["Router:Routes:0:Name"] = "local",
            ["Router:Routes:0:Model"] = "microsoft/Phi-3-mini",
            ["Router:Routes:0:Device"] = "nvidia-rtx-9090",
            ["Router:Routes:1:Name"] = "LOCAL",
            ["Router:Routes:1:Model"] = "gpt2",
            ["Router:Routes:1:InputPricePerMillionTokensUsd"] = "-1",
            ["Router:Routes:1:Timeout"] = "00:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddModelRoutingChatClient(configuration.GetSection("Router"));
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Equal(
            "Router 'ModelSelection.Chat': MaxLatency must be a duration (00:00:01.5); was 'fast'.; "
            + "Router 'ModelSelection.Chat': DefaultMaxOutputTokens must be between 1 and 10000000; was 0.; "
            + "Router 'ModelSelection.Chat': Task must be one of embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling; was 'poetry'.; "
            + "Router 'ModelSelection.Chat': Routes[0].Model: unknown model 'microsoft/Phi-3-mini'; add it to ModelSelectionOptions.Models or set ModelSpec.; "
            + "Router 'ModelSelection.Chat': Routes[0].Device: unknown device 'nvidia-rtx-9090'.; "
            + "Router 'ModelSelection.Chat': Routes[1].Name must be unique among the routes (case-insensitive); 'LOCAL' is used twice.; "
            + "Router 'ModelSelection.Chat': Routes[1].Device must name a catalog device or 'local'; was ''.; "
            + "Router 'ModelSelection.Chat': Routes[1].InputPricePerMillionTokensUsd must be 0 or more; was -1.; "
            + "Router 'ModelSelection.Chat': Routes[1].Timeout must be a positive duration; was 00:00:00.",
            exception.Message);
    }

    [Fact]
    public async Task Options_bound_from_configuration_route_and_reload()
    {
        await using var local = await LoopbackModelServer.StartAsync("local");
        await using var remote = await LoopbackModelServer.StartAsync("remote");
        var source = new Dictionary<string, string?>
        {
            ["Router:Routes:0:Name"] = "local",
            ["Router:Routes:0:Model"] = "microsoft/Phi-3-mini-4k-instruct",
            ["Router:Routes:0:Precision"] = "q4_k_m",
            ["Router:Routes:0:Device"] = "nvidia-rtx-4090",
            ["Router:Routes:0:ModelId"] = "phi3:mini",
            ["Router:Routes:1:Name"] = "remote",
            ["Router:Routes:1:Model"] = "meta-llama/Llama-3.1-70B",
            ["Router:Routes:1:Precision"] = "fp8",
            ["Router:Routes:1:Device"] = "nvidia-h200-sxm-141gb",
            ["Router:Routes:1:ModelId"] = "llama",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(source).Build();
        var services = new ServiceCollection();
        services.AddKeyedChatClient("local", new OllamaSharp.OllamaApiClient(local.BaseAddress, "phi3:mini"));
        services.AddKeyedChatClient("remote", new OllamaSharp.OllamaApiClient(remote.BaseAddress, "llama"));
        services.AddModelRoutingChatClient(configuration.GetSection("Router"));
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();

        Assert.Equal("remote", (await chat.GetResponseAsync(ShortPrompt)).GetRoutingReport()!.ServedBy);

        configuration["Router:Objective"] = "Latency";
        configuration.Reload();
        Assert.Equal("local", (await chat.GetResponseAsync(ShortPrompt)).GetRoutingReport()!.ServedBy);
    }

    /// <summary>The estimate the router uses for non-GPT-2 models: ⌈characters / 4⌉ plus 4 per message and 3 for the reply.</summary>
    private static int PromptTokenCounterEstimate(string text, int messages) => ((text.Length + 3) / 4) + (4 * messages) + 3;
}
