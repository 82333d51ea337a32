using System.CommandLine;
using System.Globalization;
using System.Text;
using ModelSelection.Calibration;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Runtimes;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect accuracy [--fit] [--leave-one-out] [--write FILE] [--runtimes-out FILE] [--json]</c>: every
/// calibration point predicted and compared with its measurement; with <c>--fit</c> the runtime efficiencies are
/// fitted again from the class priors first (what regenerates <c>docs/accuracy.md</c> and <c>Catalog/runtimes.json</c>).
/// </summary>
internal sealed class AccuracyCommand : ICliCommand
{
    /// <inheritdoc/>
    /// <summary>The line after which docs/accuracy.md holds hand-written sections that --write keeps.</summary>
    internal const string KeptMarker = "<!-- Hand-written below this line: kept when the report is regenerated. -->";

    public Command Create(CliContext context)
    {
        var fit = new Option<bool>("--fit") { Description = "Fit the runtime efficiencies to the calibration set, starting from each device class's prior." };
        var leaveOneOut = new Option<bool>("--leave-one-out") { Description = "With --fit: refit each point's group without it and predict it (how the fit generalises; slower)." };
        var write = new Option<FileInfo?>("--write") { Description = "Write the report as Markdown to FILE (docs/accuracy.md).", HelpName = "FILE" };
        var runtimesOut = new Option<FileInfo?>("--runtimes-out") { Description = "With --fit: write the fitted runtime catalog as JSON to FILE (src/ModelSelection/Catalog/runtimes.json).", HelpName = "FILE" };
        var set = new Option<FileInfo?>("--set") { Description = "A calibration set in the built-in set's JSON format instead of the built-in one.", HelpName = "FILE" };
        var command = new Command("accuracy", "Compare estimates with published measurements (the calibration set), and refit the runtime efficiencies.");
        foreach (var option in new Option[] { fit, leaveOneOut, write, runtimesOut, set })
        {
            command.Options.Add(option);
        }

        CliRules.OnlyWith(command, leaveOneOut, fit, "there is nothing to leave out without a fit");
        CliRules.OnlyWith(command, runtimesOut, fit, "there is nothing to write without a fit");
        context.SetExamples(command, "modelselect accuracy", "modelselect accuracy --json", "modelselect accuracy --fit --leave-one-out --write docs/accuracy.md --runtimes-out src/ModelSelection/Catalog/runtimes.json");
        command.SetAction(async parseResult =>
        {
            var output = context.OutputFor(parseResult);
            var doFit = parseResult.GetValue(fit);
            var models = context.Get<ModelCatalog>(parseResult);
            var devices = context.Get<DeviceCatalog>(parseResult);
            var runtimes = context.Get<RuntimeCatalog>(parseResult);

            var points = parseResult.GetValue(set) is { } file
                ? CalibrationSet.FromJson(File.ReadAllText(file.FullName), file.Name)
                : CalibrationSet.BuiltIn;
            CalibrationFit? fitted = null;
            var outcomes = Calibrator.Evaluate(points.Points, models, devices, runtimes);
            if (doFit)
            {
                var options = new CalibrationOptions { LeaveOneOut = parseResult.GetValue(leaveOneOut) };
                fitted = await output.WithProgressAsync("Fitting the runtime efficiencies", progress => Task.Run(() => Calibrator.Fit(points.Points, models, devices, runtimes, options, progress))).ConfigureAwait(false);
                outcomes = fitted.After;
                if (parseResult.GetValue(runtimesOut) is { } target)
                {
                    File.WriteAllText(target.FullName, fitted.Runtimes.ToJson(RuntimesComment) + Environment.NewLine);
                    output.Error.WriteLine($"modelselect: wrote {target.FullName}");
                }
            }

            if (parseResult.GetValue(write) is { } report)
            {
                // Hand-written sections after the marker (the llama.cpp validation runs) survive a regeneration.
                var kept = File.Exists(report.FullName) && File.ReadAllText(report.FullName) is var old && old.IndexOf(KeptMarker, StringComparison.Ordinal) is var at and >= 0
                    ? Environment.NewLine + old[at..]
                    : string.Empty;
                File.WriteAllText(report.FullName, Markdown(outcomes, fitted).TrimEnd() + Environment.NewLine + kept);
                output.Error.WriteLine($"modelselect: wrote {report.FullName}");
            }

            if (output.Json)
            {
                output.WriteJson(new
                {
                    summary = Summary(CalibrationSummary.Of(outcomes)),
                    before = fitted is null ? null : Summary(CalibrationSummary.Of(fitted.Before)),
                    leaveOneOut = fitted is null || fitted.LeaveOneOut.IsEmpty ? null : Summary(CalibrationSummary.Of(fitted.LeaveOneOut)),
                    points = outcomes.Select(o => new
                    {
                        id = o.Point.Id,
                        runtime = o.Point.Runtime,
                        device = o.Point.Device,
                        model = o.Point.Model,
                        metric = CalibrationSet.MetricName(o.Point.Metric),
                        measured = o.Point.Value,
                        predicted = o.Predicted,
                        timeRatio = o.TimeRatio,
                        problem = o.Problem,
                    }).ToArray(),
                });
            }
            else
            {
                var s = CalibrationSummary.Of(outcomes);
                output.Out.WriteLine($"{s.Points} points predicted of {outcomes.Length}: median |error| {Percent(s.MedianAbsoluteError)}, {Percent(s.WithinThirtyFivePercent)} within ±35 %, geometric-mean time ratio {Number(s.GeometricMeanRatio)}, worst {Number(s.WorstRatio)}.");
                if (fitted is not null)
                {
                    var b = CalibrationSummary.Of(fitted.Before);
                    output.Out.WriteLine($"before the fit (class priors): median |error| {Percent(b.MedianAbsoluteError)}, {Percent(b.WithinThirtyFivePercent)} within ±35 %.");
                    if (!fitted.LeaveOneOut.IsEmpty)
                    {
                        var l = CalibrationSummary.Of(fitted.LeaveOneOut);
                        output.Out.WriteLine($"leave-one-out: median |error| {Percent(l.MedianAbsoluteError)}, {Percent(l.WithinThirtyFivePercent)} within ±35 %.");
                    }
                }

                foreach (var o in outcomes.Where(o => o.Problem is not null))
                {
                    output.Out.WriteLine($"not predicted: {o.Point.Id}: {o.Problem}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private const string RuntimesComment = "Built-in inference runtimes. Facts (formats, kinds, vendors, layouts, batching, memory policy) carry their sources; efficiencies are fitted to Catalog/calibration.json by `modelselect accuracy --fit --runtimes-out` (docs/accuracy.md); a class without points keeps its physical prior (docs/runtimes.md), and one calibrated from local runs (source \"calibrated on …\") keeps that calibration (docs/onnxruntime.md).";

    private static object Summary(CalibrationSummary s) => new
    {
        points = s.Points,
        medianAbsoluteError = s.MedianAbsoluteError,
        withinThirtyFivePercent = s.WithinThirtyFivePercent,
        geometricMeanRatio = s.GeometricMeanRatio,
        worstRatio = s.WorstRatio,
    };

    /// <summary>The accuracy report: the summary, the fitted groups, and every point.</summary>
    internal static string Markdown(IReadOnlyList<CalibrationOutcome> outcomes, CalibrationFit? fit)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Accuracy: estimates against published measurements");
        md.AppendLine();
        md.AppendLine("Generated by `dotnet run --project samples/ModelSelection.Samples.Console -c Release -- accuracy --fit --leave-one-out --write docs/accuracy.md --runtimes-out src/ModelSelection/Catalog/runtimes.json`; do not edit by hand.");
        md.AppendLine("The points and their sources are `src/ModelSelection/Catalog/calibration.json`; how they were chosen, and what was left out, is in [calibration.md](calibration.md); the model behind the predictions in [estimation.md](estimation.md#runtimes).");
        md.AppendLine();
        md.AppendLine("The ratio is predicted time ÷ measured time (for a rate, measured ÷ predicted): above 1 the estimate is slower than the run.");
        md.AppendLine();
        md.AppendLine("## Summary");
        md.AppendLine();
        md.AppendLine("| view | points | median \\|error\\| | within ±35 % | geometric-mean ratio | worst ratio |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        void Row(string name, CalibrationSummary s) => md.AppendLine(inv, $"| {name} | {s.Points} | {Percent(s.MedianAbsoluteError)} | {Percent(s.WithinThirtyFivePercent)} | {Number(s.GeometricMeanRatio)} | {Number(s.WorstRatio)} |");
        if (fit is not null)
        {
            Row("class priors, before the fit", CalibrationSummary.Of(fit.Before));
        }

        Row(fit is null ? "built-in efficiencies" : "fitted (all points)", CalibrationSummary.Of(outcomes));
        if (fit is { LeaveOneOut.IsEmpty: false })
        {
            Row("leave-one-out (each point predicted by a fit without it)", CalibrationSummary.Of(fit.LeaveOneOut));
        }

        md.AppendLine();
        md.AppendLine("By runtime (fitted):");
        md.AppendLine();
        md.AppendLine("| runtime | points | median \\|error\\| | within ±35 % | leave-one-out median \\|error\\| |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var g in outcomes.GroupBy(o => o.Point.Runtime).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var s = CalibrationSummary.Of(g);
            var loo = fit is { LeaveOneOut.IsEmpty: false } ? Percent(CalibrationSummary.Of(fit.LeaveOneOut.Where(o => o.Point.Runtime == g.Key)).MedianAbsoluteError) : "—";
            md.AppendLine(inv, $"| {g.Key} | {s.Points} | {Percent(s.MedianAbsoluteError)} | {Percent(s.WithinThirtyFivePercent)} | {loo} |");
        }

        if (fit is not null)
        {
            md.AppendLine();
            md.AppendLine("## Fitted efficiencies");
            md.AppendLine();
            md.AppendLine("η_c: large-GEMM compute efficiency; m½: GEMM rows at half of it; η_m: streaming efficiency; τ_host: the host's launch time per layer (overlapped); τ_layer, τ_call: the device's per-layer and per-step overheads; q_c, q_m: factors for block-quantised weights; α: all-reduce message latency; MFU: training efficiency. Prior in parentheses where the fit moved it by more than 5 %.");
            md.AppendLine();
            md.AppendLine("| runtime | class | points | η_c | m½ | η_m | τ_host µs | τ_layer µs | τ_call µs | q_c | q_m | α µs | MFU |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var g in fit.Groups)
            {
                string F(double fitted, double prior, double scale = 1, string format = "0.###") =>
                    (fitted * scale).ToString(format, inv) + (Math.Abs(Math.Log(fitted / prior)) > 0.05 ? $" ({(prior * scale).ToString(format, inv)})" : string.Empty);
                var (a, p) = (g.Fitted, g.Start);
                md.AppendLine(inv, $"| {g.Runtime} | {DeviceClasses.ToName(g.Class)} | {g.Points} | {F(a.ComputeEfficiency, p.ComputeEfficiency)} | {F(a.HalfEfficiencyRows, p.HalfEfficiencyRows, 1, "0")} | {F(a.MemoryEfficiency, p.MemoryEfficiency)} | {F(Math.Max(a.HostLayerSeconds, 1e-9), Math.Max(p.HostLayerSeconds, 1e-9), 1e6, "0.#")} | {F(a.LayerOverheadSeconds, p.LayerOverheadSeconds, 1e6, "0.#")} | {F(a.CallOverheadSeconds, p.CallOverheadSeconds, 1e6, "0")} | {F(a.QuantizedComputeFactor, p.QuantizedComputeFactor)} | {F(a.QuantizedMemoryFactor, p.QuantizedMemoryFactor)} | {F(a.AllReduceLatencySeconds, p.AllReduceLatencySeconds, 1e6, "0.#")} | {F(a.TrainingEfficiency, p.TrainingEfficiency)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Every point");
        md.AppendLine();
        md.AppendLine("| id | runtime | device | ×n | model | format | batch | in | out | metric | measured | predicted | ratio | leave-one-out ratio |");
        md.AppendLine("|---|---|---|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|");
        var held = fit is { LeaveOneOut.IsEmpty: false } ? fit.LeaveOneOut.ToDictionary(o => o.Point.Id, o => o.TimeRatio) : [];
        foreach (var o in outcomes)
        {
            var p = o.Point;
            var loo = held.TryGetValue(p.Id, out var r) && r is { } value ? Number(value) : "—";
            md.AppendLine(inv, $"| {p.Id} | {p.Runtime} | {p.Device} | {p.Devices} | {p.Model} | {p.Precision.Name} | {p.Batch} | {p.InputTokens} | {p.GeneratedTokens} | {CalibrationSet.MetricName(p.Metric)} | {Number(p.Value)} | {(o.Predicted is { } v ? Number(v) : "— " + o.Problem)} | {(o.TimeRatio is { } t ? Number(t) : "—")} | {loo} |");
        }

        return md.ToString();
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Number(double value) => value.ToString(value >= 100 ? "0" : value >= 10 ? "0.#" : "0.###", CultureInfo.InvariantCulture);
}
