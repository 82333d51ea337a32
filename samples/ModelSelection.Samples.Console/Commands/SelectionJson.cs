namespace ModelSelection.Samples.Console.Commands;

/// <summary>The JSON of selection results (docs/contract/select.schema.json), shared by <c>select</c> and <c>plan --fine-tune</c>.</summary>
internal static class SelectionJson
{
    /// <summary>The result as <c>select --json</c> writes it.</summary>
    public static object Result(SelectionResult result) => Result(result, Candidate);

    /// <summary>The result with each candidate written by <paramref name="candidate"/> (e.g. with training fields).</summary>
    public static object Result(SelectionResult result, Func<SelectionCandidate, Dictionary<string, object?>> candidate) => new
    {
        choice = result.Choice is { } choice ? candidate(choice) : null,
        bestEffort = result.BestEffort,
        choiceViolations = result.ChoiceViolations.Select(Reason).ToArray(),
        objective = result.Objective.ToString().ToLowerInvariant(),
        task = result.Task is { } task ? ModelTasks.ToName(task) : null,
        benchmark = result.Benchmark,
        rankedBy = RankedByName(result.RankedBy),
        bindingConstraint = result.BindingConstraint?.ToString(),
        explanation = result.Explanation,
        ranked = result.Ranked.Select(candidate).ToArray(),
        rejected = result.Rejected.Select(r => Rejected(r, candidate)).ToArray(),
    };

    public static Dictionary<string, object?> Candidate(SelectionCandidate c)
    {
        var p = c.Performance;
        return new Dictionary<string, object?>
        {
            ["model"] = c.Model.Id,
            ["precision"] = c.Precision.Name,
            ["device"] = c.Device.Id,
            ["deviceCount"] = c.DeviceCount,
            ["layout"] = c.DeviceCount > 1 ? Estimation.DeviceLayouts.ToName(c.Layout) : null,
            ["runtime"] = c.Runtime?.Id,
            ["sizeClass"] = c.SizeClass == SizeClass.Small ? "small" : "large",
            ["quality"] = c.Quality,
            ["publishedQuality"] = c.PublishedQuality,
            ["qualityAssumption"] = c.QualityAssumption,
            ["qualityDeltaSource"] = c.QualityDeltaSource,
            ["contextLength"] = c.Model.ContextLength,
            ["estimate"] = new
            {
                parameters = c.Model.Parameters.Count,
                memory = new { weightsBytes = c.Memory.WeightsBytes, kvCacheBytes = c.Memory.KvCacheBytes, activationsBytes = c.Memory.ActivationsBytes, overheadBytes = c.Memory.OverheadBytes, totalBytes = c.Memory.TotalBytes },
                flops = new { forward = c.Flops.Forward.Flops, perGeneratedToken = c.Flops.PerGeneratedToken?.Flops, total = c.Flops.Total.Flops },
                performance = p is { } perf ? new
                {
                    device = c.Device.Id,
                    fits = perf.Fits,
                    latencySeconds = perf.LatencySeconds,
                    timeToFirstTokenSeconds = perf.TimeToFirstTokenSeconds,
                    timePerOutputTokenSeconds = perf.TimePerOutputTokenSeconds,
                    bound = perf.Bound.ToString().ToLowerInvariant(),
                    computePrecision = perf.ComputePrecision.Name,
                    precisionFellBack = perf.PrecisionFellBack,
                    throughputPerSecond = perf.ThroughputPerSecond,
                    offload = perf.Offload is { } o ? EstimateCommand.OffloadJson(o) : null,
                    energyJoules = perf.EnergyJoules,
                    costUsd = perf.CostUsd,
                } : null,
            },
        };
    }

    private static Dictionary<string, object?> Rejected(RejectedCandidate r, Func<SelectionCandidate, Dictionary<string, object?>> candidate)
    {
        var json = candidate(r.Candidate);
        json["reasons"] = r.Reasons.Select(Reason).ToArray();
        return json;
    }

    /// <summary>The JSON name of a ranking basis: <c>score</c>, <c>parameter-proxy</c>, <c>latency</c>, <c>cost</c>, <c>energy</c>, <c>size</c>, <c>policy</c>, <c>tie-breaks</c>, <c>none</c>.</summary>
    public static string RankedByName(RankingBasis basis) => basis switch
    {
        RankingBasis.ParameterProxy => "parameter-proxy",
        RankingBasis.TieBreaks => "tie-breaks",
        _ => basis.ToString().ToLowerInvariant(),
    };

    private static object Reason(RejectionReason r) => new { code = r.Code.ToString(), message = r.Message, required = r.Required, limit = r.Limit };
}
