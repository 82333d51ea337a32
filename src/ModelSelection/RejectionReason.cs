namespace ModelSelection;

/// <summary>One violated constraint: its code, a sentence with both numbers, the required value and the limit.</summary>
/// <param name="Code">The machine-readable code.</param>
/// <param name="Message">A sentence stating what the candidate needs and what is allowed, e.g. "needs 13.9 GiB, the device has 7.2 GiB usable".</param>
/// <param name="Required">What the candidate needs (bytes, seconds, score…), or <see langword="null"/> when unknown.</param>
/// <param name="Limit">What the constraint allows, or <see langword="null"/> when it is not a number.</param>
public sealed record RejectionReason(RejectionCode Code, string Message, double? Required, double? Limit);
