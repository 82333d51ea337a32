using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSelection.Runtimes;

namespace ModelSelection.Calibration;

/// <summary>
/// A runtime calibrated on one device from measured runs: the fitted efficiency and memory model, the runtime with
/// them in place for that device, the error at every measured shape before and after, and the configuration that
/// binds it back (<see cref="ToJson"/>).
/// </summary>
/// <param name="DeviceId">The device the runs were measured on (e.g. <c>local</c>).</param>
/// <param name="Runtime">The runtime with the fitted entries in <see cref="RuntimeProfile.DeviceEfficiencies"/> and <see cref="RuntimeProfile.DeviceMemory"/> for the device: pass it to the estimator or the selector.</param>
/// <param name="Efficiency">The fitted efficiency on the device.</param>
/// <param name="Memory">The fitted memory model on the device; <see langword="null"/> when memory was not fitted (no point carried a memory figure, or <see cref="LocalCalibrationOptions.FitMemory"/> was off).</param>
/// <param name="Points">Every measured shape with its predictions before and after.</param>
public sealed record LocalCalibration(
    string DeviceId,
    RuntimeProfile Runtime,
    RuntimeEfficiency Efficiency,
    RuntimeMemoryModel? Memory,
    ImmutableArray<LocalCalibrationPoint> Points)
{
    /// <summary>Gets the median |predicted ÷ measured − 1| of the latencies before the calibration.</summary>
    public double MedianLatencyErrorBefore => Median(Points.Select(p => Math.Abs(p.LatencyErrorBefore)));

    /// <summary>Gets the median |predicted ÷ measured − 1| of the latencies after the calibration.</summary>
    public double MedianLatencyErrorAfter => Median(Points.Select(p => Math.Abs(p.LatencyErrorAfter)));

    /// <summary>Gets the largest |predicted ÷ measured − 1| of the latencies before the calibration.</summary>
    public double WorstLatencyErrorBefore => Points.Max(p => Math.Abs(p.LatencyErrorBefore));

    /// <summary>Gets the largest |predicted ÷ measured − 1| of the latencies after the calibration.</summary>
    public double WorstLatencyErrorAfter => Points.Max(p => Math.Abs(p.LatencyErrorAfter));

    /// <summary>Gets the median |predicted ÷ measured − 1| of the memory before the calibration; <see langword="null"/> when no memory was measured.</summary>
    public double? MedianMemoryErrorBefore => MedianOrNull(Points.Select(p => p.MemoryErrorBefore));

    /// <summary>Gets the median |predicted ÷ measured − 1| of the memory after the calibration; <see langword="null"/> when no memory was measured.</summary>
    public double? MedianMemoryErrorAfter => MedianOrNull(Points.Select(p => p.MemoryErrorAfter));

    /// <summary>
    /// Writes the calibration as configuration in the appsettings shape: <c>ModelSelection:Runtimes</c> with this
    /// runtime's <c>DeviceEfficiencies</c> and <c>DeviceMemory</c> entries for the device, every field set. Load it with
    /// <c>AddJsonFile</c> (or <c>modelselect --config FILE</c>) and the estimator and selector use the calibrated
    /// profile on that device; other devices keep the class's efficiency.
    /// </summary>
    /// <returns>The JSON text, indented.</returns>
    public string ToJson()
    {
        // The catalog's own entries, with configuration's PascalCase keys: one list of fields for both.
        var runtime = new JsonObject
        {
            ["Id"] = Runtime.Id,
            ["DeviceEfficiencies"] = new JsonObject { [DeviceId] = JsonSerializer.SerializeToNode(RuntimeCatalog.ToEntry(Efficiency), AppSettingsJsonContext.Default.EfficiencyEntry) },
        };
        if (Memory is { } memory)
        {
            runtime["DeviceMemory"] = new JsonObject { [DeviceId] = JsonSerializer.SerializeToNode(RuntimeCatalog.ToEntry(memory), AppSettingsJsonContext.Default.MemoryModelEntry) };
        }

        var document = new JsonObject { ["ModelSelection"] = new JsonObject { ["Runtimes"] = new JsonArray(runtime) } };
        return document.ToJsonString(AppSettingsJsonContext.Default.Options);
    }

    /// <summary>A one-line summary: the device, the runtime and the error before and after.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Runtime.Id} on {DeviceId}: {Points.Length} shape{(Points.Length == 1 ? string.Empty : "s")}, median latency error {MedianLatencyErrorBefore:P1} before, {MedianLatencyErrorAfter:P1} after");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double? MedianOrNull(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().Select(Math.Abs).ToArray();
        return present.Length == 0 ? null : Median(present);
    }
}
