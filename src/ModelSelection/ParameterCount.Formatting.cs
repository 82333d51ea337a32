using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ModelSelection.Internal;

namespace ModelSelection;

public readonly partial struct ParameterCount : ISpanFormattable, IParsable<ParameterCount>
{
    private static readonly string[] UnitWords = ["parameters", "parameter", "params", "param"];

    /// <summary>Formats the count short, e.g. <c>7.24B</c> or <c>109M</c>, in the current culture.</summary>
    /// <returns>The short form (format <c>G</c>).</returns>
    public override string ToString() => ToString(null, null);

    /// <summary>Formats the count.</summary>
    /// <param name="format">
    /// <c>G</c> or empty (default): short with at most three significant digits and a scale letter — <c>7.24B</c>,
    /// <c>109M</c>, <c>66.4M</c>, <c>512</c>; <c>G1</c>…<c>G15</c> choose the significant digits (<c>G6</c>:
    /// <c>6.73842B</c>). <c>N</c>: every digit with the culture's group separator — <c>66,362,880</c> (invariant),
    /// <c>66.362.880</c> (de-DE). <c>D</c>: every digit, no separators — <c>66362880</c>. The scale letters are
    /// K (10³), M (10⁶), B (10⁹) and T (10¹²).
    /// </param>
    /// <param name="formatProvider">The culture for the decimal and group separators; <see langword="null"/> for the current culture.</param>
    /// <returns>The formatted count.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not one of the formats above.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (!QuantityText.TryReadFormat(format, 3, out var letter, out var digits))
        {
            throw new FormatException($"Parameter count format must be G, G1 to G15, N or D; was '{format}'.");
        }

        return letter switch
        {
            'G' => QuantityText.FormatShortCount(_count, digits, formatProvider),
            'N' when format!.Length == 1 => _count.ToString("N0", formatProvider),
            'D' when format!.Length == 1 => _count.ToString("D", CultureInfo.InvariantCulture),
            _ => throw new FormatException($"Parameter count format must be G, G1 to G15, N or D; was '{format}'."),
        };
    }

    /// <summary>Formats into a span: writes the text <see cref="ToString(string?, IFormatProvider?)"/> returns.</summary>
    /// <param name="destination">The span to write to.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">The format; see <see cref="ToString(string?, IFormatProvider?)"/>.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns><see langword="true"/> when the text fitted in <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SpanFormatting.TryCopy(ToString(format.IsEmpty ? null : format.ToString(), provider), destination, out charsWritten);

    /// <summary>
    /// Parses a count: <c>340M</c>, <c>7.24B</c>, <c>1.5T</c>, <c>66,362,880</c>, <c>14.5 million</c>, <c>110M parameters</c>.
    /// </summary>
    /// <param name="s">
    /// The text: a number in the culture of <paramref name="provider"/> (group separators and exponents allowed), an
    /// optional scale (K, M, B, T — also lower case —, thousand, million, billion, trillion, mn, bn, tn) and an
    /// optional unit word (parameters, params). A scaled value rounds to the nearest whole parameter; an unscaled
    /// one must be whole.
    /// </param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a count between 0 and 10¹⁵.</exception>
    public static ParameterCount Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var result, out var error)
            ? result
            : throw new FormatException($"'{s}' is not a valid parameter count: {error}.");
    }

    /// <summary>Parses a count in the current culture, as <see cref="ToString()"/> formats it.</summary>
    /// <param name="s">The text; see <see cref="Parse(string, IFormatProvider?)"/>.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a count between 0 and 10¹⁵.</exception>
    public static ParameterCount Parse(string s) => Parse(s, CultureInfo.CurrentCulture);

    /// <summary>Tries to parse a count; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <param name="result">The count, or <see cref="Zero"/> when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> was a valid count.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ParameterCount result) =>
        TryParse(s, provider, out result, out _);

    private static bool TryParse(string? s, IFormatProvider? provider, out ParameterCount result, out string? error)
    {
        var ok = QuantityText.TryParseCountText(s, UnitWords, provider, MaxCount, out var count, out error);
        result = ok ? new ParameterCount(count) : Zero;
        return ok;
    }
}
