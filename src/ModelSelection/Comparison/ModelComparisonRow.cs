namespace ModelSelection.Comparison;

/// <summary>
/// One model on the five dimensions: performance (a comparable score), size (parameters and bytes), training time
/// (a fine-tuning job here, pre-training as published), computational requirements (FLOPs, memory, latency per
/// device) and use cases (the tiers where it runs in real time). A figure that is unknown is <see langword="null"/>
/// and its note says why.
/// </summary>
/// <param name="ModelId">The model id.</param>
/// <param name="Family">The family.</param>
/// <param name="SizeClass">Small or large by the configured threshold.</param>
/// <param name="Task">The task it is compared on: the requested one, or its own first when it does not serve that.</param>
/// <param name="Parameters">Exact parameter count.</param>
/// <param name="WeightBytes">Weight bytes at the compared precision.</param>
/// <param name="Benchmark">The benchmark the score is on (the task's default), or <see langword="null"/>.</param>
/// <param name="Score">The published score with the precision's quality delta, or <see langword="null"/>.</param>
/// <param name="ScoreNote">Where the score comes from, or why there is none.</param>
/// <param name="ForwardFlops">FLOPs of one request's forward pass.</param>
/// <param name="FineTuningSeconds">Time of the fine-tuning job on the fine-tuning device, or <see langword="null"/>.</param>
/// <param name="FineTuningNote">The job and device, or why it cannot run there.</param>
/// <param name="Pretraining">The pre-training its authors published, or <see langword="null"/> when none is recorded.</param>
/// <param name="PretrainingComputeFlops">6 × parameters × published tokens, or <see langword="null"/> without a published schedule.</param>
/// <param name="Devices">The figures on each device, in the request's order.</param>
/// <param name="RealTimeTiers">The tiers on which some compared device runs it within the budget: its derived use cases.</param>
public sealed record ModelComparisonRow(
    string ModelId,
    string Family,
    SizeClass SizeClass,
    ModelTask Task,
    long Parameters,
    long WeightBytes,
    string? Benchmark,
    double? Score,
    string ScoreNote,
    double ForwardFlops,
    double? FineTuningSeconds,
    string FineTuningNote,
    PublishedPretraining? Pretraining,
    double? PretrainingComputeFlops,
    IReadOnlyList<DeviceFigures> Devices,
    IReadOnlyList<Devices.DeviceTier> RealTimeTiers);
