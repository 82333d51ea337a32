using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ModelSelection.Selection;

/// <summary>
/// The selector's telemetry: the <c>ModelSelection</c> meter (from the app's <see cref="IMeterFactory"/> when it has
/// one, so its metrics are scoped to the app's container) with one counter of selections tagged by outcome,
/// objective, device class and size class and a duration histogram in seconds; and the <c>ModelSelection</c>
/// activity source, one span per selection.
/// </summary>
internal sealed class SelectionMetrics
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "ModelSelection";

    /// <summary>The package version the meter and source report.</summary>
    public static readonly string Version = typeof(SelectionMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(SelectionMetrics).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>The activity source of every selector: a span <c>modelselection.select</c> per selection.</summary>
    public static readonly ActivitySource Source = new(Name, Version);

    private static readonly Lazy<SelectionMetrics> Shared = new(() => new SelectionMetrics(new Meter(Name, Version)));

    private SelectionMetrics(Meter meter)
    {
        Selections = meter.CreateCounter<long>("modelselection.selections", "{selection}", "Selections made, by outcome (chosen, none, best-effort), objective, the choice's device class and size class.");
        Duration = meter.CreateHistogram<double>("modelselection.selection.duration", "s", "Time to select, in seconds.");
    }

    /// <summary>Gets the counter of selections.</summary>
    public Counter<long> Selections { get; }

    /// <summary>Gets the histogram of selection durations in seconds.</summary>
    public Histogram<double> Duration { get; }

    /// <summary>The instruments on the app's meter factory, or on a process-wide meter without one.</summary>
    public static SelectionMetrics For(IMeterFactory? factory) => factory is null ? Shared.Value : new SelectionMetrics(factory.Create(new MeterOptions(Name) { Version = Version }));
}
