using System.Globalization;
using ModelSelection.Comparison;
using ScottPlot;
using SkiaSharp;

namespace ModelSelection.Samples.Plots;

/// <summary>
/// Draws a comparison: per device, quality against latency (log scale) with every model a labelled point coloured by
/// size class, the region under the real-time budget shaded and the Pareto front drawn; and quality against size.
/// </summary>
public static class ComparisonPlot
{
    private static readonly Color Large = Color.FromHex("#C2410C");
    private static readonly Color Small = Color.FromHex("#0F766E");
    private static readonly Color Budget = Color.FromHex("#16A34A").WithAlpha(0.12);

    /// <summary>The width the figure is drawn at, in pixels (two panels a row).</summary>
    public const int Width = 1200;

    /// <summary>Writes the figure to <paramref name="path"/>: SVG for <c>.svg</c>, PNG for <c>.png</c>.</summary>
    /// <param name="result">The comparison.</param>
    /// <param name="path">The file; its extension picks the format.</param>
    /// <exception cref="ArgumentException">The extension is neither <c>.svg</c> nor <c>.png</c>.</exception>
    public static void Save(ComparisonResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not ".svg" and not ".png")
        {
            throw new ArgumentException($"--plot must name a .svg or .png file; was '{path}'.", nameof(path));
        }

        File.WriteAllBytes(path, extension == ".svg" ? System.Text.Encoding.UTF8.GetBytes(Svg(result)) : Png(result));
    }

    /// <summary>Draws the figure as a PNG, <see cref="Width"/> pixels wide.</summary>
    /// <param name="result">The comparison.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] Png(ComparisonResult result)
    {
        var (plot, height) = Figure(result);
        using var surface = SKSurface.Create(new SKImageInfo(Width, height));
        surface.Canvas.Clear(SKColors.White);
        plot.Render(surface.Canvas, new PixelRect(0, Width, height, 0));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Draws the figure as SVG, <see cref="Width"/> units wide.</summary>
    /// <param name="result">The comparison.</param>
    /// <returns>The SVG document.</returns>
    public static string Svg(ComparisonResult result)
    {
        var (plot, height) = Figure(result);
        using var stream = new MemoryStream();
        using (var managed = new SKManagedWStream(stream))
        {
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, height), managed);
            plot.Render(canvas, new PixelRect(0, Width, height, 0));
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static (Multiplot Plot, int Height) Figure(ComparisonResult result)
    {
        var devices = result.Rows[0].Devices;
        var panels = devices.Count + 1;
        var rows = (panels + 1) / 2;
        var figure = new Multiplot();
        figure.Subplots.RemoveAt(0);
        var benchmark = result.Rows.FirstOrDefault(r => r.Task == result.Request.Task)?.Benchmark;
        for (var d = 0; d < devices.Count; d++)
        {
            figure.Subplots.Add(LatencyPanel(result, d, benchmark));
        }

        figure.Subplots.Add(SizePanel(result, benchmark));
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, 2);
        return (figure, rows * 460);
    }

    /// <summary>Quality against log latency on one device: the budget shaded, the Pareto front of the scored models that fit.</summary>
    private static Plot LatencyPanel(ComparisonResult result, int device, string? benchmark)
    {
        var plot = new Plot();
        var figures = result.Rows.Select(r => (Row: r, Device: r.Devices[device])).ToList();
        var budgetMs = result.Request.LatencyBudget.TotalMilliseconds;
        var latencies = figures.Where(f => f.Device.LatencySeconds is not null).Select(f => f.Device.LatencySeconds!.Value * 1e3).Append(budgetMs).ToList();
        var (left, right) = (Math.Floor(Math.Log10(latencies.Min())), Math.Log10(latencies.Max()) + 0.1);
        var scored = figures.Where(f => f.Row.Benchmark == benchmark && f.Row.Score is not null).ToList();
        var unscored = figures.Where(f => !(f.Row.Benchmark == benchmark && f.Row.Score is not null)).OrderBy(f => f.Device.LatencySeconds ?? double.MaxValue).ToList();
        var (bottom, top, step) = Range(scored.Select(f => f.Row.Score!.Value).ToList(), unscored.Count);

        var span = plot.Add.HorizontalSpan(left, Math.Log10(budgetMs));
        span.FillStyle.Color = Budget;
        span.LineStyle.Width = 0;
        var line = plot.Add.VerticalLine(Math.Log10(budgetMs));
        line.LineColor = Color.FromHex("#16A34A");
        line.LinePattern = LinePattern.Dashed;
        var budgetLabel = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"budget {budgetMs:0.#} ms"), Math.Log10(budgetMs), top);
        budgetLabel.LabelFontSize = 11;
        budgetLabel.LabelFontColor = Color.FromHex("#15803D");
        budgetLabel.LabelAlignment = Alignment.UpperRight;
        budgetLabel.LabelOffsetX = -4;
        budgetLabel.LabelOffsetY = 4;

        // The Pareto front: scored models that fit, none faster and better.
        var front = scored.Where(f => f.Device.LatencySeconds is not null && f.Device.Fits)
            .Where(f => !scored.Any(g => g.Device.LatencySeconds is not null && g.Device.Fits && g.Device.LatencySeconds <= f.Device.LatencySeconds && g.Row.Score >= f.Row.Score && (g.Device.LatencySeconds < f.Device.LatencySeconds || g.Row.Score > f.Row.Score)))
            .OrderBy(f => f.Device.LatencySeconds).ToList();
        if (front.Count > 1)
        {
            var pareto = plot.Add.ScatterLine(front.Select(f => Math.Log10(f.Device.LatencySeconds!.Value * 1e3)).ToArray(), front.Select(f => f.Row.Score!.Value).ToArray());
            pareto.LineColor = Colors.Black.WithAlpha(0.45);
            pareto.LineWidth = 2;
            pareto.LinePattern = LinePattern.Dotted;
            var frontLabel = plot.Add.Text("Pareto front", Math.Log10(front[^1].Device.LatencySeconds!.Value * 1e3), front[^1].Row.Score!.Value);
            frontLabel.LabelFontSize = 10;
            frontLabel.LabelFontColor = Colors.DimGray;
            frontLabel.LabelAlignment = Alignment.LowerCenter;
            frontLabel.LabelOffsetY = -10;
        }

        foreach (var (row, figure) in figures)
        {
            var x = figure.LatencySeconds is { } s ? Math.Log10(s * 1e3) : right - 0.1;
            var hasScore = row.Benchmark == benchmark && row.Score is not null;
            var y = hasScore ? row.Score!.Value : bottom + (step * (1 + unscored.FindIndex(f => f.Row.ModelId == row.ModelId)));
            var marker = plot.Add.Marker(x, y);
            marker.Color = row.SizeClass == SizeClass.Large ? Large : Small;
            marker.Size = 11;
            marker.Shape = !figure.Fits ? MarkerShape.Eks : hasScore ? MarkerShape.FilledCircle : MarkerShape.OpenCircle;
            var label = plot.Add.Text(Short(row.ModelId), x, y);
            label.LabelFontSize = 11;
            label.LabelFontColor = marker.Color;
            label.LabelOffsetX = 7;
            label.LabelOffsetY = -7;
        }

        Separator(plot, unscored.Count, bottom, step, left, benchmark);

        var d = figures[0].Device;
        plot.Title($"{d.DeviceId} ({Devices.DeviceTiers.ToName(d.Tier)})", size: 14);
        plot.XLabel("latency of one request (log scale)", size: 12);
        plot.YLabel(benchmark ?? "score", size: 12);
        plot.Axes.Bottom.TickGenerator = LogTicks(v => v >= 1000 ? Math.Round(v / 1000, 3).ToString(CultureInfo.InvariantCulture) + " s" : v.ToString("G3", CultureInfo.InvariantCulture) + " ms");
        plot.Axes.SetLimits(left, right + 0.6, bottom, top);
        return plot;
    }

    /// <summary>Quality against parameters (log scale), every model labelled.</summary>
    private static Plot SizePanel(ComparisonResult result, string? benchmark)
    {
        var plot = new Plot();
        var scored = result.Rows.Where(r => r.Benchmark == benchmark && r.Score is not null).ToList();
        var unscored = result.Rows.Where(r => !(r.Benchmark == benchmark && r.Score is not null)).OrderBy(r => r.Parameters).ToList();
        var (bottom, top, step) = Range(scored.Select(r => r.Score!.Value).ToList(), unscored.Count);
        foreach (var row in result.Rows)
        {
            var hasScore = row.Benchmark == benchmark && row.Score is not null;
            var x = Math.Log10(row.Parameters / 1e6);
            var y = hasScore ? row.Score!.Value : bottom + (step * (1 + unscored.IndexOf(row)));
            var marker = plot.Add.Marker(x, y);
            marker.Color = row.SizeClass == SizeClass.Large ? Large : Small;
            marker.Size = 11;
            marker.Shape = hasScore ? MarkerShape.FilledCircle : MarkerShape.OpenCircle;
            var label = plot.Add.Text(Short(row.ModelId), x, y);
            label.LabelFontSize = 11;
            label.LabelFontColor = marker.Color;
            label.LabelOffsetX = 7;
            label.LabelOffsetY = -7;
        }

        var xs = result.Rows.Select(r => Math.Log10(r.Parameters / 1e6)).ToList();
        Separator(plot, unscored.Count, bottom, step, Math.Floor(xs.Min()), benchmark);
        plot.Title("quality against size", size: 14);
        plot.XLabel("parameters (log scale)", size: 12);
        plot.YLabel(benchmark ?? "score", size: 12);
        plot.Axes.Bottom.TickGenerator = LogTicks(v => v >= 1000 ? Math.Round(v / 1000, 3).ToString(CultureInfo.InvariantCulture) + "B" : v.ToString("G3", CultureInfo.InvariantCulture) + "M");
        plot.Axes.SetLimits(Math.Floor(xs.Min()), xs.Max() + 0.6, bottom, top);
        AddLegend(plot);
        return plot;
    }

    /// <summary>A line between the scored models and the rows of unscored ones below it, saying what the rows are.</summary>
    private static void Separator(Plot plot, int unscored, double bottom, double step, double left, string? benchmark)
    {
        if (unscored == 0)
        {
            return;
        }

        var y = bottom + (step * (unscored + 0.75));
        var line = plot.Add.HorizontalLine(y);
        line.LineColor = Colors.Gray.WithAlpha(0.6);
        line.LinePattern = LinePattern.Dashed;
        var note = plot.Add.Text($"below: no comparable {benchmark ?? "score"} (open circles)", left, y);
        note.LabelFontSize = 10;
        note.LabelFontColor = Colors.DimGray;
        note.LabelAlignment = Alignment.UpperLeft;
        note.LabelOffsetX = 4;
        note.LabelOffsetY = 2;
    }

    private static void AddLegend(Plot plot)
    {
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "large", MarkerShape = MarkerShape.FilledCircle, MarkerFillColor = Large, MarkerLineColor = Large, MarkerSize = 10 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "small", MarkerShape = MarkerShape.FilledCircle, MarkerFillColor = Small, MarkerLineColor = Small, MarkerSize = 10 });
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(Func<double, string> format) => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => format(Math.Pow(10, v)),
    };

    /// <summary>The score axis: the scores with room above, and below them one row per unscored model (open circles), so no two labels share a line.</summary>
    private static (double Bottom, double Top, double Step) Range(List<double> scores, int unscored)
    {
        var (low, high) = scores.Count > 0 ? (scores.Min(), scores.Max()) : (0.0, 1.0);
        var step = Math.Max((high - low) / 8, 0.5);
        return (low - (step * (unscored + 1.25)), high + (step * 1.5), step);
    }

    private static string Short(string id) => id[(id.LastIndexOf('/') + 1)..];
}
