using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection;

/// <summary>
/// A number of floating-point operations (FLOPs), finite and not negative.
/// </summary>
/// <remarks>
/// <para>
/// Convention: one multiply-accumulate is two FLOPs (as calflops and DeepSpeed count; fvcore and ptflops report
/// MACs). Prints with SI prefixes up to peta (<c>22.35 GFLOP</c>) and in scientific notation from 10¹⁸
/// (<c>5.76e23 FLOP</c>).
/// </para>
/// <para>
/// Arithmetic whose result is negative or not finite throws <see cref="ArgumentOutOfRangeException"/>. The default
/// value is <see cref="Zero"/>. This type is immutable and thread-safe.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.FlopCountJsonConverter))]
public readonly struct FlopCount : IEquatable<FlopCount>, IComparable<FlopCount>, IComparable, System.Numerics.IComparisonOperators<FlopCount, FlopCount, bool>, ISpanFormattable, IParsable<FlopCount>
{
    private static readonly string[] UnitWords = ["FLOPs", "FLOP"];

    private readonly double _flops;

    private FlopCount(double flops) => _flops = flops;

    /// <summary>Gets no operations.</summary>
    public static FlopCount Zero => default;

    /// <summary>Gets the number of floating-point operations.</summary>
    public double Flops => _flops;

    /// <summary>Creates a count from a number of FLOPs.</summary>
    /// <param name="flops">The number of FLOPs; finite, 0 or more.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="flops"/> is NaN, infinite or negative.</exception>
    public static FlopCount FromFlops(double flops) => new(Guard.FiniteNonNegative(flops, "FLOP count"));

    /// <summary>Creates a count from gigaFLOPs (10⁹).</summary>
    /// <param name="gigaflops">The number of GFLOPs; finite, 0 or more.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gigaflops"/> is NaN, infinite or negative.</exception>
    public static FlopCount FromGigaflops(double gigaflops) => FromFlops(Guard.FiniteNonNegative(gigaflops, "GFLOP count") * 1e9);

    /// <summary>Creates a count from teraFLOPs (10¹²).</summary>
    /// <param name="teraflops">The number of TFLOPs; finite, 0 or more.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="teraflops"/> is NaN, infinite or negative.</exception>
    public static FlopCount FromTeraflops(double teraflops) => FromFlops(Guard.FiniteNonNegative(teraflops, "TFLOP count") * 1e12);

    /// <summary>Creates a count from petaFLOPs (10¹⁵).</summary>
    /// <param name="petaflops">The number of PFLOPs; finite, 0 or more.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="petaflops"/> is NaN, infinite or negative.</exception>
    public static FlopCount FromPetaflops(double petaflops) => FromFlops(Guard.FiniteNonNegative(petaflops, "PFLOP count") * 1e15);

    /// <summary>Gets the count in gigaFLOPs.</summary>
    /// <returns><see cref="Flops"/> divided by 10⁹.</returns>
    public double ToGigaflops() => _flops / 1e9;

    /// <summary>Gets the count in teraFLOPs.</summary>
    /// <returns><see cref="Flops"/> divided by 10¹².</returns>
    public double ToTeraflops() => _flops / 1e12;

    /// <summary>Gets how long the operations take at a rate.</summary>
    /// <param name="rate">The sustained rate; greater than zero.</param>
    /// <returns>The time, as a UnitsNet <see cref="Duration"/> in seconds.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is zero.</exception>
    public Duration DivideBy(FlopRate rate)
    {
        if (rate.FlopsPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate.FlopsPerSecond, $"A FLOP rate to divide by must be greater than 0; was {Guard.Show(rate.FlopsPerSecond)}.");
        }

        return Duration.FromSeconds(_flops / rate.FlopsPerSecond);
    }

    /// <summary>Gets the ratio of two counts.</summary>
    /// <param name="other">The denominator; greater than zero.</param>
    /// <returns>This count divided by <paramref name="other"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="other"/> is zero.</exception>
    public double DivideBy(FlopCount other) =>
        other._flops > 0
            ? _flops / other._flops
            : throw new ArgumentOutOfRangeException(nameof(other), other._flops, "A FLOP count to divide by must be greater than 0; was 0.");

    /// <summary>Adds two counts.</summary>
    /// <param name="other">The count to add.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum is not finite.</exception>
    public FlopCount Add(FlopCount other) => new(Guard.FiniteNonNegative(_flops + other._flops, "The sum of FLOP counts", nameof(other)));

    /// <summary>Subtracts a count.</summary>
    /// <param name="other">The count to subtract; at most this count.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="other"/> is larger than this count.</exception>
    public FlopCount Subtract(FlopCount other) => new(Guard.FiniteNonNegative(_flops - other._flops, "The difference of FLOP counts", nameof(other)));

    /// <summary>Multiplies the count by a factor (e.g. 3 for forward plus backward).</summary>
    /// <param name="factor">The factor; finite, 0 or more.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite, or the product is not finite.</exception>
    public FlopCount Multiply(double factor)
    {
        Guard.FiniteNonNegative(factor, "A FLOP count factor");
        return new(Guard.FiniteNonNegative(_flops * factor, "The product of a FLOP count and a factor", nameof(factor)));
    }

    /// <inheritdoc/>
    public bool Equals(FlopCount other) => _flops.Equals(other._flops);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlopCount other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _flops.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(FlopCount other) => _flops.CompareTo(other._flops);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="FlopCount"/>.</exception>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        FlopCount other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(FlopCount)}; was {obj.GetType()}.", nameof(obj)),
    };

    /// <summary>Formats the count with an SI prefix, e.g. <c>22.35 GFLOP</c>, in the current culture.</summary>
    /// <returns>The text (format <c>G</c>).</returns>
    public override string ToString() => ToString(null, null);

    /// <summary>Formats the count.</summary>
    /// <param name="format">
    /// <c>G</c> or empty (default): four significant digits with an SI prefix up to peta — <c>22.35 GFLOP</c>,
    /// <c>1.7 TFLOP</c> —, scientific from 10¹⁸ — <c>5.76e23 FLOP</c>; <c>G1</c>…<c>G15</c> choose the digits.
    /// <c>R</c>: the exact value, round-trippable — <c>22350000000 FLOP</c>.
    /// </param>
    /// <param name="formatProvider">The culture for the decimal separator; <see langword="null"/> for the current culture.</param>
    /// <returns>The formatted count.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not one of the formats above.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        SiFormatting.Format(_flops, format, "FLOP", "FLOP count", formatProvider);

    /// <inheritdoc cref="ToString(string?, IFormatProvider?)"/>
    /// <param name="destination">The span to write to.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">The format; see <see cref="ToString(string?, IFormatProvider?)"/>.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns><see langword="true"/> when the text fitted in <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SpanFormatting.TryCopy(ToString(format.IsEmpty ? null : format.ToString(), provider), destination, out charsWritten);

    /// <summary>Parses a count: <c>22.35 GFLOP</c>, <c>1.7TFLOPs</c>, <c>1e21</c>, <c>5.76e23 FLOP</c>, <c>312 G</c>.</summary>
    /// <param name="s">
    /// A number in the culture of <paramref name="provider"/> (exponent allowed), an optional SI prefix (k, M, G, T,
    /// P, E, Z, Y; case-sensitive but for kilo) and an optional unit (FLOP, FLOPs; any case).
    /// </param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a finite, non-negative FLOP count.</exception>
    public static FlopCount Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return SiFormatting.TryParse(s, UnitWords, provider, out var flops, out var error)
            ? new FlopCount(flops)
            : throw new FormatException($"'{s}' is not a valid FLOP count: {error}.");
    }

    /// <summary>Parses a count in the current culture, as <see cref="ToString()"/> formats it; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a finite, non-negative FLOP count.</exception>
    public static FlopCount Parse(string s) => Parse(s, CultureInfo.CurrentCulture);

    /// <summary>Tries to parse a count; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <param name="result">The count, or <see cref="Zero"/> when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> was a valid count.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out FlopCount result)
    {
        var ok = SiFormatting.TryParse(s, UnitWords, provider, out var flops, out _);
        result = ok ? new FlopCount(flops) : Zero;
        return ok;
    }

    /// <summary>Adds two counts.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum is not finite.</exception>
    public static FlopCount operator +(FlopCount left, FlopCount right) => left.Add(right);

    /// <summary>Subtracts one count from another.</summary>
    /// <param name="left">The count to subtract from.</param>
    /// <param name="right">The count to subtract; at most <paramref name="left"/>.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="right"/> is larger than <paramref name="left"/>.</exception>
    public static FlopCount operator -(FlopCount left, FlopCount right) => left.Subtract(right);

    /// <summary>Multiplies a count by a factor.</summary>
    /// <param name="left">The count.</param>
    /// <param name="right">The factor; finite, 0 or more.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The factor is negative or not finite, or the product is not finite.</exception>
    public static FlopCount operator *(FlopCount left, double right) => left.Multiply(right);

    /// <summary>Gets how long a count of operations takes at a rate.</summary>
    /// <param name="left">The operations.</param>
    /// <param name="right">The rate; greater than zero.</param>
    /// <returns>The time.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate is zero.</exception>
    public static Duration operator /(FlopCount left, FlopRate right) => left.DivideBy(right);

    /// <summary>Compares two counts for equality.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(FlopCount left, FlopCount right) => left.Equals(right);

    /// <summary>Compares two counts for inequality.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(FlopCount left, FlopCount right) => !left.Equals(right);

    /// <summary>Tells whether the first count is smaller.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(FlopCount left, FlopCount right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether the first count is larger.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    public static bool operator >(FlopCount left, FlopCount right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether the first count is smaller or equal.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(FlopCount left, FlopCount right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether the first count is larger or equal.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger or equal.</returns>
    public static bool operator >=(FlopCount left, FlopCount right) => left.CompareTo(right) >= 0;
}
