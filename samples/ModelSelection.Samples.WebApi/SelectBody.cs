namespace ModelSelection.Samples.WebApi;

/// <summary>The body of <c>POST /select</c>: a profile name and/or explicit fields (explicit fields override the profile).</summary>
public sealed record SelectBody(
    string? Profile = null,
    string[]? Devices = null,
    string[]? Candidates = null,
    string[]? Precisions = null,
    string? Task = null,
    string? Benchmark = null,
    double? MinQuality = null,
    double? MaxLatencyMs = null,
    double? MaxTimePerOutputTokenMs = null,
    int? Batch = null,
    int? InputTokens = null,
    int? GeneratedTokens = null,
    string? Objective = null,
    bool? BestEffort = null,
    string[]? Runtimes = null);
