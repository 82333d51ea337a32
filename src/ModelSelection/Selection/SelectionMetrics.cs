using System.Diagnostics.Metrics;

namespace ModelSelection.Selection;

/// <summary>The <c>ModelSelection</c> meter: selections counted by outcome, and their duration.</summary>
internal static class SelectionMetrics
{
    public const string MeterName = "ModelSelection";

    private static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> Selections = Meter.CreateCounter<long>("modelselection.selections", "{selection}", "Selections made.");

    public static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("modelselection.outcomes", "{selection}", "Selections by outcome: chosen, none, best-effort.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("modelselection.duration", "ms", "Time to select, in milliseconds.");
}
