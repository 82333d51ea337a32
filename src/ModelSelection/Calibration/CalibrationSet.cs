using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ModelSelection.Catalog;
using ModelSelection.Estimation;

namespace ModelSelection.Calibration;

/// <summary>
/// A set of measurements to fit runtime efficiencies to and to check estimates against: the built-in set of
/// published measurements (<see cref="BuiltIn"/>, every point with its source; <c>docs/accuracy.md</c>), or your own.
/// </summary>
public sealed class CalibrationSet
{
    private static readonly Lazy<CalibrationSet> BuiltInSet = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly (CalibrationMetric Metric, string Name)[] MetricNames =
    [
        (CalibrationMetric.LatencyMilliseconds, "latency-ms"), (CalibrationMetric.TimeToFirstTokenMilliseconds, "ttft-ms"),
        (CalibrationMetric.TimePerOutputTokenMilliseconds, "tpot-ms"), (CalibrationMetric.PrefillTokensPerSecond, "prefill-tokens-per-second"),
        (CalibrationMetric.DecodeTokensPerSecond, "decode-tokens-per-second"), (CalibrationMetric.OutputTokensPerSecond, "output-tokens-per-second"),
        (CalibrationMetric.SequencesPerSecond, "sequences-per-second"), (CalibrationMetric.TrainingSequencesPerSecond, "training-sequences-per-second"),
        (CalibrationMetric.TrainingTokensPerSecondPerDevice, "training-tokens-per-second-per-device"),
    ];

    /// <summary>Creates a set.</summary>
    /// <param name="points">The points; ids unique.</param>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two points share an id, or a value is not a finite positive number.</exception>
    public CalibrationSet(IEnumerable<CalibrationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<CalibrationPoint>();
        foreach (var point in points)
        {
            ArgumentNullException.ThrowIfNull(point, nameof(points));
            if (!ids.Add(point.Id))
            {
                throw new ArgumentException($"Calibration point ids must be unique; '{point.Id}' appears twice.", nameof(points));
            }

            if (!double.IsFinite(point.Value) || point.Value <= 0)
            {
                throw new ArgumentException($"Calibration point '{point.Id}': the value must be a finite number greater than 0; was {point.Value.ToString("R", CultureInfo.InvariantCulture)}.", nameof(points));
            }

            list.Add(point);
        }

        Points = [.. list];
    }

    /// <summary>Gets the built-in set of published measurements.</summary>
    public static CalibrationSet BuiltIn => BuiltInSet.Value;

    /// <summary>Gets the points in file order.</summary>
    public ImmutableArray<CalibrationPoint> Points { get; }

    /// <summary>Gets the JSON name of a metric (<c>latency-ms</c>, <c>decode-tokens-per-second</c>, …).</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The name.</returns>
    public static string MetricName(CalibrationMetric metric) => MetricNames.First(m => m.Metric == metric).Name;

    /// <summary>Reads a set in the built-in set's JSON format (<c>{"points": [...]}</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The JSON is malformed or a point is incomplete; the message names the point and the field.</exception>
    public static CalibrationSet FromJson(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        var document = Internal.JsonText.Deserialize(json, CatalogJsonContext.Default.CalibrationDocument, sourceName, "a calibration set");

        if (document?.Points is not { } entries)
        {
            throw new ModelImportException(sourceName, "$.points", "required key is missing; expected an array of points");
        }

        var points = new List<CalibrationPoint>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var path = $"$.points[{i}]";
            string Required(string? value, string field) => string.IsNullOrWhiteSpace(value) ? throw new ModelImportException(sourceName, $"{path}.{field}", "required key is missing") : value;
            var metricName = Required(e.Metric, "metric");
            var metric = MetricNames.FirstOrDefault(m => string.Equals(m.Name, metricName, StringComparison.OrdinalIgnoreCase));
            if (metric.Name is null)
            {
                throw new ModelImportException(sourceName, path + ".metric", $"expected one of {string.Join(", ", MetricNames.Select(m => m.Name))}; found \"{metricName}\"");
            }

            if (!NumericPrecision.TryParse(Required(e.Precision, "precision"), CultureInfo.InvariantCulture, out var precision))
            {
                throw new ModelImportException(sourceName, path + ".precision", $"expected a precision; found \"{e.Precision}\"");
            }

            var layout = DeviceLayout.TensorParallel;
            if (e.Layout is { } layoutName && !DeviceLayouts.TryParse(layoutName, out layout))
            {
                throw new ModelImportException(sourceName, path + ".layout", $"expected one of {string.Join(", ", DeviceLayouts.AllNames)}; found \"{layoutName}\"");
            }

            try
            {
                points.Add(new CalibrationPoint
                {
                    Id = Required(e.Id, "id"),
                    Model = Required(e.Model, "model"),
                    Device = Required(e.Device, "device"),
                    Runtime = Required(e.Runtime, "runtime"),
                    Precision = precision,
                    Metric = metric.Metric,
                    Value = e.Value ?? throw new ModelImportException(sourceName, path + ".value", "required key is missing"),
                    Devices = e.Devices ?? 1,
                    Layout = layout,
                    TensorParallel = e.TensorParallel ?? 1,
                    Batch = e.Batch ?? 1,
                    InputTokens = e.InputTokens ?? 1,
                    GeneratedTokens = e.GeneratedTokens ?? 0,
                    Recomputation = e.Recomputation,
                    Source = Required(e.Source, "source"),
                    Detail = e.Detail,
                    Notes = e.Notes,
                });
            }
            catch (ArgumentException exception)
            {
                throw new ModelImportException(sourceName, path, exception.Message.Split(" (Parameter")[0], exception);
            }
        }

        try
        {
            return new CalibrationSet(points);
        }
        catch (ArgumentException exception)
        {
            throw new ModelImportException(sourceName, "$.points", exception.Message.Split(" (Parameter")[0], exception);
        }
    }

    private static CalibrationSet LoadBuiltIn()
    {
        using var stream = typeof(CalibrationSet).Assembly.GetManifestResourceStream("ModelSelection.Catalog.calibration.json")
            ?? throw new InvalidOperationException("The built-in calibration set resource 'ModelSelection.Catalog.calibration.json' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd(), "built-in calibration set");
    }
}
