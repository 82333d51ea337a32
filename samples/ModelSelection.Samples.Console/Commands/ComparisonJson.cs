using ModelSelection.Comparison;
using ModelSelection.Devices;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>The JSON of <c>modelselect compare --json</c> (docs/contract/compare.schema.json): every dimension a value with its unit in its name, or null beside a note that says why.</summary>
internal static class ComparisonJson
{
    public static object Document(ComparisonResult result, string? plot) => new
    {
        task = ModelTasks.ToName(result.Request.Task),
        precision = result.Request.Precision.Name,
        sequenceLength = result.Request.SequenceLength,
        latencyBudgetSeconds = result.Request.LatencyBudget.TotalSeconds,
        fineTuningJob = result.FineTuningJob,
        plot,
        rows = result.Rows.Select(r => new
        {
            model = r.ModelId,
            family = r.Family,
            sizeClass = r.SizeClass.ToString().ToLowerInvariant(),
            task = ModelTasks.ToName(r.Task),
            performance = new { benchmark = r.Benchmark, score = r.Score, note = r.ScoreNote },
            size = new { parameters = r.Parameters, weightBytes = r.WeightBytes, precision = result.Request.Precision.Name },
            trainingTime = new
            {
                fineTuningSeconds = r.FineTuningSeconds,
                fineTuningNote = r.FineTuningNote,
                pretraining = r.Pretraining is { } p ? new
                {
                    hardware = p.Hardware,
                    days = p.Days,
                    steps = p.Steps,
                    batchSequences = p.BatchSequences,
                    sequenceLength = p.SequenceLength,
                    tokens = p.Tokens,
                    computeFlops = r.PretrainingComputeFlops,
                    missing = p.Missing,
                    source = p.Source,
                } : null,
                pretrainingNote = r.Pretraining is null ? $"no published pre-training is recorded for {r.ModelId}" : PretrainingNote(r.Pretraining),
            },
            compute = new
            {
                forwardFlops = r.ForwardFlops,
                devices = r.Devices.Select(d => new
                {
                    device = d.DeviceId,
                    tier = DeviceTiers.ToName(d.Tier),
                    runtime = d.Runtime,
                    memoryBytes = d.MemoryBytes,
                    latencySeconds = d.LatencySeconds,
                    fits = d.Fits,
                    meetsBudget = d.MeetsBudget,
                    note = d.Note,
                }).ToArray(),
            },
            useCases = new
            {
                realTimeTiers = r.RealTimeTiers.Select(DeviceTiers.ToName).ToArray(),
                note = r.RealTimeTiers.Count == 0 ? "meets the budget on none of the compared devices" : $"fits and answers within {result.Request.LatencyBudget.TotalMilliseconds:0.###} ms on these tiers",
            },
        }).ToArray(),
        choices = result.Choices.Select(c => new
        {
            device = c.DeviceId,
            tier = DeviceTiers.ToName(c.Tier),
            model = c.ModelId,
            sizeClass = c.SizeClass?.ToString().ToLowerInvariant(),
            explanation = c.Explanation,
        }).ToArray(),
    };

    private static string PretrainingNote(PublishedPretraining p) => p.Missing is { } missing ? $"as published; {missing}" : "as published";
}
