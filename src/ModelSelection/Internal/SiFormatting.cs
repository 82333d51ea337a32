using System.Globalization;

namespace ModelSelection.Internal;

/// <summary>Formatting and parsing of FLOP amounts with SI prefixes, shared by the FLOP quantities.</summary>
internal static class SiFormatting
{
    /// <summary>Formats <paramref name="value"/> with format <c>G</c>, <c>G1</c>…<c>G15</c> or <c>R</c>.</summary>
    public static string Format(double value, string? format, string unit, string what, IFormatProvider? provider)
    {
        if (!QuantityText.TryReadFormat(format, 4, out var letter, out var digits))
        {
            throw new FormatException($"{what} format must be G, G1 to G15 or R; was '{format}'.");
        }

        return letter switch
        {
            'G' => QuantityText.FormatSi(value, digits, unit, provider),
            'R' when format!.Length == 1 => value.ToString("R", provider) + " " + unit,
            _ => throw new FormatException($"{what} format must be G, G1 to G15 or R; was '{format}'."),
        };
    }

    /// <summary>Parses a number, an optional SI prefix and an optional unit from <paramref name="units"/>.</summary>
    public static bool TryParse(string? text, ReadOnlySpan<string> units, IFormatProvider? provider, out double value, out string? error)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the text is empty";
            return false;
        }

        QuantityText.Split(text, out var number, out var suffix);
        var prefix = QuantityText.StripUnit(suffix, units);
        return QuantityText.TryParseSi(number, prefix, provider ?? CultureInfo.CurrentCulture, out value, out error);
    }
}
