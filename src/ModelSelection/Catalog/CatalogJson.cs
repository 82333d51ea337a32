using System.Text.Json;
using System.Text.Json.Serialization;
using ModelSelection.Models;

namespace ModelSelection.Catalog;

/// <summary>The catalog file: a list of entries, each a hub id, a declared parameter count, scores, sources and a config.</summary>
internal sealed class CatalogDocument
{
    public string? Comment { get; set; }

    public List<CatalogEntry>? Models { get; set; }
}

/// <summary>One catalog entry.</summary>
internal sealed class CatalogEntry
{
    public string? Id { get; set; }

    public long? Parameters { get; set; }

    public Dictionary<string, CatalogScore>? QualityScores { get; set; }

    public List<string>? Sources { get; set; }

    public List<string>? Tasks { get; set; }

    public int? ContextLength { get; set; }

    public string? ContextLengthSource { get; set; }

    public JsonElement Config { get; set; }

    public string? Gguf { get; set; }
}

/// <summary>One published score.</summary>
internal sealed class CatalogScore
{
    public double? Value { get; set; }

    public string? Source { get; set; }

    public string? Checkpoint { get; set; }
}

/// <summary>A <see cref="ModelSpec"/> as JSON: architecture, tensor groups, scores and sources.</summary>
internal sealed class SpecDocument
{
    public string? Id { get; set; }

    public string? Family { get; set; }

    public long Parameters { get; set; }

    public ModelArchitecture? Architecture { get; set; }

    public List<TensorGroup>? Tensors { get; set; }

    public Dictionary<string, QualityScore>? QualityScores { get; set; }

    public List<string>? Sources { get; set; }

    public List<ModelTask>? Tasks { get; set; }

    public int? ContextLength { get; set; }

    public StoredWeightsDocument? StoredWeights { get; set; }
}

/// <summary>How an imported file stores its weights (<see cref="WeightStorage"/>), on the wire.</summary>
internal sealed class StoredWeightsDocument
{
    public NumericPrecision Format { get; set; }

    public long InputBytes { get; set; }

    public List<long>? LayerBytes { get; set; }

    public long OutputBytes { get; set; }
}

/// <summary>The device catalog file.</summary>
internal sealed class DeviceDocument
{
    public string? Comment { get; set; }

    public List<DeviceEntry>? Devices { get; set; }
}

/// <summary>One device entry; names as in <c>Catalog/devices.json</c>.</summary>
internal sealed class DeviceEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Class { get; set; }

    public string? Tier { get; set; }

    public long? MemoryBytes { get; set; }

    public double? UsableMemoryFraction { get; set; }

    public bool IsUnifiedMemory { get; set; }

    public double? MemoryBandwidthBytesPerSecond { get; set; }

    public PeaksEntry? PeakFlops { get; set; }

    public PeaksEntry? SparsePeakFlops { get; set; }

    public double? PowerWatts { get; set; }

    public decimal? PricePerHourUsd { get; set; }

    public string? PriceAsOf { get; set; }

    public double? InterconnectBandwidthBytesPerSecond { get; set; }

    public List<string>? Sources { get; set; }

    public string? Notes { get; set; }

    public List<string>? EstimatedFields { get; set; }
}

/// <summary>Peaks per precision in FLOP/s; null when unsupported.</summary>
internal sealed class PeaksEntry
{
    public double? Fp32 { get; set; }

    public double? Tf32 { get; set; }

    public double? Fp16 { get; set; }

    public double? Bf16 { get; set; }

    public double? Fp8 { get; set; }

    public double? Int8 { get; set; }

    public double? Int4 { get; set; }
}

/// <summary>The benchmark registry file: benchmarks and the default benchmark of each task.</summary>
internal sealed class BenchmarkDocument
{
    public string? Comment { get; set; }

    public List<Quality.Benchmark>? Benchmarks { get; set; }

    public Dictionary<string, string>? Defaults { get; set; }

    public Dictionary<string, string>? Retired { get; set; }
}

/// <summary>The format quality file: one delta per weight format.</summary>
internal sealed class FormatQualityDocument
{
    public string? Comment { get; set; }

    public List<Quality.FormatQualityDelta>? Formats { get; set; }
}

/// <summary>Source-generated (reflection-free, AOT-safe) JSON metadata for the catalog and spec documents.</summary>
/// <summary>The runtime catalog file: engines and the default engine per device class and model kind.</summary>
internal sealed class RuntimeDocument
{
    public string? Comment { get; set; }

    public List<RuntimeEntry>? Runtimes { get; set; }

    public Dictionary<string, Dictionary<string, string>>? Defaults { get; set; }
}

/// <summary>One runtime entry; names as in <c>Catalog/runtimes.json</c>.</summary>
internal sealed class RuntimeEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public List<string>? Kinds { get; set; }

    public List<string>? Vendors { get; set; }

    public List<string>? Formats { get; set; }

    public List<string>? Layouts { get; set; }

    public bool ContinuousBatching { get; set; }

    public string? Attention { get; set; }

    public bool LogitsForAllPositions { get; set; }

    public int? KvBlockTokens { get; set; }

    public int? MicroBatchTokens { get; set; }

    public string? ActivationPrecision { get; set; }

    public bool LayerOffload { get; set; }

    public double? MaxMemoryFraction { get; set; }

    public Dictionary<string, string>? QuantizedComputePrecisions { get; set; }

    public Dictionary<string, string>? ComputePrecisions { get; set; }

    public Dictionary<string, EfficiencyEntry>? Efficiencies { get; set; }

    /// <summary>Gets or sets the engine's memory model (whole-graph engines).</summary>
    public MemoryModelEntry? Memory { get; set; }

    /// <summary>Gets or sets efficiencies calibrated on one device, keyed by device id.</summary>
    public Dictionary<string, EfficiencyEntry>? DeviceEfficiencies { get; set; }

    /// <summary>Gets or sets memory models calibrated on one device, keyed by device id.</summary>
    public Dictionary<string, MemoryModelEntry>? DeviceMemory { get; set; }

    public List<string>? Sources { get; set; }

    public string? Notes { get; set; }
}

/// <summary>A runtime's memory model (<see cref="Runtimes.RuntimeMemoryModel"/>).</summary>
internal sealed class MemoryModelEntry
{
    /// <summary>Gets or sets the engine's own resident bytes.</summary>
    public long? FixedBytes { get; set; }

    /// <summary>Gets or sets the load transient as a fraction of the weights.</summary>
    public double? LoadTransientFraction { get; set; }

    /// <summary>Gets or sets the resident b·s·h activations.</summary>
    public double? HiddenBuffers { get; set; }

    /// <summary>Gets or sets the resident b·s·ff activations.</summary>
    public double? FeedForwardBuffers { get; set; }

    /// <summary>Gets or sets the resident attention-score activations.</summary>
    public double? AttentionScoreBuffers { get; set; }

    /// <summary>Gets or sets where the values come from.</summary>
    public string? Source { get; set; }
}

/// <summary>A runtime's efficiency on one device class.</summary>
internal sealed class EfficiencyEntry
{
    public double? ComputeEfficiency { get; set; }

    public double? HalfEfficiencyRows { get; set; }

    public double? MemoryEfficiency { get; set; }

    public double? LayerOverheadSeconds { get; set; }

    public double? HostLayerSeconds { get; set; }

    public double? CallOverheadSeconds { get; set; }

    public double? QuantizedComputeFactor { get; set; }

    public double? QuantizedMemoryFactor { get; set; }

    public double? AllReduceLatencySeconds { get; set; }

    public double? TrainingEfficiency { get; set; }

    public string? Source { get; set; }
}

/// <summary>The calibration set file.</summary>
internal sealed class CalibrationDocument
{
    public string? Comment { get; set; }

    public List<CalibrationEntry>? Points { get; set; }
}

/// <summary>One calibration point; names as in <c>Catalog/calibration.json</c>.</summary>
internal sealed class CalibrationEntry
{
    public string? Id { get; set; }

    public string? Model { get; set; }

    public string? Device { get; set; }

    public string? Runtime { get; set; }

    public string? Precision { get; set; }

    public string? Metric { get; set; }

    public double? Value { get; set; }

    public int? Devices { get; set; }

    public string? Layout { get; set; }

    public int? TensorParallel { get; set; }

    public int? Batch { get; set; }

    public int? InputTokens { get; set; }

    public int? GeneratedTokens { get; set; }

    public bool Recomputation { get; set; }

    public string? Source { get; set; }

    public string? Detail { get; set; }

    public string? Notes { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(SpecDocument))]
[JsonSerializable(typeof(DeviceDocument))]
[JsonSerializable(typeof(BenchmarkDocument))]
[JsonSerializable(typeof(FormatQualityDocument))]
[JsonSerializable(typeof(RuntimeDocument))]
[JsonSerializable(typeof(CalibrationDocument))]
[JsonSerializable(typeof(PretrainingDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

/// <summary>The embedded <c>pretraining.json</c>: published pre-training runs.</summary>
internal sealed class PretrainingDocument
{
    public List<PretrainingEntry>? Records { get; set; }
}

/// <summary>One published pre-training run.</summary>
internal sealed class PretrainingEntry
{
    public string? ModelId { get; set; }

    public string? Hardware { get; set; }

    public double? Days { get; set; }

    public long? Steps { get; set; }

    public long? BatchSequences { get; set; }

    public string? SequenceLength { get; set; }

    public long? Tokens { get; set; }

    public string? Missing { get; set; }

    public string? Source { get; set; }
}
