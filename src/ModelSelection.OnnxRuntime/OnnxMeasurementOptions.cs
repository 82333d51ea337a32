using Microsoft.ML.OnnxRuntime;
using ModelSelection.OnnxRuntime.Internal;

namespace ModelSelection.OnnxRuntime;

/// <summary>
/// How <see cref="OnnxRuntimeMeasurer"/> measures each shape: untimed warm-up runs, then timed runs until both
/// <see cref="MinimumRepeats"/> and <see cref="MinimumDuration"/> are reached or <see cref="MaximumRepeats"/> is; the
/// ONNX Runtime session's threads and graph optimisation; and whether memory is measured.
/// </summary>
/// <remarks>
/// Each property is checked when set; that <see cref="MaximumRepeats"/> is at least <see cref="MinimumRepeats"/> is
/// checked when a measurement starts, as an object initializer may set them in either order. Immutable and
/// thread-safe.
/// </remarks>
public sealed record OnnxMeasurementOptions
{
    /// <summary>The longest <see cref="MinimumDuration"/>: one hour.</summary>
    public static readonly TimeSpan MaxMinimumDuration = TimeSpan.FromHours(1);

    /// <summary>Gets the options every default stands for.</summary>
    public static OnnxMeasurementOptions Default { get; } = new();

    /// <summary>Gets the untimed runs before timing starts (the first run of a session allocates its buffers and, for some operators, picks kernels): 0 to 1,000.</summary>
    /// <value>The default value is 2.</value>
    public int Warmup { get => field; init => field = Guard.InRange(value, 0, 1000, "Warmup"); } = 2;

    /// <summary>Gets the fewest timed runs: 1 to 100,000.</summary>
    /// <value>The default value is 5.</value>
    public int MinimumRepeats { get => field; init => field = Guard.InRange(value, 1, 100_000, "MinimumRepeats"); } = 5;

    /// <summary>Gets the most timed runs, which ends timing even when <see cref="MinimumDuration"/> is not reached: 1 to 1,000,000, and at least <see cref="MinimumRepeats"/>.</summary>
    /// <value>The default value is 200.</value>
    public int MaximumRepeats { get => field; init => field = Guard.InRange(value, 1, 1_000_000, "MaximumRepeats"); } = 200;

    /// <summary>Gets the shortest total time of the timed runs (timing goes on until it is reached, up to <see cref="MaximumRepeats"/>): zero to <see cref="MaxMinimumDuration"/>.</summary>
    /// <value>The default value is one second.</value>
    public TimeSpan MinimumDuration
    {
        get => field;
        init => field = value >= TimeSpan.Zero && value <= MaxMinimumDuration
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumDuration), value, $"MinimumDuration must be between 00:00:00 and {MaxMinimumDuration}; was {value}.");
    } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the threads ONNX Runtime uses within an operator (<c>SessionOptions.IntraOpNumThreads</c>): 1 to 1,024, or <see langword="null"/> for ONNX Runtime's default (one per physical core).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? IntraOpThreads
    {
        get => field;
        init => field = value is null ? null : Guard.InRange(value.Value, 1, 1024, "IntraOpThreads");
    }

    /// <summary>Gets the graph optimisations ONNX Runtime applies when it creates each session.</summary>
    /// <value>The default value is <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</value>
    public GraphOptimizationLevel GraphOptimizationLevel
    {
        get => field;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(GraphOptimizationLevel), value, $"GraphOptimizationLevel must be one of {string.Join(", ", Enum.GetNames<GraphOptimizationLevel>())}; was {(int)value}.");
    } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Gets whether each point's resident-set growth is measured (<c>MeasuredPoint.MemoryBytes</c>); when <see langword="false"/> it is <see langword="null"/> and no collection, trimming or sampling is done.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool MeasureMemory { get; init; } = true;

    /// <summary>Checks the rule that relates two properties.</summary>
    /// <exception cref="ArgumentException"><see cref="MaximumRepeats"/> is less than <see cref="MinimumRepeats"/>.</exception>
    internal void Validate(string paramName)
    {
        if (MaximumRepeats < MinimumRepeats)
        {
            throw new ArgumentException(Guard.Invariant($"MaximumRepeats must be at least MinimumRepeats; was {MaximumRepeats} and {MinimumRepeats}."), paramName);
        }
    }
}
