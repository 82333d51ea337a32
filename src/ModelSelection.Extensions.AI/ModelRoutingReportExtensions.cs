using Microsoft.Extensions.AI;

namespace ModelSelection.Extensions.AI;

/// <summary>Reads the routing report the router attaches to responses, updates and embeddings.</summary>
public static class ModelRoutingReportExtensions
{
    /// <summary>The report of a routed chat response, or <see langword="null"/> when it was not routed.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public static ModelRoutingReport? GetRoutingReport(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.AdditionalProperties);
    }

    /// <summary>The report carried by a streaming update (the first of a routed stream), or <see langword="null"/>.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static ModelRoutingReport? GetRoutingReport(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Read(update.AdditionalProperties);
    }

    /// <summary>The report of routed embeddings, or <see langword="null"/>.</summary>
    /// <param name="embeddings">The embeddings.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="embeddings"/> is <see langword="null"/>.</exception>
    public static ModelRoutingReport? GetRoutingReport(this GeneratedEmbeddings<Embedding<float>> embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        return Read(embeddings.AdditionalProperties);
    }

    private static ModelRoutingReport? Read(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(ModelRouterPropertyNames.Report, out var value) ? value as ModelRoutingReport : null;
}
