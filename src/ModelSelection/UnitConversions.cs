using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection;

/// <summary>
/// Conversions between the library's canonical numbers (bytes as <see cref="long"/>, seconds, watts, joules,
/// bytes per second) and UnitsNet quantities at the API edge.
/// </summary>
/// <remarks>
/// Inside, the library keeps bytes as exact integers; UnitsNet quantities carry a unit along with the value, and
/// their equality compares both (and is obsolete), so compare the numbers these methods return instead.
/// Bytes convert exactly (1 GiB = 2³⁰ bytes; 1 GB = 10⁹ bytes). These methods are thread-safe.
/// </remarks>
public static class UnitConversions
{
    /// <summary>Gets an exact byte count as a UnitsNet <see cref="Information"/> in bytes.</summary>
    /// <param name="bytes">The bytes, 0 or more.</param>
    /// <returns>The information.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public static Information ToInformation(long bytes) =>
        // Through decimal: UnitsNet 5 stores Information in decimal, and a long passed as a double would keep only
        // 15 significant digits on the way in.
        Information.FromBytes((decimal)Guard.InRange(bytes, 0, long.MaxValue, "Byte count"));

    /// <summary>Gets the number of bytes in an <see cref="Information"/>, rounded to the nearest whole byte.</summary>
    /// <param name="information">The information, in any unit; 0 to <see cref="long.MaxValue"/> bytes.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative, not finite or larger than <see cref="long.MaxValue"/> bytes.</exception>
    public static long ToBytes(Information information)
    {
        // UnitsNet 5 keeps Information in decimal: round there, exactly, before narrowing to long.
        var bytes = decimal.Round((decimal)information.Bytes, MidpointRounding.AwayFromZero);
        if (bytes < 0 || bytes > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(information), (double)bytes,
                $"Size in bytes must be between 0 and {Guard.Show((double)long.MaxValue)}; was {Guard.Show((double)bytes)}.");
        }

        return (long)bytes;
    }

    /// <summary>Formats a byte count with binary prefixes and two decimals: <c>13.48 GiB</c> (KiB = 2¹⁰ … PiB = 2⁵⁰).</summary>
    /// <param name="bytes">The bytes; negative values are formatted with a minus sign.</param>
    /// <returns>The text, invariant culture.</returns>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var value = Math.Abs((double)bytes);
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var sign = bytes < 0 ? "-" : string.Empty;
        return unit == 0
            ? sign + value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " B"
            : sign + value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>Gets a number of seconds as a UnitsNet <see cref="Duration"/>.</summary>
    /// <param name="seconds">The seconds; finite, 0 or more.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is negative or not finite.</exception>
    public static Duration ToDuration(double seconds) => Duration.FromSeconds(Guard.FiniteNonNegative(seconds, "Duration in seconds"));

    /// <summary>Gets the seconds in a <see cref="Duration"/>.</summary>
    /// <param name="duration">The duration; finite, 0 or more.</param>
    /// <returns>The seconds.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative or not finite.</exception>
    public static double ToSeconds(Duration duration) => Guard.FiniteNonNegative((double)duration.Seconds, "Duration in seconds", nameof(duration));

    /// <summary>Gets a bandwidth in bytes per second as a UnitsNet <see cref="BitRate"/>.</summary>
    /// <param name="bytesPerSecond">The bandwidth in bytes per second (vendor "GB/s" are 10⁹ B/s); finite, 0 or more.</param>
    /// <returns>The bit rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytesPerSecond"/> is negative or not finite.</exception>
    public static BitRate ToBitRate(double bytesPerSecond) =>
        BitRate.FromBytesPerSecond(Guard.FiniteNonNegative(bytesPerSecond, "Bandwidth in bytes per second"));

    /// <summary>Gets the bytes per second of a <see cref="BitRate"/>.</summary>
    /// <param name="bitRate">The bit rate; finite, 0 or more.</param>
    /// <returns>The bytes per second.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative or not finite.</exception>
    public static double ToBytesPerSecond(BitRate bitRate) =>
        Guard.FiniteNonNegative((double)bitRate.BytesPerSecond, "Bandwidth in bytes per second", nameof(bitRate));

    /// <summary>Gets a power in watts as a UnitsNet <see cref="Power"/>.</summary>
    /// <param name="watts">The watts; finite, 0 or more.</param>
    /// <returns>The power.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="watts"/> is negative or not finite.</exception>
    public static Power ToPower(double watts) => Power.FromWatts(Guard.FiniteNonNegative(watts, "Power in watts"));

    /// <summary>Gets the watts of a <see cref="Power"/>.</summary>
    /// <param name="power">The power; finite, 0 or more.</param>
    /// <returns>The watts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The power is negative or not finite.</exception>
    public static double ToWatts(Power power) => Guard.FiniteNonNegative((double)power.Watts, "Power in watts", nameof(power));

    /// <summary>Gets an energy in joules as a UnitsNet <see cref="Energy"/>.</summary>
    /// <param name="joules">The joules; finite, 0 or more.</param>
    /// <returns>The energy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="joules"/> is negative or not finite.</exception>
    public static Energy ToEnergy(double joules) => Energy.FromJoules(Guard.FiniteNonNegative(joules, "Energy in joules"));

    /// <summary>Gets the joules of an <see cref="Energy"/>.</summary>
    /// <param name="energy">The energy; finite, 0 or more.</param>
    /// <returns>The joules.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The energy is negative or not finite.</exception>
    public static double ToJoules(Energy energy) => Guard.FiniteNonNegative((double)energy.Joules, "Energy in joules", nameof(energy));

    /// <summary>Gets the energy drawn at a power for a time: <c>watts × seconds</c>.</summary>
    /// <param name="power">The average power; finite, 0 or more.</param>
    /// <param name="duration">The time; finite, 0 or more.</param>
    /// <returns>The energy in joules.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not finite, or the product is not finite.</exception>
    public static Energy ToEnergy(Power power, Duration duration) =>
        ToEnergy(Guard.FiniteNonNegative(ToWatts(power) * ToSeconds(duration), "Energy in joules", nameof(duration)));
}
