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
    public IModelSelectionPolicy? Policy { get; init; }

    /// <summary>Gets what to return when nothing satisfies the constraints.</summary>
    public NoFitBehavior NoFit { get; init; } = NoFitBehavior.ReturnNone;

    /// <summary>
    /// Gets quality deltas per weight format name (e.g. <c>q4_k_m</c> → −1.5): added to the published score of a
    /// candidate at that format. Without one, a quantised candidate keeps its published score, and the result says so.
    /// </summary>
    public IReadOnlyDictionary<string, double> QualityDeltas { get; init; } = new Dictionary<string, double>();
}
