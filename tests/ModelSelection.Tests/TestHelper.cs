using System.Numerics;

namespace ModelSelection.Tests;

/// <summary>Shared laws for value types (after NodaTime's TestHelper): equality, hashing, ordering and their operators agree.</summary>
public static class TestHelper
{
    public static void AssertEqualityAndOrderingLaws<T>(T a, T b)
        where T : struct, IEquatable<T>, IComparable<T>, IComparable, IComparisonOperators<T, T, bool>
    {
        // Reflexive, symmetric, hash-consistent.
        Assert.True(a.Equals(a));
        Assert.True(a.Equals((object)a));
        Assert.False(a.Equals(null));
        Assert.Equal(a.Equals(b), b.Equals(a));
        if (a.Equals(b))
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }

        // Ordering: antisymmetric and consistent with equality.
        var ab = a.CompareTo(b);
        Assert.Equal(Math.Sign(ab), -Math.Sign(b.CompareTo(a)));
        Assert.Equal(ab == 0, a.Equals(b));
        Assert.Equal(0, a.CompareTo(a));

        // Operators agree with the methods.
        Assert.Equal(a.Equals(b), a == b);
        Assert.Equal(!a.Equals(b), a != b);
        Assert.Equal(ab < 0, a < b);
        Assert.Equal(ab > 0, a > b);
        Assert.Equal(ab <= 0, a <= b);
        Assert.Equal(ab >= 0, a >= b);

        // Non-generic IComparable: null sorts first, another type is an error.
        IComparable comparable = a;
        Assert.True(comparable.CompareTo(null) > 0);
        Assert.Equal(Math.Sign(ab), Math.Sign(comparable.CompareTo(b)));
        Assert.Throws<ArgumentException>(() => comparable.CompareTo("not a quantity"));
    }

    /// <summary>Asserts that |actual − expected| ≤ relative × |expected|.</summary>
    public static void AssertRelativelyClose(double expected, double actual, double relative)
    {
        var tolerance = Math.Abs(expected) * relative;
        Assert.True(Math.Abs(actual - expected) <= tolerance,
            $"Expected {expected:R} ± {tolerance:R} (relative {relative}); was {actual:R}.");
    }

    /// <summary>Asserts that TryFormat writes what ToString returns, and reports a too-small buffer.</summary>
    public static void AssertTryFormatMatchesToString<T>(T value, string? format, IFormatProvider provider)
        where T : ISpanFormattable
    {
        var expected = value.ToString(format, provider);
        Span<char> buffer = stackalloc char[128];
        Assert.True(value.TryFormat(buffer, out var written, format, provider));
        Assert.Equal(expected, buffer[..written].ToString());
        Assert.False(value.TryFormat(buffer[..(expected.Length - 1)], out var none, format, provider));
        Assert.Equal(0, none);
    }
}
