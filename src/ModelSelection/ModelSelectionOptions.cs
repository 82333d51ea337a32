using ModelSelection.Devices;

namespace ModelSelection;

/// <summary>
/// Configuration of the selector, bindable from <c>appsettings.json</c> (section <c>ModelSelection</c>): extra or
/// overriding models and devices, catalog switches, defaults, size-class thresholds, efficiency overrides and named
/// selection profiles. Validated as a whole; every problem is reported by name.
/// </summary>
public sealed class ModelSelectionOptions
{
    /// <summary>Gets or sets whether the built-in model catalog is included.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseBuiltInModels { get; set; } = true;

    /// <summary>Gets or sets whether the built-in device catalog is included.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseBuiltInDevices { get; set; } = true;

    /// <summary>Gets the models to add or re-score.</summary>
    public IList<ModelOptions> Models { get; } = [];

    /// <summary>Gets benchmarks of your own to add to the registry (<see cref="Quality.BenchmarkRegistry.BuiltIn"/>).</summary>
    public IList<BenchmarkOptions> Benchmarks { get; } = [];

    /// <summary>Gets the devices to add, or to override when the id is in the catalog (only the fields set change).</summary>
    public IList<DeviceProfileOptions> Devices { get; } = [];

    /// <summary>Gets or sets whether the built-in runtime catalog (<see cref="Runtimes.RuntimeCatalog.BuiltIn"/>) is included.</summary>
    public bool UseBuiltInRuntimes { get; set; } = true;

    /// <summary>Gets runtimes to add, or built-in runtimes to override by id (<c>ModelSelection:Runtimes:0:Id</c>), such as a profile calibrated on your own machine.</summary>
    public IList<Runtimes.RuntimeProfileOptions> Runtimes { get; } = [];

    /// <summary>Gets or sets the objective of requests that name none.</summary>
    /// <value>The default value is <see cref="SelectionObjective.Quality"/>.</value>
    public SelectionObjective DefaultObjective { get; set; } = SelectionObjective.Quality;

    /// <summary>Gets or sets the benchmark of profiles that name none (a registered id, <see cref="Quality.BenchmarkRegistry"/>); <see langword="null"/> leaves it to the task's fixed default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DefaultBenchmark { get; set; }

    /// <summary>Gets or sets the fraction of usable memory profiles keep free, in [0, 1).</summary>
    /// <value>The default value is 0.</value>
    public double MemoryHeadroomFraction { get; set; }

    /// <summary>Gets or sets the size-class threshold of encoders and encoder-decoders, e.g. <c>100M</c>.</summary>
    /// <value>The default value is <c>100M</c>.</value>
    public string SmallEncoderThreshold { get; set; } = "100M";

    /// <summary>Gets or sets the size-class threshold of decoders, e.g. <c>4B</c>.</summary>
    /// <value>The default value is <c>4B</c>.</value>
    public string SmallDecoderThreshold { get; set; } = "4B";

    /// <summary>Gets or sets a compute efficiency applied to every device, in (0, 1]; <see langword="null"/> keeps each device's.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public double? ComputeEfficiency { get; set; }

    /// <summary>Gets or sets a memory efficiency applied to every device, in (0, 1]; <see langword="null"/> keeps each device's.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public double? MemoryEfficiency { get; set; }

    /// <summary>Gets the named selection profiles (e.g. <c>edge</c>, <c>cloud</c>).</summary>
    public IDictionary<string, SelectionProfileOptions> Profiles { get; } = new Dictionary<string, SelectionProfileOptions>(StringComparer.OrdinalIgnoreCase);
}
