extern alias chat;

using Microsoft.Extensions.AI;
using ModelSelection.Extensions.AI;

namespace ModelSelection.Tests.ExtensionsAI;

/// <summary>The embedding router through real HTTP on loopback: Ollama's /api/embed locally, OpenAI's /v1/embeddings remotely.</summary>
public sealed class ModelRoutingEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_routes_to_the_selectors_choice_and_reports_it()
    {
        await using var h = await RouterHarness.StartAsync();
        var embeddings = await h.Embeddings.GenerateAsync(["first text", "a second, longer text"]);

        var report = embeddings.GetRoutingReport()!;
        // The selector ranks every model on every route's device; the router serves the best-ranked pair that is a route.
        var best = report.Selection.Ranked.First(c => (c.Device.Id, c.Model.Id) is ("local", "BAAI/bge-small-en-v1.5") or ("remote", "BAAI/bge-base-en-v1.5"));
        Assert.Equal(("remote", "remote"), (best.Device.Id, report.ServedBy));
        Assert.Equal(2, embeddings.Count);
        Assert.Equal(8, embeddings[0].Vector.Length);
        Assert.Equal((1, 0), (h.Remote.EmbeddingCalls, h.Local.EmbeddingCalls));
    }

    [Fact]
    public async Task GenerateAsync_falls_back_when_the_chosen_route_fails()
    {
        await using var h = await RouterHarness.StartAsync();
        h.Remote.Failure = chat::ModelSelection.Samples.Chat.LoopbackFailure.ServerError;
        var embeddings = await h.Embeddings.GenerateAsync(["text to embed"]);
        var report = embeddings.GetRoutingReport()!;
        Assert.Equal([("remote", RouteOutcome.Failed), ("local", RouteOutcome.Served)], report.Routes.Select(r => (r.Route, r.Outcome)));
        Assert.Single(embeddings);
    }
}
