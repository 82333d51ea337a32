using System.Globalization;

namespace ModelSelection.Samples.Console;

/// <summary>Formats byte counts with binary prefixes (KiB = 2¹⁰, MiB = 2²⁰, GiB = 2³⁰, TiB = 2⁴⁰), as the docs state.</summary>
internal static class ByteText
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>Formats <paramref name="bytes"/>, e.g. <c>12.55 GiB</c>.</summary>
    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.00", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
