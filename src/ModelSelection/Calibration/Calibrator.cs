using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Calibration;

/// <summary>
/// Predicts measurements with the estimator and fits runtime efficiencies to them: for each runtime × device class
/// with points, a bounded least-squares fit of log(predicted ÷ measured time), held towards its start (the class prior
/// by default) so that a parameter the points do not inform stays where physics put it.
/// </summary>
/// <remarks>
/// <para>The fit is coordinate descent over the ten parameters of <see cref="RuntimeEfficiency"/> in log space, each
/// within its physical bounds: a coarse grid over the bounds, then golden-section refinement, in six sweeps. It is
/// deterministic: the same points give the same parameters. The penalty is
/// <c>Σ ln²(predicted ÷ measured) + λ Σ ln²(θ ÷ θ_start)</c> with λ = <see cref="CalibrationOptions.PriorWeight"/>.</para>
/// <para>Leave-one-out refits each point's group without it and predicts it: how the fit generalises to a point it
/// has not seen.</para>
/// </remarks>
public static partial class Calibrator
{
    /// <summary>Two sweep orders, overheads first and efficiencies first: coordinate descent takes the better of the two, so the explanation of a slow step (launch-bound or bandwidth-bound) does not depend on which parameter happens to move first.</summary>
    private static readonly int[][] SweepOrders = [[9, 3, 4, 7, 0, 1, 2, 5, 6, 8], [0, 2, 5, 6, 1, 9, 3, 4, 7, 8]];

    /// <summary>How strongly each parameter is held to its start, relative to the prior weight: the GEMM-shape constant m½ is a property of the hardware's matrix units, so it moves only on strong evidence.</summary>
    private static readonly double[] PriorScale = [1, 5, 1, 1, 1, 1, 1, 1, 1, 1];

    private static readonly (double Low, double High)[] Bounds =
    [
        (0.02, 1), (1, 8192), (0.1, 1), (1e-7, 2e-3), (1e-6, 0.05), (0.05, 1), (0.2, 1), (1e-6, 2e-4), (0.05, 1), (1e-7, 5e-3),
    ];

    /// <summary>Predicts one point.</summary>
    /// <param name="point">The point.</param>
    /// <param name="models">Where its model is looked up.</param>
    /// <param name="devices">Where its device is looked up.</param>
    /// <param name="runtimes">Where its runtime is looked up.</param>
    /// <returns>The outcome: the prediction, or why there is none.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static CalibrationOutcome Predict(CalibrationPoint point, ModelCatalog models, DeviceCatalog devices, RuntimeCatalog runtimes)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(runtimes);
        if (!models.TryGet(point.Model, out var model))
        {
            return new CalibrationOutcome(point, null, $"unknown model '{point.Model}'");
        }

        if (!devices.TryGet(point.Device, out var device))
        {
            return new CalibrationOutcome(point, null, $"unknown device '{point.Device}'");
        }

        if (!runtimes.TryGet(point.Runtime, out var runtime))
        {
            return new CalibrationOutcome(point, null, $"unknown runtime '{point.Runtime}'");
        }

        return Outcome(new FitCase(point, model, device), runtime);
    }

    /// <summary>Predicts every point.</summary>
    /// <param name="points">The points.</param>
    /// <param name="models">Where models are looked up.</param>
    /// <param name="devices">Where devices are looked up.</param>
    /// <param name="runtimes">Where runtimes are looked up.</param>
    /// <returns>The outcomes, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ImmutableArray<CalibrationOutcome> Evaluate(IEnumerable<CalibrationPoint> points, ModelCatalog models, DeviceCatalog devices, RuntimeCatalog runtimes)
    {
        ArgumentNullException.ThrowIfNull(points);
        return [.. points.Select(p => Predict(p, models, devices, runtimes))];
    }

    /// <summary>Fits the efficiencies of every runtime × device class the points cover.</summary>
    /// <param name="points">The measurements.</param>
    /// <param name="models">Where models are looked up.</param>
    /// <param name="devices">Where devices are looked up.</param>
    /// <param name="runtimes">The runtimes to fit; their other facts are kept.</param>
    /// <param name="options">How to fit; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Reports each group as it is fitted; <see langword="null"/> for none.</param>
    /// <returns>The fitted catalog, the outcomes before and after, the leave-one-out outcomes when asked for, and the groups.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="options"/> or <paramref name="progress"/> is <see langword="null"/>.</exception>
    public static CalibrationFit Fit(IEnumerable<CalibrationPoint> points, ModelCatalog models, DeviceCatalog devices, RuntimeCatalog runtimes, CalibrationOptions? options = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(runtimes);
        options ??= new CalibrationOptions();
        var list = points.ToList();
        var start = options.StartFromPriors ? Priors(runtimes) : runtimes;
        var before = Evaluate(list, models, devices, start);
        var groups = new List<FittedGroup>();
        var fitted = new Dictionary<string, RuntimeProfile>(StringComparer.OrdinalIgnoreCase);
        var loo = new Dictionary<CalibrationPoint, CalibrationOutcome>();
        foreach (var group in Group(before, devices))
        {
            var runtime = start.Get(group.Key.Runtime);
            runtime = fitted.GetValueOrDefault(runtime.Id, runtime);
            var origin = start.Get(runtime.Id).EfficiencyFor(group.Key.Class);
            var cases = group.Select(o => Case(o.Point, models, devices)).ToList();
            var efficiency = FitGroup(cases, runtime, group.Key.Class, origin, options.PriorWeight);
            var source = $"fitted to {cases.Count} calibration point{(cases.Count == 1 ? string.Empty : "s")} ({string.Join(", ", cases.Select(c => c.Point.Id))}); docs/accuracy.md";
            efficiency = Round(efficiency) with { Source = source };
            fitted[runtime.Id] = WithEfficiency(runtime, group.Key.Class, efficiency);
            groups.Add(new FittedGroup(runtime.Id, group.Key.Class, cases.Count, origin, efficiency));
            progress?.Report($"{runtime.Id} on {DeviceClasses.ToName(group.Key.Class)}: {cases.Count} points");
            if (options.LeaveOneOut)
            {
                for (var i = 0; i < cases.Count; i++)
                {
                    var rest = cases.Where((_, j) => j != i).ToList();
                    var without = rest.Count == 0 ? origin : FitGroup(rest, runtime, group.Key.Class, origin, options.PriorWeight);
                    var held = WithEfficiency(runtime, group.Key.Class, without);
                    loo[cases[i].Point] = Outcome(cases[i], held);
                }
            }
        }

        // Groups without points keep the start: the class prior when fitting from priors.
        var catalog = start.With(fitted.Values);
        var after = Evaluate(list, models, devices, catalog);
        var leaveOneOut = options.LeaveOneOut ? [.. before.Select(o => loo.TryGetValue(o.Point, out var held) ? held : o)] : ImmutableArray<CalibrationOutcome>.Empty;
        return new CalibrationFit(catalog, before, after, leaveOneOut, [.. groups]);
    }

    /// <summary>The catalog with every runtime's efficiencies replaced by the class priors, except those calibrated from local runs.</summary>
    private static RuntimeCatalog Priors(RuntimeCatalog runtimes) =>
        new(runtimes.Runtimes.Select(r => r with { Efficiencies = r.Efficiencies.ToImmutableDictionary(p => p.Key, p => IsLocallyCalibrated(p.Value) ? p.Value : RuntimeEfficiency.Prior(p.Key)) }), runtimes.Defaults, runtimes.VendorDefaults);

    /// <summary>Whether an efficiency was calibrated from local runs (<see cref="Calibrate"/>): the published-set fit keeps it, as it keeps any other measured fact.</summary>
    private static bool IsLocallyCalibrated(RuntimeEfficiency efficiency) => efficiency.Source.StartsWith("calibrated on ", StringComparison.Ordinal);

    /// <summary>The point's predicted value, in its metric's unit.</summary>
    internal static double PredictValue(CalibrationPoint point, Models.ModelSpec model, DeviceProfile device, RuntimeProfile runtime)
    {
        if (point.IsTraining)
        {
            var tp = Math.Max(1, point.TensorParallel);
            var training = new TrainingWorkload
            {
                Batch = point.Batch,
                SequenceLength = point.InputTokens,
                DataParallel = Math.Max(1, point.Devices / tp),
                TensorParallel = tp,
                ComputePrecision = point.Precision,
                Recomputation = point.Recomputation ? ActivationRecomputation.Full : ActivationRecomputation.None,
            };
            var step = ModelEstimator.EstimateTrainingStep(model, training, device, runtime);
            return point.Metric == CalibrationMetric.TrainingSequencesPerSecond
                ? (double)training.Batch * training.DataParallel / step.StepSeconds
                : step.TokensPerSecondPerDevice;
        }

        var prefillOnly = point.Metric is CalibrationMetric.PrefillTokensPerSecond or CalibrationMetric.SequencesPerSecond;
        var generated = prefillOnly ? 0 : point.Metric == CalibrationMetric.DecodeTokensPerSecond && point.GeneratedTokens == 0 ? 128 : point.GeneratedTokens;
        var workload = new InferenceWorkload
        {
            Batch = point.Batch,
            InputTokens = Math.Max(1, point.InputTokens),
            GeneratedTokens = model.Architecture.Kind == Models.ModelKind.Encoder ? 0 : generated,
            WeightPrecision = point.Precision,
            Devices = point.Devices,
            Layout = point.Layout,
        };
        if (ModelEstimator.RuntimeMismatch(runtime, model, workload, device) is { } problem)
        {
            throw new ArgumentException(problem.Message);
        }

        var p = ModelEstimator.EstimateAll(model, workload, device, runtime, default, out _, out _);
        return point.Metric switch
        {
            CalibrationMetric.LatencyMilliseconds => p.LatencySeconds * 1e3,
            CalibrationMetric.TimeToFirstTokenMilliseconds => (p.TimeToFirstTokenSeconds ?? p.LatencySeconds) * 1e3,
            CalibrationMetric.TimePerOutputTokenMilliseconds => (p.TimePerOutputTokenSeconds ?? p.LatencySeconds) * 1e3,
            CalibrationMetric.PrefillTokensPerSecond => (double)workload.Batch * workload.InputTokens / p.LatencySeconds,
            CalibrationMetric.DecodeTokensPerSecond => 1 / (p.TimePerOutputTokenSeconds ?? p.LatencySeconds),
            _ => p.ThroughputPerSecond,
        };
    }

    private static IEnumerable<IGrouping<(string Runtime, DeviceClass Class), CalibrationOutcome>> Group(IEnumerable<CalibrationOutcome> outcomes, DeviceCatalog devices) =>
        outcomes.Where(o => o.Predicted is not null)
            .GroupBy(o => (o.Point.Runtime.ToLowerInvariant(), devices.Get(o.Point.Device).Class))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2);

    private static FitCase Case(CalibrationPoint point, ModelCatalog models, DeviceCatalog devices) =>
        new(point, models.Get(point.Model), devices.Get(point.Device));

    /// <summary>The point predicted, or why it cannot be (a runtime that cannot run it, a model that cannot run the workload).</summary>
    private static CalibrationOutcome Outcome(FitCase c, RuntimeProfile runtime)
    {
        try
        {
            return new CalibrationOutcome(c.Point, PredictValue(c.Point, c.Model, c.Device, runtime), null);
        }
        catch (ArgumentException exception)
        {
            return new CalibrationOutcome(c.Point, null, exception.Message.Split(" (Parameter")[0]);
        }
    }

    private static RuntimeEfficiency FitGroup(List<FitCase> cases, RuntimeProfile runtime, DeviceClass deviceClass, RuntimeEfficiency start, double priorWeight, (double Low, double High)[]? bounds = null)
    {
        bounds ??= Bounds;
        var origin = Vector(start);
        double Loss(double[] v)
        {
            var sum = DataLoss(cases, WithEfficiency(runtime, deviceClass, FromVector(v, start.Source, bounds)));
            for (var k = 0; k < v.Length; k++)
            {
                var d = v[k] - origin[k];
                sum += priorWeight * PriorScale[k] * d * d;
            }

            return sum;
        }

        double[]? best = null;
        var bestLoss = double.PositiveInfinity;
        foreach (var order in SweepOrders)
        {
            var x = Descend((double[])origin.Clone(), order, Loss, bounds);
            var loss = Loss(x);
            if (loss < bestLoss)
            {
                (best, bestLoss) = (x, loss);
            }
        }

        return FromVector(best!, start.Source, bounds);
    }

    /// <summary>
    /// Σ ln²(predicted ÷ measured) over the cases — how well a profile meets the points, without the hold — or +∞ when
    /// the profile cannot predict one of them.
    /// </summary>
    private static double DataLoss(List<FitCase> cases, RuntimeProfile runtime)
    {
        var sum = 0.0;
        foreach (var c in cases)
        {
            double ratio;
            try
            {
                var predicted = PredictValue(c.Point, c.Model, c.Device, runtime);
                ratio = c.Point.IsRate ? c.Point.Value / predicted : predicted / c.Point.Value;
            }
            catch (ArgumentException)
            {
                return double.PositiveInfinity;
            }

            var log = Math.Log(ratio);
            sum += log * log;
        }

        return sum;
    }

    private static double[] Descend(double[] x, int[] order, Func<double[], double> Loss, (double Low, double High)[] bounds)
    {
        for (var sweep = 0; sweep < 6; sweep++)
        {
            foreach (var k in order)
            {
                var (low, high) = (Math.Log(bounds[k].Low), Math.Log(bounds[k].High));
                var best = x[k];
                var bestLoss = Loss(x);
                const int Grid = 16;
                for (var g = 0; g <= Grid; g++)
                {
                    x[k] = low + ((high - low) * g / Grid);
                    var loss = Loss(x);
                    if (loss < bestLoss)
                    {
                        (best, bestLoss) = (x[k], loss);
                    }
                }

                // Golden-section refinement within one grid step either side of the best.
                var step = (high - low) / Grid;
                double a = Math.Max(low, best - step), b = Math.Min(high, best + step);
                var phi = (Math.Sqrt(5) - 1) / 2;
                for (var iteration = 0; iteration < 24; iteration++)
                {
                    var c1 = b - (phi * (b - a));
                    var c2 = a + (phi * (b - a));
                    x[k] = c1;
                    var l1 = Loss(x);
                    x[k] = c2;
                    var l2 = Loss(x);
                    if (l1 < l2)
                    {
                        b = c2;
                    }
                    else
                    {
                        a = c1;
                    }
                }

                x[k] = (a + b) / 2;
                if (Loss(x) > bestLoss)
                {
                    x[k] = best;
                }
            }
        }

        return x;
    }


    private static double[] Vector(RuntimeEfficiency e) =>
    [
        Math.Log(e.ComputeEfficiency), Math.Log(Math.Max(1, e.HalfEfficiencyRows)), Math.Log(e.MemoryEfficiency), Math.Log(Math.Max(1e-7, e.LayerOverheadSeconds)),
        Math.Log(Math.Max(1e-6, e.CallOverheadSeconds)), Math.Log(e.QuantizedComputeFactor), Math.Log(Math.Max(0.2, e.QuantizedMemoryFactor)),
        Math.Log(Math.Max(1e-6, e.AllReduceLatencySeconds)), Math.Log(e.TrainingEfficiency), Math.Log(Math.Max(1e-7, e.HostLayerSeconds)),
    ];

    private static RuntimeEfficiency FromVector(double[] v, string source, (double Low, double High)[] bounds)
    {
        double At(int k) => Math.Clamp(Math.Exp(v[k]), bounds[k].Low, bounds[k].High);
        return new RuntimeEfficiency
        {
            ComputeEfficiency = At(0), HalfEfficiencyRows = At(1), MemoryEfficiency = At(2), LayerOverheadSeconds = At(3), CallOverheadSeconds = At(4),
            QuantizedComputeFactor = At(5), QuantizedMemoryFactor = At(6), AllReduceLatencySeconds = At(7), TrainingEfficiency = At(8), HostLayerSeconds = At(9), Source = source,
        };
    }

    /// <summary>Rounds to four significant digits, the precision the catalog records.</summary>
    private static RuntimeEfficiency Round(RuntimeEfficiency e)
    {
        static double R(double v) => double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return e with
        {
            ComputeEfficiency = R(e.ComputeEfficiency), HalfEfficiencyRows = R(e.HalfEfficiencyRows), MemoryEfficiency = R(e.MemoryEfficiency),
            LayerOverheadSeconds = R(e.LayerOverheadSeconds), CallOverheadSeconds = R(e.CallOverheadSeconds), QuantizedComputeFactor = R(e.QuantizedComputeFactor),
            QuantizedMemoryFactor = R(e.QuantizedMemoryFactor), AllReduceLatencySeconds = R(e.AllReduceLatencySeconds), TrainingEfficiency = R(e.TrainingEfficiency),
            HostLayerSeconds = R(e.HostLayerSeconds),
        };
    }

    private static RuntimeProfile WithEfficiency(RuntimeProfile runtime, DeviceClass deviceClass, RuntimeEfficiency efficiency) =>
        runtime with { Efficiencies = runtime.Efficiencies.SetItem(deviceClass, efficiency) };

    private sealed record FitCase(CalibrationPoint Point, Models.ModelSpec Model, DeviceProfile Device);
}
