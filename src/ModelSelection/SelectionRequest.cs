using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;

namespace ModelSelection;

/// <summary>
/// A selection question: which of these models, at which of these precisions, on which of these devices, for this
/// workload, under these constraints, best by this objective?
/// </summary>
/// <remarks>Immutable and thread-safe; derive variants with <c>with</c>.</remarks>
public sealed record SelectionRequest
{
    /// <summary>Gets catalog ids of candidate models; empty together with <see cref="Models"/> means the whole catalog.</summary>
    public IReadOnlyList<string> CandidateIds { get; init; } = [];

    /// <summary>Gets candidate models given directly (imported from configs or checkpoints).</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = [];

    /// <summary>Gets catalog ids of the devices to choose among (<c>local</c> probes this machine); empty with <see cref="Devices"/> empty is an error.</summary>
    public IReadOnlyList<string> DeviceIds { get; init; } = [];

    /// <summary>Gets devices given directly.</summary>
    public IReadOnlyList<DeviceProfile> Devices { get; init; } = [];

    /// <summary>Gets the workload; its weight precision is replaced by each of <see cref="Precisions"/>.</summary>
    public InferenceWorkload Workload { get; init; } = new();

    /// <summary>Gets the weight precisions and quantisation formats to try; empty means the workload's own.</summary>
    public IReadOnlyList<NumericPrecision> Precisions { get; init; } = [];

    /// <summary>Gets the hard constraints.</summary>
    public SelectionConstraints Constraints { get; init; } = new();

    /// <summary>Gets what to optimise.</summary>
    public SelectionObjective Objective { get; init; } = SelectionObjective.Quality;

    /// <summary>Gets a custom ranking that replaces <see cref="Objective"/>, or <see langword="null"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IModelSelectionPolicy? Policy { get; init; }

    /// <summary>Gets what to return when nothing satisfies the constraints.</summary>
    public NoFitBehavior NoFit { get; init; } = NoFitBehavior.ReturnNone;

    /// <summary>
    /// Gets the task; <see langword="null"/> derives it: generated tokens mean <see cref="ModelTask.TextGeneration"/>,
    /// none leaves the task open (no capability check and no default benchmark).
    /// </summary>
    public ModelTask? Task { get; init; }

    /// <summary>
    /// Gets whether scores measured on a related checkpoint (a task-distilled or instruct variant, see
    /// <see cref="Models.QualityScore.Checkpoint"/>) may stand for the candidate; the result says so for each one used.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseScoresOfRelatedCheckpoints { get; init; }

    /// <summary>
    /// Gets overrides of the built-in quality delta of a weight format (<see cref="Quality.FormatQualityDeltas"/>), in
    /// the benchmark's own units, added to the published score: keyed by a format name (<c>q4_k_m</c> → −1.5, for every
    /// model) or by <c>model-id@format</c> (<c>meta-llama/Llama-2-7b-hf@q4_k_m</c> → −0.8, for one model; it wins over the
    /// format's key). Without an override the built-in delta applies, so a quantised candidate never keeps its 16-bit score.
    /// </summary>
    public IReadOnlyDictionary<string, double> QualityDeltas { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Gets the runtimes (inference engines) a candidate may use, by id (<c>vllm</c>, <c>llama.cpp</c>, …); each is
    /// tried on every device. Empty for the catalog's default per device class and model kind (docs/runtimes.md):
    /// one runtime per model and device.
    /// </summary>
    public IReadOnlyList<string> RuntimeIds { get; init; } = [];

    /// <summary>
    /// Gets the multi-device layouts to consider when <see cref="SelectionConstraints.MaxDeviceCount"/> allows more
    /// than one device; empty for all three (tensor parallel, pipeline parallel, replicas).
    /// </summary>
    public IReadOnlyList<DeviceLayout> Layouts { get; init; } = [];

    /// <summary>Gets the task in force: <see cref="Task"/>, else text generation when tokens are generated, else <see langword="null"/>.</summary>
    public ModelTask? EffectiveTask => Task ?? (Workload.GeneratedTokens > 0 ? ModelTask.TextGeneration : null);
}
