namespace ModelSelection.Extensions.AI;

/// <summary>
/// How a request was routed: the route that served it, and every route with its outcome and reason in the order the
/// router considered them (ranked routes first, best first, then the infeasible and over-budget ones). Attached to
/// <c>ChatResponse.AdditionalProperties</c> (and the first streaming update, and the embeddings) under
/// <see cref="ModelRouterPropertyNames.Report"/>; read it with <c>GetRoutingReport()</c>.
/// </summary>
/// <param name="ServedBy">The route that served the request, or <see langword="null"/> when none did.</param>
/// <param name="Routes">Every route's decision.</param>
/// <param name="PromptTokens">The prompt tokens the selection assumed (the largest count over the routes' models).</param>
/// <param name="TokenCounting">How they were counted: <c>gpt2 tokenizer</c> when every route's model has the GPT-2
/// tokenizer, else <c>estimate (characters / 4)</c> for at least one model.</param>
/// <param name="Selection">The selector's whole result for the request.</param>
public sealed record ModelRoutingReport(
    string? ServedBy,
    IReadOnlyList<RouteDecision> Routes,
    int PromptTokens,
    string TokenCounting,
    SelectionResult Selection)
{
    /// <summary>Gets the routes that were skipped or failed before the one that served, with their reasons.</summary>
    public IEnumerable<RouteDecision> Skipped => Routes.Where(r => r.Outcome is not (RouteOutcome.Served or RouteOutcome.NotTried));

    /// <summary>Gets one line per route: <c>name: outcome — reason</c>.</summary>
    /// <returns>The routes, one a line.</returns>
    public override string ToString() =>
        $"served by {ServedBy ?? "no route"}; {PromptTokens} prompt tokens ({TokenCounting})" + string.Concat(Routes.Select(r => $"{Environment.NewLine}  {r.Route}: {r.Outcome} — {r.Reason}"));
}
