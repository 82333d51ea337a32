using System.Globalization;

namespace ModelSelection.Internal;

/// <summary>
/// Parsing and formatting shared by the quantities: a number (culture-aware), then an optional scale
/// (<c>K</c>, <c>M</c>, <c>B</c>, <c>T</c>, <c>million</c>, … for counts; SI prefixes for FLOPs), then an optional unit.
/// </summary>
internal static class QuantityText
{
    private static readonly (string Word, long Multiplier)[] CountScales =
    [
        ("k", 1_000L), ("K", 1_000L), ("thousand", 1_000L),
        ("m", 1_000_000L), ("M", 1_000_000L), ("mn", 1_000_000L), ("million", 1_000_000L), ("millions", 1_000_000L),
        ("b", 1_000_000_000L), ("B", 1_000_000_000L), ("bn", 1_000_000_000L), ("billion", 1_000_000_000L), ("billions", 1_000_000_000L),
        ("t", 1_000_000_000_000L), ("T", 1_000_000_000_000L), ("tn", 1_000_000_000_000L), ("trillion", 1_000_000_000_000L), ("trillions", 1_000_000_000_000L),
    ];

    private static readonly (char Prefix, double Multiplier)[] SiPrefixes =
    [
        ('k', 1e3), ('K', 1e3), ('M', 1e6), ('G', 1e9), ('T', 1e12), ('P', 1e15), ('E', 1e18), ('Z', 1e21), ('Y', 1e24),
    ];

    private static readonly (string Symbol, decimal Multiplier)[] ShortCountSymbols =
    [
        ("T", 1_000_000_000_000m), ("B", 1_000_000_000m), ("M", 1_000_000m), ("K", 1_000m),
    ];

    private static readonly (string Symbol, double Multiplier)[] ShortSiSymbols =
    [
        ("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3),
    ];

    /// <summary>
    /// Splits trimmed text into its numeric head and its alphabetic tail (scale and unit): <c>"22.35 GFLOP"</c> gives
    /// <c>"22.35"</c> and <c>"GFLOP"</c>; <c>"1.4T tokens"</c> gives <c>"1.4"</c> and <c>"T tokens"</c>.
    /// </summary>
    public static void Split(ReadOnlySpan<char> text, out ReadOnlySpan<char> number, out ReadOnlySpan<char> suffix)
    {
        text = text.Trim();
        var i = text.Length;
        while (i > 0 && (char.IsLetter(text[i - 1]) || text[i - 1] == '/' || char.IsWhiteSpace(text[i - 1]) || text[i - 1] == '.'))
        {
            // A '.' belongs to the suffix only when a letter follows it (an abbreviation); "1." stays numeric.
            if (text[i - 1] == '.' && (i == text.Length || !char.IsLetter(text[i])))
            {
                break;
            }

            i--;
        }

        // A trailing exponent marker belongs to the number only when digits follow, which the loop never sees.
        number = text[..i].TrimEnd();
        suffix = text[i..].Trim();
    }

    /// <summary>Removes a trailing unit word (any of <paramref name="units"/>, ignoring case) from <paramref name="suffix"/>.</summary>
    public static ReadOnlySpan<char> StripUnit(ReadOnlySpan<char> suffix, ReadOnlySpan<string> units, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        foreach (var unit in units)
        {
            if (suffix.EndsWith(unit, comparison))
            {
                return suffix[..^unit.Length].TrimEnd();
            }
        }

        return suffix;
    }

    /// <summary>Looks up a count scale word (<c>K</c>, <c>M</c>, <c>B</c>, <c>T</c>, <c>million</c>, …); empty is 1.</summary>
    public static bool TryGetCountScale(ReadOnlySpan<char> word, out long multiplier)
    {
        if (word.IsEmpty)
        {
            multiplier = 1;
            return true;
        }

        foreach (var (scaleWord, scale) in CountScales)
        {
            var comparison = scaleWord.Length == 1 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            if (word.Equals(scaleWord, comparison))
            {
                multiplier = scale;
                return true;
            }
        }

        multiplier = 0;
        return false;
    }

    /// <summary>Looks up an SI prefix (<c>k</c> … <c>Y</c>; case-sensitive but for kilo); empty is 1.</summary>
    public static bool TryGetSiPrefix(ReadOnlySpan<char> prefix, out double multiplier)
    {
        if (prefix.IsEmpty)
        {
            multiplier = 1;
            return true;
        }

        if (prefix.Length == 1)
        {
            foreach (var (symbol, scale) in SiPrefixes)
            {
                if (prefix[0] == symbol)
                {
                    multiplier = scale;
                    return true;
                }
            }
        }

        multiplier = 0;
        return false;
    }

    /// <summary>Parses a decimal number in the provider's culture (group separators where the culture puts them, and an exponent).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> number, IFormatProvider? provider, out decimal value)
    {
        var culture = provider ?? CultureInfo.CurrentCulture;
        value = 0;
        return GroupingIsValid(number, NumberFormatInfo.GetInstance(culture))
            && decimal.TryParse(number, NumberStyles.Number | NumberStyles.AllowExponent, culture, out value);
    }

    /// <summary>Parses a floating-point number in the provider's culture (group separators where the culture puts them, and an exponent).</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> number, IFormatProvider? provider, out double value)
    {
        var culture = provider ?? CultureInfo.CurrentCulture;
        value = 0;
        return GroupingIsValid(number, NumberFormatInfo.GetInstance(culture))
            && double.TryParse(number, NumberStyles.Float | NumberStyles.AllowThousands, culture, out value)
            && double.IsFinite(value);
    }

    /// <summary>
    /// Whether group separators sit only where the culture puts them: in the integer part, between groups of the
    /// culture's sizes (3 in most cultures), the first group 1 to that size without a leading zero. So "3.5" is not
    /// 35 in de-DE, and "0,001" is not 1 in the invariant culture.
    /// </summary>
    private static bool GroupingIsValid(ReadOnlySpan<char> number, NumberFormatInfo format)
    {
        var separator = format.NumberGroupSeparator;
        if (separator.Length == 0 || number.IndexOf(separator, StringComparison.Ordinal) < 0)
        {
            return true;
        }

        var end = number.Length;
        var point = number.IndexOf(format.NumberDecimalSeparator, StringComparison.Ordinal);
        if (point >= 0)
        {
            end = point;
        }

        var exponent = number.IndexOfAny('e', 'E');
        if (exponent >= 0 && exponent < end)
        {
            end = exponent;
        }

        if (number[end..].IndexOf(separator, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var integer = number[..end].Trim();
        if (integer.StartsWith(format.NegativeSign, StringComparison.Ordinal) || integer.StartsWith(format.PositiveSign, StringComparison.Ordinal))
        {
            integer = integer[(integer[0] == format.NegativeSign[0] ? format.NegativeSign.Length : format.PositiveSign.Length)..];
        }

        var sizes = format.NumberGroupSizes is { Length: > 0 } s && s[0] > 0 ? s : [3];
        var group = 0;
        while (true)
        {
            var at = integer.LastIndexOf(separator, StringComparison.Ordinal);
            var part = at < 0 ? integer : integer[(at + separator.Length)..];
            var size = sizes[Math.Min(group, sizes.Length - 1)];
            if (at < 0)
            {
                // The leading group: 1 to size digits, no leading zero (group > 0 here: a separator was seen).
                return part.Length >= 1 && part.Length <= size && part[0] != '0' && IsDigits(part);
            }

            if (part.Length != size || !IsDigits(part))
            {
                return false;
            }

            integer = integer[..at];
            group++;
            if (size == 0)
            {
                return false;
            }
        }
    }

    /// <summary>Whether a digit 1–9 appears before any exponent (the number is not zero, however small).</summary>
    private static bool HasNonZeroMantissa(ReadOnlySpan<char> number)
    {
        var exponent = number.IndexOfAny('e', 'E');
        foreach (var c in exponent >= 0 ? number[..exponent] : number)
        {
            if (c is >= '1' and <= '9')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Parses a count such as <c>340M</c>, <c>7.24B</c>, <c>66,362,880</c> or <c>14.5 million</c> (after any unit was stripped).
    /// A scaled value rounds to the nearest whole number; an unscaled one must be whole.
    /// </summary>
    public static bool TryParseCount(ReadOnlySpan<char> number, ReadOnlySpan<char> scaleWord, IFormatProvider? provider, long max, out long value, out string? error)
    {
        value = 0;
        if (number.IsEmpty)
        {
            error = "no number was found";
            return false;
        }

        if (!TryGetCountScale(scaleWord, out var multiplier))
        {
            error = $"'{scaleWord.ToString()}' is not a known scale (use K, M, B, T, thousand, million, billion or trillion)";
            return false;
        }

        if (!TryParseDecimal(number, provider, out var parsed))
        {
            error = TryParseDouble(number, provider, out _)
                ? $"the value must be between 0 and {Guard.Show((double)max)}"
                : $"'{number.ToString()}' is not a number in the culture '{CultureName(provider)}'";
            return false;
        }

        if (parsed < 0)
        {
            error = $"the value must be between 0 and {Guard.Show((double)max)}";
            return false;
        }

        if (multiplier == 1 && decimal.Truncate(parsed) != parsed)
        {
            error = "a count without a scale must be a whole number";
            return false;
        }

        if (parsed == 0 && HasNonZeroMantissa(number))
        {
            // 5e-324 is not zero: it underflowed the decimal, and it is not a whole number either.
            error = "a count without a scale must be a whole number";
            return false;
        }

        decimal scaled;
        try
        {
            scaled = decimal.Round(parsed * multiplier, MidpointRounding.AwayFromZero);
        }
        catch (OverflowException)
        {
            error = $"the value must be between 0 and {Guard.Show((double)max)}";
            return false;
        }

        if (scaled > max)
        {
            error = $"the value must be between 0 and {Guard.Show((double)max)}";
            return false;
        }

        value = (long)scaled;
        error = null;
        return true;
    }

    /// <summary>Parses whole text as a count: number, optional scale, optional unit from <paramref name="units"/>.</summary>
    public static bool TryParseCountText(string? text, ReadOnlySpan<string> units, IFormatProvider? provider, long max, out long value, out string? error)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the text is empty";
            return false;
        }

        Split(text, out var number, out var suffix);
        return TryParseCount(number, StripUnit(suffix, units), provider, max, out value, out error);
    }

    /// <summary>
    /// Parses a non-negative finite amount with an optional SI prefix (<c>22.35 G</c>, <c>1e21</c>, <c>312 T</c>).
    /// </summary>
    public static bool TryParseSi(ReadOnlySpan<char> number, ReadOnlySpan<char> prefix, IFormatProvider? provider, out double value, out string? error)
    {
        value = 0;
        if (number.IsEmpty)
        {
            error = "no number was found";
            return false;
        }

        if (!TryGetSiPrefix(prefix, out var multiplier))
        {
            error = $"'{prefix.ToString()}' is not a known SI prefix (use k, M, G, T, P, E, Z or Y)";
            return false;
        }

        if (!TryParseDouble(number, provider, out var parsed))
        {
            error = $"'{number.ToString()}' is not a finite number in the culture '{CultureName(provider)}'";
            return false;
        }

        var scaled = parsed * multiplier;
        if (!double.IsFinite(scaled) || scaled < 0)
        {
            error = "the value must be a finite number that is 0 or more";
            return false;
        }

        value = scaled;
        error = null;
        return true;
    }

    /// <summary>Formats a count short: <c>7.24B</c>, <c>109M</c>, <c>512</c>, with at most <paramref name="significantDigits"/> digits.</summary>
    public static string FormatShortCount(long value, int significantDigits, IFormatProvider? provider)
    {
        if (value < 1_000)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        decimal exact = value;
        for (var i = ShortCountSymbols.Length - 1; i >= 0; i--)
        {
            // Walk from the smallest scale up; take the first where the rounded mantissa stays below 1000.
            var (symbol, multiplier) = ShortCountSymbols[i];
            var mantissa = RoundSignificant(exact / multiplier, significantDigits);
            if (mantissa < 1_000m || i == 0)
            {
                return mantissa.ToString("0.############", provider) + symbol;
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Formats an amount with an SI prefix (<c>22.35 G</c>), or in scientific notation from 10¹⁸ up.</summary>
    public static string FormatSi(double value, int significantDigits, string unit, IFormatProvider? provider)
    {
        if (value == 0)
        {
            return "0 " + unit;
        }

        if (value >= 1e-3 && value < 1_000)
        {
            var rounded = RoundSignificant(value, significantDigits);
            if (rounded < 1_000)
            {
                return rounded.ToString("0.###############", provider) + " " + unit;
            }
        }

        for (var i = ShortSiSymbols.Length - 1; i >= 0 && value >= 1e-3; i--)
        {
            var (symbol, multiplier) = ShortSiSymbols[i];
            var mantissa = RoundSignificant(value / multiplier, significantDigits);
            if (mantissa < 1_000)
            {
                return mantissa.ToString("0.############", provider) + " " + symbol + unit;
            }
        }

        // 10^18 and more, or below 10^-3: scientific notation, e.g. 5.76e23. Subnormal values are scaled in two steps
        // (10^-324 is 0 in a double); a mantissa that rounds up past double.MaxValue is cut instead, so the text parses
        // back; the exponent is written with the culture's own signs, which is what its parser reads.
        var exponent = (int)Math.Floor(Math.Log10(value));
        var scaled = exponent < -290 ? value * 1e300 / Math.Pow(10, exponent + 300) : value / Math.Pow(10, exponent);
        if (scaled < 1)
        {
            scaled *= 10;
            exponent--;
        }

        var sci = RoundSignificant(scaled, significantDigits);
        if (sci >= 10)
        {
            sci /= 10;
            exponent++;
        }

        if (exponent >= 308 && sci * 1e308 > double.MaxValue)
        {
            var step = Math.Pow(10, Math.Clamp(significantDigits - 1, 0, 15));
            sci = Math.Floor(scaled * step) / step;
        }

        return sci.ToString("0.############", provider) + "e" + exponent.ToString(provider) + " " + unit;
    }

    /// <summary>Parses a standard format string of the form <c>G</c>, <c>G5</c>: returns the letter and the digits (or the default).</summary>
    public static bool TryReadFormat(string? format, int defaultDigits, out char letter, out int digits)
    {
        letter = 'G';
        digits = defaultDigits;
        if (string.IsNullOrEmpty(format))
        {
            return true;
        }

        letter = char.ToUpperInvariant(format[0]);
        if (format.Length == 1)
        {
            return true;
        }

        return int.TryParse(format.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out digits) && digits is >= 1 and <= 15;
    }

    private static decimal RoundSignificant(decimal value, int digits)
    {
        if (value == 0)
        {
            return 0;
        }

        var integerDigits = 0;
        for (var v = decimal.Truncate(value); v >= 1; v /= 10)
        {
            integerDigits++;
            v = decimal.Truncate(v);
        }

        var decimals = Math.Max(0, digits - integerDigits);
        if (integerDigits == 0)
        {
            // 0.0xyz: count leading zeros after the point.
            var v = value;
            while (v < 0.1m)
            {
                v *= 10;
                decimals++;
            }
        }

        return decimal.Round(value, Math.Min(decimals, 28), MidpointRounding.AwayFromZero);
    }

    private static double RoundSignificant(double value, int digits)
    {
        // Digits before the point: 3 for 312, 1 for 7.2, −2 for 0.0049 (two zeros after the point).
        var integerDigits = (int)Math.Floor(Math.Log10(value)) + 1;
        var decimals = Math.Clamp(digits - integerDigits, 0, 15);
        return Math.Round(value, decimals, MidpointRounding.AwayFromZero);
    }

    private static string CultureName(IFormatProvider? provider) =>
        (provider as CultureInfo ?? CultureInfo.CurrentCulture).Name is { Length: > 0 } name ? name : "invariant";
}
