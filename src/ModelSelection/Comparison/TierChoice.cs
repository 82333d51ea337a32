using ModelSelection.Devices;

namespace ModelSelection.Comparison;

/// <summary>What the selector chooses on one device for the compared task within the budget, ranked by quality.</summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="Tier">Its tier.</param>
/// <param name="ModelId">The chosen model, or <see langword="null"/> when none fits the budget.</param>
/// <param name="SizeClass">The chosen model's size class, or <see langword="null"/>.</param>
/// <param name="Explanation">The selector's explanation: what was chosen, why, and what bound the choice.</param>
public sealed record TierChoice(string DeviceId, DeviceTier Tier, string? ModelId, SizeClass? SizeClass, string Explanation);
