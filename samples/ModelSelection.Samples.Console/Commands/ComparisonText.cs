using System.Globalization;
using ModelSelection.Comparison;
using ModelSelection.Devices;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>The readable form of a comparison: the five dimensions as tables, then the choice per tier.</summary>
internal static class ComparisonText
{
    public static void Write(TextWriter w, ComparisonResult result, string? plot)
    {
        var request = result.Request;
        var budgetMs = request.LatencyBudget.TotalMilliseconds;
        var benchmark = result.Rows.FirstOrDefault(r => r.Task == request.Task)?.Benchmark ?? "score";
        w.WriteLine(Invariant($"Large or small? {ModelTasks.ToName(request.Task)} of one {request.SequenceLength}-token request at {request.Precision.Name}, real-time budget {budgetMs:0.###} ms."));
        w.WriteLine();
        w.WriteLine("Performance, size, training time and compute per model:");
        w.WriteLine($"  {"model",-38} {"class",-6} {"score",-24} {"params",9} {"weights",10} {"GFLOP",8} {"fine-tune",10}  pre-training (published)");
        foreach (var r in result.Rows)
        {
            var score = r.Score is { } s ? Invariant($"{s:0.##} {r.Benchmark}") : "— (" + (r.Benchmark ?? "none") + ")";
            var fineTune = r.FineTuningSeconds is { } ft ? Duration(ft) : "—";
            var pre = r.Pretraining is { } p ? string.Join(", ", new[] { p.Hardware, p.Days is { } days ? Invariant($"{days:0.##} days") : null, r.PretrainingComputeFlops is { } c ? Invariant($"≈{c:0.0e0} FLOP") : null }.Where(x => x is not null)) : null;
            w.WriteLine(Invariant($"  {r.ModelId,-38} {r.SizeClass.ToString().ToLowerInvariant(),-6} {score,-24} {r.Parameters / 1e6,8:0.0}M {UnitConversions.FormatBytes(r.WeightBytes),10} {r.ForwardFlops / 1e9,8:0.0} {fineTune,10}  {(string.IsNullOrEmpty(pre) ? "not published" : pre)}"));
        }

        w.WriteLine(Invariant($"  score: the task's default benchmark, with the precision's quality delta; — when the model has no comparable score of its own. fine-tune: {result.FineTuningJob}."));
        w.WriteLine();
        w.WriteLine(Invariant($"Latency of one request (✓ fits and within {budgetMs:0.###} ms):"));
        var devices = result.Rows[0].Devices;
        w.Write($"  {"model",-38}");
        foreach (var d in devices)
        {
            w.Write($" {Head(d),22}");
        }

        w.WriteLine("  use cases (real-time tiers)");
        foreach (var r in result.Rows)
        {
            w.Write($"  {r.ModelId,-38}");
            foreach (var d in r.Devices)
            {
                var cell = d.LatencySeconds is { } l ? Duration(l) + (d.MeetsBudget ? " ✓" : " ✗") : d.Fits ? "— ✗" : "does not fit ✗";
                w.Write($" {cell,22}");
            }

            w.WriteLine("  " + (r.RealTimeTiers.Count == 0 ? "none" : string.Join(", ", r.RealTimeTiers.Select(DeviceTiers.ToName))));
        }

        w.WriteLine();
        w.WriteLine(Invariant($"Chosen per device (highest {benchmark} within {budgetMs:0.###} ms):"));
        foreach (var c in result.Choices)
        {
            w.WriteLine(Invariant($"  {DeviceTiers.ToName(c.Tier),-9} {c.DeviceId,-30} {(c.ModelId is { } m ? $"{m} ({c.SizeClass.ToString()!.ToLowerInvariant()})" : "nothing fits")}"));
        }

        if (plot is not null)
        {
            w.WriteLine();
            w.WriteLine($"Plot written to {plot}.");
        }

        w.WriteLine();
        w.WriteLine("Try: modelselect compare --device raspberry-pi-5-8gb --budget 50ms --plot compare.png, or --json for every figure with its note.");
    }

    private static string Head(DeviceFigures d) => $"{d.DeviceId[..Math.Min(d.DeviceId.Length, 14)]} ({DeviceTiers.ToName(d.Tier)})";

    private static string Duration(double seconds) => seconds switch
    {
        < 1 => Invariant($"{seconds * 1e3:0.##} ms"),
        < 120 => Invariant($"{seconds:0.#} s"),
        < 7200 => Invariant($"{seconds / 60:0.#} min"),
        _ => Invariant($"{seconds / 3600:0.#} h"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
