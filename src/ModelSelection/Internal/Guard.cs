using System.Globalization;
using System.Runtime.CompilerServices;

namespace ModelSelection.Internal;

/// <summary>Guard clauses whose messages state the rule and the actual value, formatted invariantly.</summary>
internal static class Guard
{
    /// <summary>Formats a number for an exception message, invariantly: round-trippable, in E notation from 10⁶ (<c>1E+15</c>).</summary>
    public static string Show(double value) =>
        double.IsFinite(value) && Math.Abs(value) >= 1e6
            ? value.ToString("0.################E+0", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a number for an exception message, invariantly.</summary>
    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long InRange(long value, long min, long max, string what, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{what} must be between {Show((double)min)} and {Show((double)max)}; was {Show(value)}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double InRange(double value, double min, double max, string what, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{what} must be a finite number between {Show(min)} and {Show(max)}; was {Show(value)}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    public static double FiniteNonNegative(double value, string what, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{what} must be a finite number that is 0 or more; was {Show(value)}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and greater than zero.</summary>
    public static double FinitePositive(double value, string what, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{what} must be a finite number greater than 0; was {Show(value)}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is a utilisation in (0, 1].</summary>
    public static double Utilization(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (double.IsNaN(value) || value <= 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"Utilization must be greater than 0 and at most 1; was {Show(value)}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> is greater than zero.</summary>
    public static long Positive(long value, string what, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{what} must be greater than 0; was {Show(value)}.");
        }

        return value;
    }
}
