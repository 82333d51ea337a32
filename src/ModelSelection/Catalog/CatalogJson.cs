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
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
