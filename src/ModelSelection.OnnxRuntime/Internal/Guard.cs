using System.Globalization;
using System.Runtime.CompilerServices;

namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>Guard clauses whose messages state the rule and the actual value, formatted invariantly.</summary>
internal static class Guard
{
    /// <summary>Formats a whole number invariantly with thousands separators: <c>1,000,000</c>.</summary>
    public static string Show(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int InRange(int value, int min, int max, string what, [CallerArgumentExpression(nameof(value))] string? paramName = null) =>
        value < min || value > max
            ? throw new ArgumentOutOfRangeException(paramName, value, $"{what} must be between {Show(min)} and {Show(max)}; was {Show(value)}.")
            : value;

    /// <summary>Formats an invariant, culture-free string from an interpolation.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
