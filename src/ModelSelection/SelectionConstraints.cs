using System.Globalization;
using ModelSelection.Internal;

namespace ModelSelection;

/// <summary>The hard constraints a chosen candidate must satisfy; unset means unconstrained.</summary>
/// <remarks>Every property validates itself when set. Immutable and thread-safe.</remarks>
public sealed record SelectionConstraints
{
    private readonly long? _maxMemory;
    private readonly double _headroom;
    private readonly double? _maxLatency, _maxTtft, _maxTpot, _minThroughput, _maxEnergy;
    private readonly decimal? _maxCost;
    private readonly int _maxDevices = 1;

    /// <summary>Gets a cap on memory per device in bytes, below the device's usable memory.</summary>
    public long? MaxMemoryBytes { get => _maxMemory; init => _maxMemory = value is { } v ? Guard.InRange(v, 1, long.MaxValue, "Max memory in bytes") : null; }

    /// <summary>Gets the fraction of usable memory to keep free, in [0, 1).</summary>
    /// <value>The default value is 0.</value>
    public double MemoryHeadroomFraction { get => _headroom; init => _headroom = Guard.InRange(value, 0, 0.999, "Memory headroom fraction"); }

    /// <summary>Gets the end-to-end latency limit: one forward pass for encoders, prefill plus every generated token for decoders.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? MaxLatency { get => ToTime(_maxLatency); init => _maxLatency = Positive(value, nameof(MaxLatency)); }

    /// <summary>Gets the time-to-first-token limit (decoders).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? MaxTimeToFirstToken { get => ToTime(_maxTtft); init => _maxTtft = Positive(value, nameof(MaxTimeToFirstToken)); }

    /// <summary>Gets the per-output-token limit (decoders); it needs a workload that generates tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? MaxTimePerOutputToken { get => ToTime(_maxTpot); init => _maxTpot = Positive(value, nameof(MaxTimePerOutputToken)); }

    /// <summary>Gets the end-to-end latency limit in seconds: the former spelling of <see cref="MaxLatency"/>.</summary>
    [Obsolete("Use MaxLatency, a TimeSpan. The seconds spelling will be removed before 1.0.")]
    [System.Text.Json.Serialization.JsonIgnore]
    public double? MaxLatencySeconds { get => _maxLatency; init => _maxLatency = Positive(value, "Max latency in seconds"); }

    /// <summary>Gets the time-to-first-token limit in seconds: the former spelling of <see cref="MaxTimeToFirstToken"/>.</summary>
    [Obsolete("Use MaxTimeToFirstToken, a TimeSpan. The seconds spelling will be removed before 1.0.")]
    [System.Text.Json.Serialization.JsonIgnore]
    public double? MaxTimeToFirstTokenSeconds { get => _maxTtft; init => _maxTtft = Positive(value, "Max time to first token in seconds"); }

    /// <summary>Gets the per-output-token limit in seconds: the former spelling of <see cref="MaxTimePerOutputToken"/>.</summary>
    [Obsolete("Use MaxTimePerOutputToken, a TimeSpan. The seconds spelling will be removed before 1.0.")]
    [System.Text.Json.Serialization.JsonIgnore]
    public double? MaxTimePerOutputTokenSeconds { get => _maxTpot; init => _maxTpot = Positive(value, "Max time per output token in seconds"); }

    /// <summary>Gets the latency limit in seconds, exact (the selector compares estimates in seconds).</summary>
    internal double? LatencyLimitSeconds => _maxLatency;

    /// <summary>Gets the time-to-first-token limit in seconds.</summary>
    internal double? TimeToFirstTokenLimitSeconds => _maxTtft;

    /// <summary>Gets the per-output-token limit in seconds.</summary>
    internal double? TimePerOutputTokenLimitSeconds => _maxTpot;

    /// <summary>Gets the throughput floor (generated tokens per second, or sequences per second when nothing is generated).</summary>
    public double? MinThroughputPerSecond { get => _minThroughput; init => _minThroughput = Positive(value, "Min throughput per second"); }

    /// <summary>
    /// Gets the benchmark the quality floor and the quality objective refer to, e.g. <c>glue</c> or <c>mmlu-5shot</c>.
    /// Without one, the quality objective has no scores to compare and candidates rank by the tie-breaks (latency first).
    /// </summary>
    public string? QualityBenchmark { get; init; }

    /// <summary>Gets the lowest acceptable score on <see cref="QualityBenchmark"/>.</summary>
    public double? MinQuality { get; init; }

    /// <summary>Gets the cost limit per request in US dollars.</summary>
    public decimal? MaxCostUsd { get => _maxCost; init => _maxCost = value is { } v && v < 0 ? throw new ArgumentOutOfRangeException(nameof(MaxCostUsd), v, $"Max cost in USD must be 0 or more; was {v}.") : value; }

    /// <summary>Gets the energy limit per request in joules.</summary>
    public double? MaxEnergyJoules { get => _maxEnergy; init => _maxEnergy = Positive(value, "Max energy in joules"); }

    /// <summary>Gets the most devices a candidate may be split across (tensor parallelism), 1 to 64.</summary>
    /// <value>The default value is 1.</value>
    public int MaxDeviceCount { get => _maxDevices; init => _maxDevices = (int)Guard.InRange(value, 1, 64, "Max device count"); }

    private static double? Positive(double? value, string what) => value is { } v ? Guard.FinitePositive(v, what) : null;

    private static double? Positive(TimeSpan? value, string name) => value is not { } v
        ? null
        : v > TimeSpan.Zero
            ? v.TotalSeconds
            : throw new ArgumentOutOfRangeException(name, v, $"{name} must be a positive duration; was {v.ToString("c", CultureInfo.InvariantCulture)}.");

    private static TimeSpan? ToTime(double? seconds) => seconds is { } s
        ? s >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(s * TimeSpan.TicksPerSecond)))
        : null;
}
