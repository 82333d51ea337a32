using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;

namespace ModelSelection;

/// <summary>One model at one precision on one device (or several in tensor parallel), with all its estimates.</summary>
/// <param name="Model">The model.</param>
/// <param name="Precision">The weight precision or quantisation format.</param>
/// <param name="Device">The device.</param>
/// <param name="DeviceCount">Devices in tensor parallel.</param>
/// <param name="SizeClass">Small or large by the configured threshold.</param>
/// <param name="Quality">The score used for the quality floor and objective, or <see langword="null"/> when the model has none on the benchmark.</param>
/// <param name="QualityAssumption">How <paramref name="Quality"/> was obtained (published score kept, or a delta applied).</param>
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
    /// <summary>Gets a readable key: <c>model @ precision on device×count</c>.</summary>
    public string Key => $"{Model.Id} @ {Precision.Name} on {Device.Id}{(DeviceCount > 1 ? $"×{DeviceCount}" : string.Empty)}";
}
