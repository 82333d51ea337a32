using System.Text.Json.Serialization;
using ModelSelection.Catalog;

namespace ModelSelection.Calibration;

/// <summary>
/// The catalog's runtime entries as configuration writes them (PascalCase keys, indented): what
/// <see cref="LocalCalibration.ToJson"/> emits for <c>AddJsonFile</c> to bind.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(EfficiencyEntry))]
[JsonSerializable(typeof(MemoryModelEntry))]
internal sealed partial class AppSettingsJsonContext : JsonSerializerContext;
