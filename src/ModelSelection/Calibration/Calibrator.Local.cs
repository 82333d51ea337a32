using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Calibration;

/// <summary>The local calibration: a device × runtime profile fitted to runs measured on the machine itself.</summary>
public static partial class Calibrator
{
    /// <summary>
    /// The local fit's bounds: those of the published-set fit, except that η_c and η_m may reach 2: against a probed
    /// device the measured engine can be faster than the recorded peak (the probe ran while the machine was busy), and
    /// the calibration corrects the device as well as the engine.
    /// </summary>
    private static readonly (double Low, double High)[] LocalBounds =
    [
        (0.02, 2), (1, 8192), (0.1, 2), (1e-7, 2e-3), (1e-6, 0.05), (0.05, 1), (0.2, 1), (1e-6, 2e-4), (0.05, 1), (1e-7, 5e-3),
    ];

    /// <summary>How many re-centred stages the local latency fit takes.</summary>
    private const int LocalStages = 4;

    /// <summary>The buffer counts the memory fit tries: 0, then ¼ to 64 in steps of 2^(1/16), the whole numbers 1 to 16 and the halves.</summary>
    private static readonly double[] BufferGrid = [.. new[] { 0.0 }.Concat(Enumerable.Range(-32, 161).Select(i => Math.Round(Math.Pow(2, i / 16.0), 4))).Concat(Enumerable.Range(1, 32).Select(i => i / 2.0)).Distinct().Order()];

    /// <summary>
    /// Fits a runtime's profile on one device to runs measured there (ONNX Runtime on this machine, through
    /// ModelSelection.OnnxRuntime; or your own timings): the efficiency parameters of <see cref="RuntimeEfficiency"/>
    /// (compute and memory efficiency, GEMM shape, per-layer and per-call overhead) by the same bounded, prior-held
    /// least squares as <see cref="Fit"/>, and — from the points that carry memory — the engine's own resident bytes,
    /// its resident activation buffers and its load transient (<see cref="RuntimeMemoryModel"/>).
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

        // The hold is re-centred on each stage's result: each stage moves the parameters in proportion to how strongly the
        // points depend on them (one compute-bound shape moves η_c, not the call overhead), and the residual the hold
        // leaves shrinks by λ ÷ (1 + λ) per stage, so the measurements are met rather than pulled towards the start.
        // Coordinate descent is local: a slow small shape can be explained by a low memory efficiency or by a long call
        // overhead. The fit starts from the runtime's efficiency and from four starts around it (overheads ten times
        // longer or shorter, half or one and a half times the compute efficiency) and keeps the one that meets the
        // points best, the nearest to the runtime's efficiency among equals.
        RuntimeEfficiency[] starts =
        [
            start,
            start with { CallOverheadSeconds = Math.Min(0.05, start.CallOverheadSeconds * 10), LayerOverheadSeconds = Math.Min(2e-3, start.LayerOverheadSeconds * 10) },
            start with { CallOverheadSeconds = Math.Max(1e-6, start.CallOverheadSeconds / 10), LayerOverheadSeconds = Math.Max(1e-7, start.LayerOverheadSeconds / 10) },
            start with { ComputeEfficiency = Math.Max(0.02, start.ComputeEfficiency / 2) },
            start with { ComputeEfficiency = Math.Min(1, start.ComputeEfficiency * 1.5) },
        ];
        RuntimeEfficiency? efficiency = null;
        var bestLoss = double.PositiveInfinity;
        foreach (var from in starts)
        {
            var fitted = from;
            for (var stage = 0; stage < LocalStages; stage++)
            {
                fitted = FitGroup(cases, bare, device.Class, fitted, options.PriorWeight, LocalBounds);
            }

            var loss = DataLoss(cases, WithEfficiency(bare, device.Class, fitted));
            if (loss < bestLoss - 1e-9)
            {
                (efficiency, bestLoss) = (fitted, loss);
            }
        }

        efficiency = Round(efficiency!) with { Source = source };

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
        // Coordinate descent over the three buffer counts and the load transient, each on a grid, held to the start by
        // λ/100 · ln²(value ÷ start) — a tie-break: the points decide wherever they can; for every trial the engine's own bytes are the median of what the measurements leave,
        // so one shape fixes them exactly and leaves the buffers where they started.
        priorWeight /= 100;
        var values = new[] { start.HiddenBuffers, start.FeedForwardBuffers, start.AttentionScoreBuffers, start.LoadTransientFraction };
        double[][] grids =
        [
            BufferGrid, BufferGrid, BufferGrid, [.. Enumerable.Range(0, 41).Select(i => i * 0.05)],
        ];

        RuntimeMemoryModel Model(double[] v, long fixedBytes) => start with
        {
            FixedBytes = fixedBytes, HiddenBuffers = v[0], FeedForwardBuffers = v[1], AttentionScoreBuffers = v[2], LoadTransientFraction = v[3],
        };

        long Without(RuntimeMemoryModel model, (MeasuredModel Run, MeasuredPoint Point) s)
        {
            var runtime = bare with { Memory = model with { FixedBytes = 0 } };
            var workload = new InferenceWorkload { Batch = s.Point.Batch, InputTokens = s.Point.SequenceLength, WeightPrecision = s.Run.Precision };
            return ModelEstimator.EstimateMemory(s.Run.Model, workload, device, runtime).TotalBytes;
        }

        (double Loss, long Fixed) Evaluate(double[] v)
        {
            var trial = Model(v, 0);
            var without = shapes.Select(s => (double)Without(trial, s)).ToArray();
            var rest = shapes.Select((s, i) => s.Point.MemoryBytes!.Value - without[i]).Order().ToArray();
            var median = rest.Length % 2 == 1 ? rest[rest.Length / 2] : (rest[(rest.Length / 2) - 1] + rest[rest.Length / 2]) / 2;
            var fixedBytes = (long)Math.Clamp(median, 0, 1L << 40);
            var loss = 0.0;
            for (var i = 0; i < shapes.Count; i++)
            {
                var log = Math.Log((without[i] + fixedBytes) / shapes[i].Point.MemoryBytes!.Value);
                loss += log * log;
            }

            for (var k = 0; k < 3; k++)
            {
                var hold = Math.Log(Math.Max(v[k], 1e-3) / Math.Max(values[k], 1e-3));
                loss += priorWeight * hold * hold;
            }

            loss += priorWeight * (v[3] - values[3]) * (v[3] - values[3]);
            return (loss, fixedBytes);
        }

        // Coordinate descent is local here too: a large resident set at small shapes is a load transient or the engine's
        // own bytes. Start from the given load transient and from 0.25, 0.5 and 1 of the weights; keep the best.
        double[]? bestX = null;
        (double Loss, long Fixed) best = (double.PositiveInfinity, 0);
        foreach (var load in new[] { values[3], 0.25, 0.5, 1.0 })
        {
            var x = (double[])values.Clone();
            x[3] = load;
            var found = Descend(x);
            if (found.Loss < best.Loss - 1e-12)
            {
                (bestX, best) = (x, found);
            }
        }

        return Model(bestX!, best.Fixed);

        (double Loss, long Fixed) Descend(double[] x)
        {
            var (bestLoss, bestFixed) = Evaluate(x);
            for (var sweep = 0; sweep < 4; sweep++)
            {
                for (var k = 0; k < x.Length; k++)
                {
                    var keep = x[k];
                    foreach (var candidate in grids[k])
                    {
                        x[k] = candidate;
                        var (loss, fixedBytes) = Evaluate(x);
                        if (loss < bestLoss - 1e-12)
                        {
                            (bestLoss, bestFixed, keep) = (loss, fixedBytes, candidate);
                        }
                    }

                    x[k] = keep;
                }
            }

            return (bestLoss, bestFixed);
        }
    }
}
