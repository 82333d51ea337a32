using ModelSelection.Devices;

namespace ModelSelection.Comparison;

/// <summary>One model on one device: whether it fits, its latency for one request, and whether it meets the real-time budget.</summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="Tier">The device's tier.</param>
/// <param name="Runtime">The inference engine assumed (the device's default), or <see langword="null"/>.</param>
/// <param name="MemoryBytes">Memory for one request on the device.</param>
/// <param name="LatencySeconds">Latency of one request, or <see langword="null"/> when it cannot be estimated (<paramref name="Note"/> says why).</param>
/// <param name="Fits">Whether the model fits the device's usable memory.</param>
/// <param name="MeetsBudget">Whether it fits and its latency is within the budget: a real-time use on this tier.</param>
/// <param name="Note">Why it does not meet the budget (the selector's reasons), or an empty string.</param>
public sealed record DeviceFigures(string DeviceId, DeviceTier Tier, string? Runtime, long MemoryBytes, double? LatencySeconds, bool Fits, bool MeetsBudget, string Note);
