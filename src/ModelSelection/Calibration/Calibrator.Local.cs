using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Calibration;

/// <summary>The local calibration: a device × runtime profile fitted to runs measured on the machine itself.</summary>
public static partial class Calibrator
{
    /// <summary>The buffer scales the memory fit tries: a log grid from ¼ to 4 (the executor holds a quarter to four times the buffers the start assumes).</summary>
    private static readonly double[] MemoryScales = [.. Enumerable.Range(-16, 33).Select(i => Math.Pow(2, i / 8.0))];

    /// <summary>
    /// Fits a runtime's profile on one device to runs measured there (ONNX Runtime on this machine, through
    /// ModelSelection.OnnxRuntime; or your own timings): the efficiency parameters of <see cref="RuntimeEfficiency"/>
    /// (compute and memory efficiency, GEMM shape, per-layer and per-call overhead) by the same bounded, prior-held
    /// least squares as <see cref="Fit"/>, and — from the points that carry memory — the engine's own resident bytes
    /// and a scale on its resident activation buffers (<see cref="RuntimeMemoryModel"/>).
    /// </summary>
    /// <param name="measurements">The measured models and their shapes (one shape is enough; more inform more parameters).</param>
    /// <param name="device">The device they ran on (for this machine: <c>DeviceCatalog</c>'s probed <c>local</c> profile).</param>
    /// <param name="runtime">The runtime they ran in; its efficiency on the device (a calibrated entry, else its class's) is where the fit starts and what it is held to.</param>
    /// <param name="options">How to fit; <see langword="null"/> for the defaults.</param>
    /// <returns>The calibrated runtime, the fitted entries and the error at every shape before and after.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no measured shape; the runtime does not run on the device, cannot serve a measured model or run its format; or a shape cannot run (a sequence past the model's positions).</exception>
    public static LocalCalibration Calibrate(IEnumerable<MeasuredModel> measurements, DeviceProfile device, RuntimeProfile runtime, LocalCalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(runtime);
        options ??= new LocalCalibrationOptions();
        var runs = measurements.ToList();
        if (runs.Any(r => r is null))
        {
            throw new ArgumentNullException(nameof(measurements), "A measured model in the list is null.");
        }

        var shapes = runs.SelectMany(r => r.Points.IsDefault ? [] : r.Points.Select(p => (Run: r, Point: p))).ToList();
        if (shapes.Count == 0)
        {
            throw new ArgumentException("Calibration needs at least one measured shape; the measurements hold none.", nameof(measurements));
        }

        if (!runtime.RunsOn(device))
        {
            throw new ArgumentException($"Runtime '{runtime.Id}' does not run on {device.Id} ({DeviceClasses.ToName(device.Class)}); it runs on {string.Join(", ", runtime.Classes.Select(DeviceClasses.ToName))}.", nameof(runtime));
        }

        foreach (var run in runs)
        {
            if (!runtime.Serves(run.Model.Architecture.Kind) || !runtime.Runs(run.Precision))
            {
                throw new ArgumentException($"Runtime '{runtime.Id}' cannot run model '{run.Model.Id}' in {run.Precision.Name}: it serves {string.Join(", ", runtime.Kinds.Select(RuntimeCatalog.KindName))} in {string.Join(", ", runtime.Formats.Select(f => f.Name))}.", nameof(measurements));
            }
        }

        var stamp = (options.Timestamp ?? DateTimeOffset.UtcNow).ToUniversalTime();
        var models = string.Join(", ", runs.Select(r => r.Model.Id).Distinct(StringComparer.Ordinal));
        var note = options.Note is { Length: > 0 } n ? $"; {n}" : string.Empty;
        var source = string.Create(CultureInfo.InvariantCulture, $"calibrated on {device.Id} from {shapes.Count} measured shape{(shapes.Count == 1 ? string.Empty : "s")} of {models}, {stamp:yyyy-MM-dd HH:mm} UTC{note}");

        // Latency: the class-slot fit of the published set, on a copy of the runtime without this device's entry.
        var start = runtime.EfficiencyFor(device);
        var memoryStart = runtime.MemoryFor(device) ?? new RuntimeMemoryModel { FixedBytes = device.RuntimeOverheadBytes, Source = "the estimator's one-layer activations and the device's runtime overhead" };
        var bare = runtime with
        {
            DeviceEfficiencies = runtime.DeviceEfficiencies.Remove(device.Id),
            DeviceMemory = runtime.DeviceMemory.Remove(device.Id),
        };
        var cases = shapes.Select((s, i) => new FitCase(
            new CalibrationPoint
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{s.Run.Model.Id}@{s.Point.Batch}x{s.Point.SequenceLength}#{i}"),
                Model = s.Run.Model.Id,
                Device = device.Id,
                Runtime = runtime.Id,
                Precision = s.Run.Precision,
                Metric = CalibrationMetric.LatencyMilliseconds,
                Value = s.Point.Latency.TotalMilliseconds,
                Batch = s.Point.Batch,
                InputTokens = s.Point.SequenceLength,
                Source = s.Run.Source ?? "local measurement",
            },
            s.Run.Model,
            device)).ToList();
        foreach (var c in cases)
        {
            ModelEstimator.EnsureRunnable(c.Model, Workload(c.Point));
        }

        var efficiency = Round(FitGroup(cases, bare, device.Class, start, options.PriorWeight)) with { Source = source };

        // Memory: the engine's own bytes (the median residual) and one scale on its activation buffers, held to 1.
        var withMemory = shapes.Where(s => s.Point.MemoryBytes is > 0).ToList();
        RuntimeMemoryModel? memory = null;
        if (options.FitMemory && withMemory.Count > 0)
        {
            memory = FitMemory(withMemory, device, bare with { DeviceMemory = bare.DeviceMemory.Remove(device.Id), Memory = null }, memoryStart, options.PriorWeight) with { Source = source };
        }

        var calibrated = runtime with
        {
            DeviceEfficiencies = runtime.DeviceEfficiencies.SetItem(device.Id, efficiency),
            DeviceMemory = memory is null ? runtime.DeviceMemory : runtime.DeviceMemory.SetItem(device.Id, memory),
        };
        var points = shapes.Select(s =>
        {
            var workload = new InferenceWorkload { Batch = s.Point.Batch, InputTokens = s.Point.SequenceLength, WeightPrecision = s.Run.Precision };
            return new LocalCalibrationPoint(
                s.Run.Model.Id,
                s.Point.Batch,
                s.Point.SequenceLength,
                s.Point.Latency.TotalSeconds,
                ModelEstimator.EstimatePerformance(s.Run.Model, workload, device, runtime).LatencySeconds,
                ModelEstimator.EstimatePerformance(s.Run.Model, workload, device, calibrated).LatencySeconds,
                s.Point.MemoryBytes,
                ModelEstimator.EstimateMemory(s.Run.Model, workload, device, runtime).TotalBytes,
                ModelEstimator.EstimateMemory(s.Run.Model, workload, device, calibrated).TotalBytes);
        });
        return new LocalCalibration(device.Id, calibrated, efficiency, memory, [.. points]);
    }

    private static InferenceWorkload Workload(CalibrationPoint point) =>
        new() { Batch = point.Batch, InputTokens = Math.Max(1, point.InputTokens), WeightPrecision = point.Precision };

    private static RuntimeMemoryModel FitMemory(List<(MeasuredModel Run, MeasuredPoint Point)> shapes, DeviceProfile device, RuntimeProfile bare, RuntimeMemoryModel start, double priorWeight)
    {
        // For a buffer scale k the predicted total is weights + KV + F + max(k · buffers, load transient); F is the
        // median of what the measurements leave, so one shape fixes F exactly and k stays at 1.
        RuntimeMemoryModel Scaled(double k, long fixedBytes) => start with
        {
            FixedBytes = fixedBytes,
            HiddenBuffers = Math.Min(256, start.HiddenBuffers * k),
            FeedForwardBuffers = Math.Min(256, start.FeedForwardBuffers * k),
            AttentionScoreBuffers = Math.Min(256, start.AttentionScoreBuffers * k),
        };

        long Without(RuntimeMemoryModel model, (MeasuredModel Run, MeasuredPoint Point) s)
        {
            var runtime = bare with { Memory = model with { FixedBytes = 0 } };
            var workload = new InferenceWorkload { Batch = s.Point.Batch, InputTokens = s.Point.SequenceLength, WeightPrecision = s.Run.Precision };
            return ModelEstimator.EstimateMemory(s.Run.Model, workload, device, runtime).TotalBytes;
        }

        RuntimeMemoryModel? best = null;
        var bestLoss = double.PositiveInfinity;
        foreach (var k in MemoryScales)
        {
            var trial = Scaled(k, 0);
            var rest = shapes.Select(s => (double)(s.Point.MemoryBytes!.Value - Without(trial, s))).Order().ToArray();
            var median = rest.Length % 2 == 1 ? rest[rest.Length / 2] : (rest[(rest.Length / 2) - 1] + rest[rest.Length / 2]) / 2;
            var fixedBytes = (long)Math.Clamp(median, 0, 1L << 40);
            var loss = priorWeight * Math.Log(k) * Math.Log(k);
            foreach (var s in shapes)
            {
                var log = Math.Log((Without(trial, s) + (double)fixedBytes) / s.Point.MemoryBytes!.Value);
                loss += log * log;
            }

            if (loss < bestLoss - 1e-12)
            {
                (best, bestLoss) = (Scaled(k, fixedBytes), loss);
            }
        }

        return best!;
    }
}
