using ModelSelection.Internal;

namespace ModelSelection;

/// <summary>
/// An exact number of model parameters (weights), from 0 to 10¹⁵.
/// </summary>
/// <remarks>
/// <para>
/// Counts are exact integers: the library counts parameters the way <c>model.num_parameters()</c> does in
/// Hugging Face <c>transformers</c> (unique trainable tensors, tied tensors once, buffers excluded). The short
/// forms such as <c>7.24B</c> are for people; the integer is the truth.
/// </para>
/// <para>
/// Arithmetic is checked: a result outside [0, 10¹⁵] throws <see cref="ArgumentOutOfRangeException"/>; nothing
/// wraps and nothing saturates. The default value is <see cref="Zero"/>. This type is immutable and thread-safe.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.ParameterCountJsonConverter))]
public readonly partial struct ParameterCount : IEquatable<ParameterCount>, IComparable<ParameterCount>, IComparable, System.Numerics.IComparisonOperators<ParameterCount, ParameterCount, bool>
{
    /// <summary>The largest count this type holds: 10¹⁵ parameters, far above any model built to date.</summary>
    public const long MaxCount = 1_000_000_000_000_000L;

    private readonly long _count;

    private ParameterCount(long count) => _count = count;

    /// <summary>Gets no parameters.</summary>
    public static ParameterCount Zero => default;

    /// <summary>Gets the largest representable count, <see cref="MaxCount"/>.</summary>
    public static ParameterCount MaxValue => new(MaxCount);

    /// <summary>Gets the exact number of parameters.</summary>
    public long Count => _count;

    /// <summary>Creates a count from an exact number of parameters.</summary>
    /// <param name="count">The number of parameters, 0 to <see cref="MaxCount"/>.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above <see cref="MaxCount"/>.</exception>
    public static ParameterCount FromCount(long count) => new(Guard.InRange(count, 0, MaxCount, "Parameter count"));

    /// <summary>Creates a count from thousands of parameters, rounded to the nearest whole parameter.</summary>
    /// <param name="thousands">Thousands of parameters; finite, 0 to 10¹².</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thousands"/> is NaN, infinite, negative or too large.</exception>
    public static ParameterCount FromThousands(double thousands) => FromScaled(thousands, 1e3, "Parameter count in thousands");

    /// <summary>Creates a count from millions of parameters (<c>66.4</c> → 66,400,000), rounded to the nearest whole parameter.</summary>
    /// <param name="millions">Millions of parameters; finite, 0 to 10⁹.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="millions"/> is NaN, infinite, negative or too large.</exception>
    public static ParameterCount FromMillions(double millions) => FromScaled(millions, 1e6, "Parameter count in millions");

    /// <summary>Creates a count from billions of parameters (<c>7.24</c> → 7,240,000,000), rounded to the nearest whole parameter.</summary>
    /// <param name="billions">Billions of parameters; finite, 0 to 10⁶.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="billions"/> is NaN, infinite, negative or too large.</exception>
    public static ParameterCount FromBillions(double billions) => FromScaled(billions, 1e9, "Parameter count in billions");

    /// <summary>Creates a count from trillions of parameters, rounded to the nearest whole parameter.</summary>
    /// <param name="trillions">Trillions of parameters; finite, 0 to 1000.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trillions"/> is NaN, infinite, negative or too large.</exception>
    public static ParameterCount FromTrillions(double trillions) => FromScaled(trillions, 1e12, "Parameter count in trillions");

    /// <summary>Gets the count in millions (a floating-point approximation).</summary>
    /// <returns>The number of parameters divided by 10⁶.</returns>
    public double ToMillions() => _count / 1e6;

    /// <summary>Gets the count in billions (a floating-point approximation).</summary>
    /// <returns>The number of parameters divided by 10⁹.</returns>
    public double ToBillions() => _count / 1e9;

    /// <summary>Adds two counts.</summary>
    /// <param name="other">The count to add.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum exceeds <see cref="MaxCount"/>.</exception>
    public ParameterCount Add(ParameterCount other) =>
        new(Guard.InRange(_count + other._count, 0, MaxCount, "The sum of parameter counts", nameof(other)));

    /// <summary>Subtracts a count.</summary>
    /// <param name="other">The count to subtract; at most this count.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="other"/> is larger than this count.</exception>
    public ParameterCount Subtract(ParameterCount other) =>
        new(Guard.InRange(_count - other._count, 0, MaxCount, "The difference of parameter counts", nameof(other)));

    /// <summary>Multiplies the count by a whole factor (e.g. parameters per layer × layers).</summary>
    /// <param name="factor">The factor, 0 or more.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative, or the product exceeds <see cref="MaxCount"/>.</exception>
    public ParameterCount Multiply(long factor)
    {
        Guard.InRange(factor, 0, MaxCount, "A parameter count factor");
        var product = (Int128)_count * factor;
        if (product > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor,
                $"The product of parameter counts must be between 0 and 1E+15; was {product}.");
        }

        return new((long)product);
    }

    /// <inheritdoc/>
    public bool Equals(ParameterCount other) => _count == other._count;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ParameterCount other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _count.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(ParameterCount other) => _count.CompareTo(other._count);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="ParameterCount"/>.</exception>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        ParameterCount other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(ParameterCount)}; was {obj.GetType()}.", nameof(obj)),
    };

    /// <summary>Adds two counts.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum exceeds <see cref="MaxCount"/>.</exception>
    public static ParameterCount operator +(ParameterCount left, ParameterCount right) => left.Add(right);

    /// <summary>Subtracts one count from another.</summary>
    /// <param name="left">The count to subtract from.</param>
    /// <param name="right">The count to subtract; at most <paramref name="left"/>.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="right"/> is larger than <paramref name="left"/>.</exception>
    public static ParameterCount operator -(ParameterCount left, ParameterCount right) => left.Subtract(right);

    /// <summary>Multiplies a count by a whole factor.</summary>
    /// <param name="left">The count.</param>
    /// <param name="right">The factor, 0 or more.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The factor is negative or the product exceeds <see cref="MaxCount"/>.</exception>
    public static ParameterCount operator *(ParameterCount left, long right) => left.Multiply(right);

    /// <summary>Compares two counts for equality.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(ParameterCount left, ParameterCount right) => left.Equals(right);

    /// <summary>Compares two counts for inequality.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(ParameterCount left, ParameterCount right) => !left.Equals(right);

    /// <summary>Tells whether the first count is smaller.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(ParameterCount left, ParameterCount right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether the first count is larger.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    public static bool operator >(ParameterCount left, ParameterCount right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether the first count is smaller or equal.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(ParameterCount left, ParameterCount right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether the first count is larger or equal.</summary>
    /// <param name="left">The first count.</param>
    /// <param name="right">The second count.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger or equal.</returns>
    public static bool operator >=(ParameterCount left, ParameterCount right) => left.CompareTo(right) >= 0;

    private static ParameterCount FromScaled(double value, double scale, string what, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        Guard.InRange(value, 0, MaxCount / scale, what, paramName);
        return new((long)Math.Round(value * scale, MidpointRounding.AwayFromZero));
    }
}
