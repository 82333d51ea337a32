using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Internal;
using ModelSelection.Models;

namespace ModelSelection.Planning;

/// <summary>
/// Which candidate can we fine-tune on our data and hardware, within our time and money? The candidates, the data set
/// and epochs, the device(s), the training setup (optimizer, LoRA/QLoRA, recomputation, ZeRO) and the limits.
/// </summary>
/// <remarks>Every property validates itself when set. Immutable and thread-safe.</remarks>
public sealed record FineTuningRequest
{
    private readonly double _epochs = 1;
    private readonly int _deviceCount = 1;
    private readonly double _utilization = 0.4;
    private readonly double? _maxHours;
    private readonly decimal? _maxCostUsd;

    /// <summary>Gets catalog ids of the candidates.</summary>
    public IReadOnlyList<string> CandidateIds { get; init; } = [];

    /// <summary>Gets candidates given directly.</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = [];

    /// <summary>Gets the training data (unique tokens).</summary>
    public required DatasetSize Dataset { get; init; }

    /// <summary>Gets the passes over the data, greater than 0 (fractions allowed).</summary>
    public double Epochs { get => _epochs; init => _epochs = Guard.InRange(value, 1e-6, 1e6, "Epochs"); }

    /// <summary>Gets the device.</summary>
    public required DeviceProfile Device { get; init; }

    /// <summary>Gets the identical devices in data parallel, 1 to 100,000.</summary>
    public int DeviceCount { get => _deviceCount; init => _deviceCount = (int)Guard.InRange(value, 1, 100_000, "Device count"); }

    /// <summary>Gets the model-FLOPs utilisation of the 16-bit peak, in (0, 1].</summary>
    /// <value>The default value is 0.4.</value>
    public double Utilization { get => _utilization; init => _utilization = Guard.Utilization(value); }

    /// <summary>
    /// Gets the training framework whose fitted model FLOPs utilisation (per device class) and communication model time
    /// the run (<see cref="ModelEstimator.EstimateTrainingStep"/>); <see langword="null"/> for the flat
    /// <see cref="Utilization"/> of the device's peak.
    /// </summary>
    public Runtimes.RuntimeProfile? Runtime { get; init; }

    /// <summary>Gets the training step setup (micro-batch, sequence length = tokens per example, optimizer, LoRA, recomputation, ZeRO); <see cref="TrainingWorkload.DataParallel"/> is set from <see cref="DeviceCount"/>.</summary>
    public TrainingWorkload Training { get; init; } = new();

    /// <summary>Gets the wall-clock limit in hours.</summary>
    public double? MaxHours { get => _maxHours; init => _maxHours = value is { } h ? Guard.FinitePositive(h, "Max hours") : null; }

    /// <summary>Gets the money limit in US dollars, 0 or more.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public decimal? MaxCostUsd
    {
        get => _maxCostUsd;
        init => _maxCostUsd = value < 0
            ? throw new ArgumentOutOfRangeException(nameof(MaxCostUsd), value, $"Max cost in USD must be 0 or more; was {value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.")
            : value;
    }

    /// <summary>Gets the benchmark to rank by (quality objective); without one, the fastest fine-tuning ranks first.</summary>
    public string? Benchmark { get; init; }

    /// <summary>Gets the objective.</summary>
    public SelectionObjective Objective { get; init; } = SelectionObjective.Quality;
}
