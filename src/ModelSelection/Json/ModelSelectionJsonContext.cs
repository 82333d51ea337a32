using System.Text.Json;
using System.Text.Json.Serialization;
using ModelSelection.Comparison;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Planning;
using ModelSelection.Runtimes;

namespace ModelSelection.Json;

/// <summary>
/// The source-generated System.Text.Json metadata for every public request, result and quantity type: trim- and
/// Native-AOT-safe, no reflection. <c>JsonSerializer.Serialize(result, ModelSelectionJsonContext.Default.SelectionResult)</c>;
/// <c>JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.SelectionResult)</c>.
/// </summary>
/// <remarks>
/// The wire format: camelCase names (<see cref="JsonSerializerDefaults.Web"/>), enums by name, nulls left out.
/// Quantities are their canonical numbers (<see cref="ParameterCount"/> a whole number of parameters, FLOPs and
/// FLOP/s as numbers) and read from those numbers or from the text their <c>Parse</c> accepts; a
/// <see cref="NumericPrecision"/> is its name; a <see cref="ModelSpec"/>, <see cref="DeviceProfile"/> and
/// <see cref="RuntimeProfile"/> are written whole, so a result read back holds what was decided and why, without a
/// catalog. Limits (<see cref="TimeSpan"/>) use the <c>"c"</c> format (<c>"00:00:00.0500000"</c>); computed
/// figures are exact numbers in SI units. Figures that derive from others (<see cref="SelectionCandidate.Key"/>,
/// <see cref="MemoryEstimate.TotalBytes"/>, <see cref="DeviceProfile.UsableMemoryBytes"/>) are written for readers and
/// ignored when read. A request's <see cref="SelectionRequest.Policy"/> is code, not data: it is not written.
/// See <c>docs/json.md</c>.
/// </remarks>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SelectionRequest))]
[JsonSerializable(typeof(SelectionResult))]
[JsonSerializable(typeof(SelectionCandidate))]
[JsonSerializable(typeof(RejectedCandidate))]
[JsonSerializable(typeof(RejectionReason))]
[JsonSerializable(typeof(SelectionConstraints))]
[JsonSerializable(typeof(InferenceWorkload))]
[JsonSerializable(typeof(TrainingWorkload))]
[JsonSerializable(typeof(DeviceProfile))]
[JsonSerializable(typeof(ModelSpec))]
[JsonSerializable(typeof(RuntimeProfile))]
[JsonSerializable(typeof(MemoryEstimate))]
[JsonSerializable(typeof(FlopEstimate))]
[JsonSerializable(typeof(PerformanceEstimate))]
[JsonSerializable(typeof(TrainingStepEstimate))]
[JsonSerializable(typeof(ComparisonRequest))]
[JsonSerializable(typeof(ComparisonResult))]
[JsonSerializable(typeof(FineTuningRequest))]
[JsonSerializable(typeof(PretrainingPlan))]
[JsonSerializable(typeof(ParameterCount))]
[JsonSerializable(typeof(FlopCount))]
[JsonSerializable(typeof(FlopRate))]
[JsonSerializable(typeof(DatasetSize))]
[JsonSerializable(typeof(ComputeBudget))]
[JsonSerializable(typeof(NumericPrecision))]
public sealed partial class ModelSelectionJsonContext : JsonSerializerContext;
