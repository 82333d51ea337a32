using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection;

/// <summary>
/// A rate of floating-point operations per second (FLOP/s), finite and not negative: a device's peak, or a
/// sustained throughput.
/// </summary>
/// <remarks>
/// <para>
/// Prints with SI prefixes (<c>312 TFLOP/s</c>, <c>1.979 PFLOP/s</c>) and in scientific notation from 10¹⁸.
/// Vendor figures quoted "with sparsity" are twice the dense rate; the library works with dense rates.
/// </para>
/// <para>
/// Arithmetic whose result is negative or not finite throws <see cref="ArgumentOutOfRangeException"/>. The default
/// value is <see cref="Zero"/>. This type is immutable and thread-safe.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.FlopRateJsonConverter))]
public readonly struct FlopRate : IEquatable<FlopRate>, IComparable<FlopRate>, IComparable, System.Numerics.IComparisonOperators<FlopRate, FlopRate, bool>, ISpanFormattable, IParsable<FlopRate>
{
    private static readonly string[] UnitWords = ["FLOPs/s", "FLOP/s", "FLOPS"];

    private readonly double _flopsPerSecond;

    private FlopRate(double flopsPerSecond) => _flopsPerSecond = flopsPerSecond;

    /// <summary>Gets a rate of zero.</summary>
    public static FlopRate Zero => default;

    /// <summary>Gets the rate in FLOPs per second.</summary>
    public double FlopsPerSecond => _flopsPerSecond;

    /// <summary>Creates a rate from FLOPs per second.</summary>
    /// <param name="flopsPerSecond">The rate; finite, 0 or more.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="flopsPerSecond"/> is NaN, infinite or negative.</exception>
    public static FlopRate FromFlopsPerSecond(double flopsPerSecond) => new(Guard.FiniteNonNegative(flopsPerSecond, "FLOP rate"));

    /// <summary>Creates a rate from gigaFLOPs per second (10⁹ FLOP/s).</summary>
    /// <param name="gigaflopsPerSecond">The rate in GFLOP/s; finite, 0 or more.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gigaflopsPerSecond"/> is NaN, infinite or negative.</exception>
    public static FlopRate FromGigaflopsPerSecond(double gigaflopsPerSecond) =>
        FromFlopsPerSecond(Guard.FiniteNonNegative(gigaflopsPerSecond, "GFLOP/s rate") * 1e9);

    /// <summary>Creates a rate from teraFLOPs per second (10¹² FLOP/s), e.g. 312 for an A100's dense fp16 peak.</summary>
    /// <param name="teraflopsPerSecond">The rate in TFLOP/s; finite, 0 or more.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="teraflopsPerSecond"/> is NaN, infinite or negative.</exception>
    public static FlopRate FromTeraflopsPerSecond(double teraflopsPerSecond) =>
        FromFlopsPerSecond(Guard.FiniteNonNegative(teraflopsPerSecond, "TFLOP/s rate") * 1e12);

    /// <summary>Creates a rate from petaFLOPs per second (10¹⁵ FLOP/s).</summary>
    /// <param name="petaflopsPerSecond">The rate in PFLOP/s; finite, 0 or more.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="petaflopsPerSecond"/> is NaN, infinite or negative.</exception>
    public static FlopRate FromPetaflopsPerSecond(double petaflopsPerSecond) =>
        FromFlopsPerSecond(Guard.FiniteNonNegative(petaflopsPerSecond, "PFLOP/s rate") * 1e15);

    /// <summary>Creates the rate that performs a count of operations in a duration.</summary>
    /// <param name="flops">The operations.</param>
    /// <param name="duration">The time; finite and greater than zero.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not greater than zero, or the rate is not finite.</exception>
    public static FlopRate FromFlopsAndDuration(FlopCount flops, Duration duration)
    {
        var seconds = Guard.FinitePositive(duration.Seconds, "Duration in seconds", nameof(duration));
        return new(Guard.FiniteNonNegative(flops.Flops / seconds, "FLOP rate", nameof(duration)));
    }

    /// <summary>Gets the rate in teraFLOPs per second.</summary>
    /// <returns><see cref="FlopsPerSecond"/> divided by 10¹².</returns>
    public double ToTeraflopsPerSecond() => _flopsPerSecond / 1e12;

    /// <summary>Gets the operations performed at this rate during a time.</summary>
    /// <param name="duration">The time; finite, 0 or more.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative or not finite, or the count is not finite.</exception>
    public FlopCount Multiply(Duration duration)
    {
        var seconds = Guard.FiniteNonNegative(duration.Seconds, "Duration in seconds", nameof(duration));
        return FlopCount.FromFlops(Guard.FiniteNonNegative(_flopsPerSecond * seconds, "FLOP count", nameof(duration)));
    }

    /// <summary>Scales the rate, e.g. by an efficiency or a device count.</summary>
    /// <param name="factor">The factor; finite, 0 or more.</param>
    /// <returns>The scaled rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite, or the product is not finite.</exception>
    public FlopRate Multiply(double factor)
    {
        Guard.FiniteNonNegative(factor, "A FLOP rate factor");
        return new(Guard.FiniteNonNegative(_flopsPerSecond * factor, "The product of a FLOP rate and a factor", nameof(factor)));
    }

    /// <summary>Adds two rates.</summary>
    /// <param name="other">The rate to add.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum is not finite.</exception>
    public FlopRate Add(FlopRate other) =>
        new(Guard.FiniteNonNegative(_flopsPerSecond + other._flopsPerSecond, "The sum of FLOP rates", nameof(other)));

    /// <inheritdoc/>
    public bool Equals(FlopRate other) => _flopsPerSecond.Equals(other._flopsPerSecond);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlopRate other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _flopsPerSecond.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(FlopRate other) => _flopsPerSecond.CompareTo(other._flopsPerSecond);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="FlopRate"/>.</exception>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        FlopRate other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(FlopRate)}; was {obj.GetType()}.", nameof(obj)),
    };

    /// <summary>Formats the rate with an SI prefix, e.g. <c>312 TFLOP/s</c>, in the current culture.</summary>
    /// <returns>The text (format <c>G</c>).</returns>
    public override string ToString() => ToString(null, null);

    /// <summary>Formats the rate.</summary>
    /// <param name="format">
    /// <c>G</c> or empty (default): four significant digits with an SI prefix up to peta — <c>312 TFLOP/s</c> —,
    /// scientific from 10¹⁸; <c>G1</c>…<c>G15</c> choose the digits. <c>R</c>: the exact value, round-trippable.
    /// </param>
    /// <param name="formatProvider">The culture for the decimal separator; <see langword="null"/> for the current culture.</param>
    /// <returns>The formatted rate.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not one of the formats above.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        SiFormatting.Format(_flopsPerSecond, format, "FLOP/s", "FLOP rate", formatProvider);

    /// <inheritdoc cref="ToString(string?, IFormatProvider?)"/>
    /// <param name="destination">The span to write to.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">The format; see <see cref="ToString(string?, IFormatProvider?)"/>.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns><see langword="true"/> when the text fitted in <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SpanFormatting.TryCopy(ToString(format.IsEmpty ? null : format.ToString(), provider), destination, out charsWritten);

    /// <summary>Parses a rate: <c>312 TFLOP/s</c>, <c>312 TFLOPS</c>, <c>1.979PFLOP/s</c>, <c>3.12e14</c>.</summary>
    /// <param name="s">
    /// A number in the culture of <paramref name="provider"/> (exponent allowed), an optional SI prefix (k, M, G, T,
    /// P, E, Z, Y; case-sensitive but for kilo) and an optional unit (FLOP/s, FLOPs/s, FLOPS; any case).
    /// </param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a finite, non-negative FLOP rate.</exception>
    public static FlopRate Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return SiFormatting.TryParse(s, UnitWords, provider, out var rate, out var error)
            ? new FlopRate(rate)
            : throw new FormatException($"'{s}' is not a valid FLOP rate: {error}.");
    }

    /// <summary>Parses a rate in the current culture, as <see cref="ToString()"/> formats it; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a finite, non-negative FLOP rate.</exception>
    public static FlopRate Parse(string s) => Parse(s, CultureInfo.CurrentCulture);

    /// <summary>Tries to parse a rate; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <param name="result">The rate, or <see cref="Zero"/> when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> was a valid rate.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out FlopRate result)
    {
        var ok = SiFormatting.TryParse(s, UnitWords, provider, out var rate, out _);
        result = ok ? new FlopRate(rate) : Zero;
        return ok;
    }

    /// <summary>Gets the operations performed at a rate during a time.</summary>
    /// <param name="left">The rate.</param>
    /// <param name="right">The time; finite, 0 or more.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The time is negative or the count is not finite.</exception>
    public static FlopCount operator *(FlopRate left, Duration right) => left.Multiply(right);

    /// <summary>Scales a rate.</summary>
    /// <param name="left">The rate.</param>
    /// <param name="right">The factor; finite, 0 or more.</param>
    /// <returns>The scaled rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The factor is negative or not finite, or the product is not finite.</exception>
    public static FlopRate operator *(FlopRate left, double right) => left.Multiply(right);

    /// <summary>Adds two rates.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum is not finite.</exception>
    public static FlopRate operator +(FlopRate left, FlopRate right) => left.Add(right);

    /// <summary>Compares two rates for equality.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(FlopRate left, FlopRate right) => left.Equals(right);

    /// <summary>Compares two rates for inequality.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(FlopRate left, FlopRate right) => !left.Equals(right);

    /// <summary>Tells whether the first rate is smaller.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(FlopRate left, FlopRate right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether the first rate is larger.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    public static bool operator >(FlopRate left, FlopRate right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether the first rate is smaller or equal.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(FlopRate left, FlopRate right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether the first rate is larger or equal.</summary>
    /// <param name="left">The first rate.</param>
    /// <param name="right">The second rate.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger or equal.</returns>
    public static bool operator >=(FlopRate left, FlopRate right) => left.CompareTo(right) >= 0;
}
