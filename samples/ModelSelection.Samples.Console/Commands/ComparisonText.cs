using System.Globalization;
using ModelSelection.Comparison;
using ModelSelection.Devices;
using Spectre.Console;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>The readable form of a comparison: the five dimensions as tables, then the choice per tier.</summary>
internal static class ComparisonText
{
    public static void Write(CliOutput output, ComparisonResult result, string? plot)
    {
        var w = output.Out;
        var request = result.Request;
        var budgetMs = request.LatencyBudget.TotalMilliseconds;
        var benchmark = result.Rows.FirstOrDefault(r => r.Task == request.Task)?.Benchmark ?? "score";
        w.WriteLine(Invariant($"Large or small? {ModelTasks.ToName(request.Task)} of one {request.SequenceLength}-token request at {request.Precision.Name}, real-time budget {budgetMs:0.###} ms."));
        w.WriteLine();
        w.WriteLine("Performance, size, training time and compute per model:");
        var dimensions = CliTable.Create("model", "class", "score", ">params", ">weights", ">GFLOP", ">fine-tune", "pre-training (published)");
        foreach (var r in result.Rows)
        {
            var score = r.Score is { } s ? Invariant($"{s:0.##} {r.Benchmark}") : "— (" + (r.Benchmark ?? "none") + ")";
            var fineTune = r.FineTuningSeconds is { } ft ? Duration(ft) : "—";
            var pre = r.Pretraining is { } p ? string.Join(", ", new[] { p.Hardware, p.Days is { } days ? Invariant($"{days:0.##} days") : null, r.PretrainingComputeFlops is { } c ? Invariant($"≈{c:0.0e0} FLOP") : null }.Where(x => x is not null)) : null;
            dimensions.Row(r.ModelId, r.SizeClass.ToString().ToLowerInvariant(), score, Invariant($"{r.Parameters / 1e6:0.0}M"), UnitConversions.FormatBytes(r.WeightBytes), Invariant($"{r.ForwardFlops / 1e9:0.0}"), fineTune, string.IsNullOrEmpty(pre) ? "not published" : pre);
        }

        output.Write(dimensions);
        w.WriteLine(Invariant($"score: the task's default benchmark, with the precision's quality delta; — when the model has no comparable score of its own. fine-tune: {result.FineTuningJob}."));
        w.WriteLine();
        w.WriteLine(Invariant($"Latency of one request (✓ fits and within {budgetMs:0.###} ms):"));
        var devices = result.Rows[0].Devices;
        var latency = CliTable.Create([.. devices.Select(d => ">" + Head(d)).Prepend("model").Append("use cases (real-time tiers)")]);
        foreach (var r in result.Rows)
        {
            var cells = new List<string> { Markup.Escape(r.ModelId) };
            foreach (var d in r.Devices)
            {
                cells.Add(d.LatencySeconds is { } l
                    ? Markup.Escape(Duration(l)) + " " + CliTable.Verdict(d.MeetsBudget ? "✓" : "✗", d.MeetsBudget)
                    : CliTable.Verdict(d.Fits ? "— ✗" : "does not fit ✗", good: false));
            }

            cells.Add(Markup.Escape(r.RealTimeTiers.Count == 0 ? "none" : string.Join(", ", r.RealTimeTiers.Select(DeviceTiers.ToName))));
            latency.MarkupRow([.. cells]);
        }

        output.Write(latency);
        w.WriteLine(Invariant($"Chosen per device (highest {benchmark} within {budgetMs:0.###} ms):"));
        var choices = CliTable.Create("tier", "device", "choice");
        foreach (var c in result.Choices)
        {
            choices.MarkupRow(
                Markup.Escape(DeviceTiers.ToName(c.Tier)),
                Markup.Escape(c.DeviceId),
                c.ModelId is { } m ? CliTable.Verdict($"{m} ({c.SizeClass.ToString()!.ToLowerInvariant()})", good: true) : CliTable.Verdict("nothing fits", good: false));
        }

        output.Write(choices);
        if (plot is not null)
        {
            w.WriteLine($"Plot written to {plot}.");
            w.WriteLine();
        }

        w.WriteLine("Try: modelselect compare --device raspberry-pi-5-8gb --budget 50ms --plot compare.png, or --json for every figure with its note.");
    }

    private static string Head(DeviceFigures d) => $"{d.DeviceId} ({DeviceTiers.ToName(d.Tier)})";

    private static string Duration(double seconds) => seconds switch
    {
        < 1 => Invariant($"{seconds * 1e3:0.##} ms"),
        < 120 => Invariant($"{seconds:0.#} s"),
        < 7200 => Invariant($"{seconds / 60:0.#} min"),
        _ => Invariant($"{seconds / 3600:0.#} h"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
