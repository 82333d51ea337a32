using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using ModelSelection.Catalog;

namespace ModelSelection.Quality;

/// <summary>
/// The quality each weight format costs against 16-bit weights, with sources: what the selector subtracts from a
/// published score before it ranks a quantised candidate.
/// </summary>
/// <remarks>
/// <para>
/// The built-in table is embedded JSON (<c>Catalog/format-quality.json</c>; sources and derivations in
/// <c>docs/selection.md</c>). 16- and 32-bit floating point lose nothing. A format without an entry is treated as its
/// closest listed neighbour by bits per weight (same kind first, then the lossier), never as free. A request can override any delta per format or per
/// model and format (<see cref="SelectionRequest.QualityDeltas"/>).
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class FormatQualityDeltas
{
    private static readonly Lazy<FormatQualityDeltas> BuiltInTable = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, FormatQualityDelta> _byFormat;

    /// <summary>The delta of every known format, its own or its neighbour's, resolved once (the sort compares these often).</summary>
    private readonly FrozenDictionary<string, FormatQualityDelta> _resolved;

    /// <summary>Creates a table.</summary>
    /// <param name="deltas">One delta per format name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="deltas"/> or an entry is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A format is unknown or repeats, a retention is outside (0, 1], a ratio is below 1 or not finite, or a source is blank.</exception>
    public FormatQualityDeltas(IEnumerable<FormatQualityDelta> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var byFormat = new Dictionary<string, FormatQualityDelta>(StringComparer.OrdinalIgnoreCase);
        foreach (var delta in deltas)
        {
            ArgumentNullException.ThrowIfNull(delta, nameof(deltas));
            if (!NumericPrecision.TryParse(delta.Format, System.Globalization.CultureInfo.InvariantCulture, out var format))
            {
                throw new ArgumentException($"Format quality deltas must name known formats; '{delta.Format}' is not one.", nameof(deltas));
            }

            if (!(delta.Retention > 0 && delta.Retention <= 1) || !double.IsFinite(delta.PerplexityRatio) || delta.PerplexityRatio < 1)
            {
                throw new ArgumentException($"The quality delta of {format.Name} must retain a fraction in (0, 1] of a score and multiply perplexity by 1 or more; was {Internal.Guard.Show(delta.Retention)} and ×{Internal.Guard.Show(delta.PerplexityRatio)}.", nameof(deltas));
            }

            ArgumentException.ThrowIfNullOrWhiteSpace(delta.Source, nameof(deltas));
            if (!byFormat.TryAdd(format.Name, delta with { Format = format.Name }))
            {
                throw new ArgumentException($"Format quality deltas must name each format once; '{format.Name}' appears twice.", nameof(deltas));
            }
        }

        _byFormat = byFormat.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Deltas = [.. byFormat.Values.OrderBy(d => d.Format, StringComparer.Ordinal)];
        _resolved = NumericPrecision.All.ToFrozenDictionary(f => f.Name, Resolve, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the built-in table.</summary>
    public static FormatQualityDeltas BuiltIn => BuiltInTable.Value;

    /// <summary>Gets the deltas, ordered by format name.</summary>
    public ImmutableArray<FormatQualityDelta> Deltas { get; }

    /// <summary>Gets the delta of a format: its own entry, or for a format without one the entry of the listed format closest in bits per weight (fewer bits on a tie).</summary>
    /// <param name="format">The weight format.</param>
    /// <returns>The delta.</returns>
    public FormatQualityDelta For(NumericPrecision format) =>
        _resolved.TryGetValue(format.Name, out var delta) ? delta : Resolve(format);

    private FormatQualityDelta Resolve(NumericPrecision format)
    {
        if (_byFormat.TryGetValue(format.Name, out var delta))
        {
            return delta;
        }

        if (format.Kind == NumericPrecisionKind.FloatingPoint && format.BitsPerWeight >= 16)
        {
            return new FormatQualityDelta(format.Name, 1, 1, "16- and 32-bit floating point: the precision published scores are measured at.");
        }

        var nearest = Deltas
            .Select(d => (Delta: d, Format: NumericPrecision.Parse(d.Format, System.Globalization.CultureInfo.InvariantCulture)))
            .Where(d => d.Format.BitsPerWeight < 16)
            .OrderBy(d => Math.Abs(d.Format.BitsPerWeight - format.BitsPerWeight))
            .ThenBy(d => d.Format.Kind == format.Kind ? 0 : 1)
            .ThenBy(d => d.Delta.Retention)
            .ThenBy(d => d.Delta.Format, StringComparer.Ordinal)
            .Select(d => d.Delta)
            .FirstOrDefault();
        return nearest is null
            ? new FormatQualityDelta(format.Name, 1, 1, "no quantised format is listed")
            : nearest with { Format = format.Name, Source = $"no entry of its own: taken from {nearest.Format}, the closest listed format in bits per weight ({nearest.Source})" };
    }

    private static FormatQualityDeltas LoadBuiltIn()
    {
        using var stream = typeof(FormatQualityDeltas).Assembly.GetManifestResourceStream("ModelSelection.Catalog.format-quality.json")
            ?? throw new InvalidOperationException("The built-in format quality resource 'ModelSelection.Catalog.format-quality.json' is missing from the assembly.");
        var document = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.FormatQualityDocument)
            ?? throw new InvalidOperationException("The built-in format quality table is empty.");
        return new FormatQualityDeltas(document.Formats ?? []);
    }
}
