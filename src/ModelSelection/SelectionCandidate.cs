using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Runtimes;

namespace ModelSelection;

/// <summary>One model at one precision on one device (or several in tensor parallel), with all its estimates.</summary>
/// <param name="Model">The model.</param>
/// <param name="Precision">The weight precision or quantisation format.</param>
/// <param name="Device">The device.</param>
/// <param name="DeviceCount">Devices in tensor parallel.</param>
/// <param name="SizeClass">Small or large by the configured threshold.</param>
/// <param name="Quality">The score that ranks it and meets the floor: the published score with the format's quality delta applied; <see langword="null"/> when the model has no comparable score on the benchmark.</param>
/// <param name="QualityAssumption">How <paramref name="Quality"/> was obtained (which score, which delta), or why there is none.</param>
/// <param name="Memory">Memory per device.</param>
/// <param name="Flops">FLOPs of the request.</param>
/// <param name="Performance">Latency, throughput, energy and cost, or <see langword="null"/> when the device cannot compute the format.</param>
public sealed record SelectionCandidate(
    ModelSpec Model,
    NumericPrecision Precision,
    DeviceProfile Device,
    int DeviceCount,
    SizeClass SizeClass,
    double? Quality,
    string QualityAssumption,
    MemoryEstimate Memory,
    FlopEstimate Flops,
    PerformanceEstimate? Performance)
{
    /// <summary>Gets the published score before the format's quality delta, or <see langword="null"/> when none is used.</summary>
    public double? PublishedQuality { get; init; }

    /// <summary>Gets where the applied quality delta comes from (the built-in table's source or the caller's override), or <see langword="null"/> when no score is used.</summary>
    public string? QualityDeltaSource { get; init; }

    /// <summary>Gets the runtime (inference engine) the candidate runs on, or <see langword="null"/> when the catalog holds none for it (the plain roofline).</summary>
    public RuntimeProfile? Runtime { get; init; }

    /// <summary>Gets how the devices split the work when <see cref="DeviceCount"/> is more than 1.</summary>
    public DeviceLayout Layout { get; init; }

    /// <summary>Gets a readable key, unique within a selection: <c>model @ precision on device[×count layout] via runtime</c> (layout <c>tp</c>, <c>pp</c> or <c>replicas</c>), followed by <c>(48 of 80 layers on the GPU)</c> when the runtime offloads part of the model to host memory.</summary>
    public string Key => $"{Model.Id} @ {Precision.Name} on {Device.Id}{(DeviceCount > 1 ? $"×{DeviceCount} {LayoutShort(Layout)}" : string.Empty)}{(Runtime is { } r ? " via " + r.Id : string.Empty)}{(Performance?.Offload is { } o ? $" ({o})" : string.Empty)}";

    private static string LayoutShort(DeviceLayout layout) => layout switch
    {
        DeviceLayout.PipelineParallel => "pp",
        DeviceLayout.Replicas => "replicas",
        _ => "tp",
    };
}
