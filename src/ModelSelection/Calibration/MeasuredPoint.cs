using ModelSelection.Internal;

namespace ModelSelection.Calibration;

/// <summary>
/// One shape of a model measured on the machine the application runs on: the batch and sequence it ran at, the median
/// latency of repeated runs and their spread, and the process's resident-set growth while it ran. A measurement
/// package (ModelSelection.OnnxRuntime) produces these; <see cref="Calibrator.Calibrate(IEnumerable{MeasuredModel}, Devices.DeviceProfile, Runtimes.RuntimeProfile, LocalCalibrationOptions?)"/>
/// fits a device × runtime profile to them.
/// </summary>
public sealed record MeasuredPoint
{
    /// <summary>Gets the sequences per run (≥ 1).</summary>
    public required int Batch { get => field; init => field = (int)Guard.InRange(value, 1, 1_000_000, "The batch of a measured point"); }

    /// <summary>Gets the tokens per sequence (≥ 1).</summary>
    public required int SequenceLength { get => field; init => field = (int)Guard.InRange(value, 1, 10_000_000, "The sequence length of a measured point"); }

    /// <summary>Gets the median wall-clock time of one run (one forward pass over the batch), after warm-up.</summary>
    public required TimeSpan Latency { get => field; init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Latency), value, $"The latency of a measured point must be positive; it was {value}."); }

    /// <summary>Gets the fastest of the timed runs; <see langword="null"/> when not recorded.</summary>
    public TimeSpan? MinimumLatency { get; init; }

    /// <summary>Gets the slowest of the timed runs; <see langword="null"/> when not recorded.</summary>
    public TimeSpan? MaximumLatency { get; init; }

    /// <summary>Gets how many timed runs the median is over (≥ 1).</summary>
    public int Repeats { get => field; init => field = (int)Guard.InRange(value, 1, int.MaxValue, "The repeats of a measured point"); } = 1;

    /// <summary>
    /// Gets the process's resident-set growth while the model was loaded and run at this shape: the peak resident set
    /// (session creation and every run) minus the resident set before the session was created, in bytes;
    /// <see langword="null"/> when memory was not measured.
    /// </summary>
    public long? MemoryBytes { get => field; init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MemoryBytes), value, $"The memory growth of a measured point must be zero or more bytes; it was {value}."); }

    /// <summary>Gets how the point was measured (engine version, threads, what the memory figure includes); free text.</summary>
    public string? Detail { get; init; }
}
