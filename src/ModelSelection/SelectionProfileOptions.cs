using System.Globalization;
using ModelSelection.Estimation;

namespace ModelSelection;

/// <summary>
/// A named selection profile (e.g. <c>"edge"</c>, <c>"cloud"</c>) bound from configuration: its devices, candidates,
/// precisions, workload, constraints and objective. <see cref="ISelectionProfiles"/> turns it into a <see cref="SelectionRequest"/>.
/// </summary>
public sealed class SelectionProfileOptions
{
    /// <summary>Gets the device ids to choose among (<c>local</c> for this machine).</summary>
    public IList<string> Devices { get; } = [];

    /// <summary>Gets the candidate model ids; empty for the whole catalog.</summary>
    public IList<string> Candidates { get; } = [];

    /// <summary>Gets the weight precisions to try, e.g. <c>fp16</c>, <c>int8</c>, <c>q4_k_m</c>; empty for fp16.</summary>
    public IList<string> Precisions { get; } = [];

    /// <summary>Gets or sets the objective; unset for the options' default.</summary>
    public SelectionObjective? Objective { get; set; }

    /// <summary>Gets or sets the task (<c>classification</c>, <c>text-generation</c>, …; see <see cref="ModelTasks"/>); unset derives it from the generated tokens.</summary>
    public string? Task { get; set; }

    /// <summary>Gets or sets the benchmark for quality (a registered id); unset for the options' default, else the task's default.</summary>
    public string? Benchmark { get; set; }

    /// <summary>Gets or sets the quality floor on the benchmark.</summary>
    public double? MinQuality { get; set; }

    /// <summary>Gets or sets the end-to-end latency limit, e.g. <c>"00:00:00.050"</c> in configuration.</summary>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>Gets or sets the time-to-first-token limit.</summary>
    public TimeSpan? MaxTimeToFirstToken { get; set; }

    /// <summary>Gets or sets the per-output-token limit.</summary>
    public TimeSpan? MaxTimePerOutputToken { get; set; }

    /// <summary>Gets or sets the end-to-end latency limit in milliseconds: the former spelling of <see cref="MaxLatency"/>.</summary>
    [Obsolete("Use MaxLatency, a TimeSpan (\"00:00:00.050\" in configuration). The milliseconds spelling will be removed before 1.0.")]
    public double? MaxLatencyMs { get; set; }

    /// <summary>Gets or sets the time-to-first-token limit in milliseconds: the former spelling of <see cref="MaxTimeToFirstToken"/>.</summary>
    [Obsolete("Use MaxTimeToFirstToken, a TimeSpan. The milliseconds spelling will be removed before 1.0.")]
    public double? MaxTimeToFirstTokenMs { get; set; }

    /// <summary>Gets or sets the per-output-token limit in milliseconds: the former spelling of <see cref="MaxTimePerOutputToken"/>.</summary>
    [Obsolete("Use MaxTimePerOutputToken, a TimeSpan. The milliseconds spelling will be removed before 1.0.")]
    public double? MaxTimePerOutputTokenMs { get; set; }

    /// <summary>Gets or sets a memory cap per device, e.g. <c>"4 GiB"</c>.</summary>
    public string? MaxMemory { get; set; }

    /// <summary>Gets or sets the throughput floor per second.</summary>
    public double? MinThroughputPerSecond { get; set; }

    /// <summary>Gets or sets the cost limit per request in US dollars.</summary>
    public decimal? MaxCostUsd { get; set; }

    /// <summary>Gets or sets the energy limit per request in joules.</summary>
    public double? MaxEnergyJoules { get; set; }

    /// <summary>Gets or sets the most devices in tensor parallel.</summary>
    public int? MaxDeviceCount { get; set; }

    /// <summary>Gets or sets the batch size.</summary>
    public int? Batch { get; set; }

    /// <summary>Gets or sets the input tokens per sequence.</summary>
    public int? InputTokens { get; set; }

    /// <summary>Gets or sets the generated tokens.</summary>
    public int? GeneratedTokens { get; set; }

    /// <summary>Gets or sets whether to return the nearest candidate when nothing fits.</summary>
    public bool BestEffort { get; set; }

    /// <summary>Builds the request this profile describes, over the options' defaults.</summary>
    /// <param name="defaults">The options whose defaults fill unset fields.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="defaults"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is invalid; the message names it.</exception>
    /// <exception cref="FormatException">A precision or memory size cannot be read.</exception>
    public SelectionRequest ToRequest(ModelSelectionOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var workload = new InferenceWorkload();
        workload = Batch is { } b ? workload with { Batch = b } : workload;
        workload = InputTokens is { } s ? workload with { InputTokens = s } : workload;
        workload = GeneratedTokens is { } g ? workload with { GeneratedTokens = g } : workload;
        var constraints = new SelectionConstraints
        {
            QualityBenchmark = Benchmark ?? defaults.DefaultBenchmark,
            MinQuality = MinQuality,
#pragma warning disable CS0618 // the former milliseconds spellings still bind until they are removed
            MaxLatency = Duration(MaxLatency, MaxLatencyMs, nameof(MaxLatency), nameof(MaxLatencyMs)),
            MaxTimeToFirstToken = Duration(MaxTimeToFirstToken, MaxTimeToFirstTokenMs, nameof(MaxTimeToFirstToken), nameof(MaxTimeToFirstTokenMs)),
            MaxTimePerOutputToken = Duration(MaxTimePerOutputToken, MaxTimePerOutputTokenMs, nameof(MaxTimePerOutputToken), nameof(MaxTimePerOutputTokenMs)),
#pragma warning restore CS0618
            MaxMemoryBytes = MaxMemory is null ? null : UnitConversions.ToBytes(UnitsNet.Information.Parse(MaxMemory, CultureInfo.InvariantCulture)),
            MemoryHeadroomFraction = defaults.MemoryHeadroomFraction,
            MinThroughputPerSecond = MinThroughputPerSecond,
            MaxCostUsd = MaxCostUsd,
            MaxEnergyJoules = MaxEnergyJoules,
            MaxDeviceCount = MaxDeviceCount ?? 1,
        };
        return new SelectionRequest
        {
            DeviceIds = [.. Devices],
            CandidateIds = [.. Candidates],
            Precisions = [.. Precisions.Select(p => NumericPrecision.Parse(p, CultureInfo.InvariantCulture))],
            Workload = workload,
            Constraints = constraints,
            Objective = Objective ?? defaults.DefaultObjective,
            Task = Task is { } task ? ModelTasks.Parse(task) : null,
            NoFit = BestEffort ? NoFitBehavior.BestEffort : NoFitBehavior.ReturnNone,
        };
    }

    private static TimeSpan? Duration(TimeSpan? value, double? milliseconds, string name, string formerName)
    {
        if (milliseconds is not { } ms)
        {
            return value;
        }

        if (value is not null)
        {
            throw new ArgumentException($"Set {name} or its former spelling {formerName}, not both; they were {value.Value.ToString("c", CultureInfo.InvariantCulture)} and {ms.ToString(CultureInfo.InvariantCulture)} ms.", formerName);
        }

        return double.IsFinite(ms) && ms > 0 && ms < TimeSpan.MaxValue.TotalMilliseconds
            ? TimeSpan.FromMilliseconds(ms)
            : throw new ArgumentOutOfRangeException(formerName, ms, $"{formerName} must be a finite number of milliseconds greater than 0; was {ms.ToString(CultureInfo.InvariantCulture)}.");
    }
}
