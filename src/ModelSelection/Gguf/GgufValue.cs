using System.Collections.Immutable;

namespace ModelSelection.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar (integer, float, boolean, string) or an array. Integer and float arrays of at most
/// <see cref="GgufFile.MaxKeptArrayElements"/> elements keep their values (per-layer head counts, feed-forward
/// widths); longer arrays and string arrays (the tokenizer's vocabulary) keep only their element type and length.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class GgufValue
{
    private readonly object? _scalar;

    internal GgufValue(GgufValueType type, object? scalar, GgufValueType? elementType = null, long length = 1, ImmutableArray<double> numbers = default)
    {
        Type = type;
        _scalar = scalar;
        ElementType = elementType;
        Length = length;
        Numbers = numbers.IsDefault ? [] : numbers;
    }

    /// <summary>Gets the value's type.</summary>
    public GgufValueType Type { get; }

    /// <summary>Gets the element type of an array, or <see langword="null"/> for a scalar.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>Gets the elements of an array (1 for a scalar).</summary>
    public long Length { get; }

    /// <summary>Gets the values of a numeric array when kept (see the remarks of the type); empty otherwise.</summary>
    public ImmutableArray<double> Numbers { get; }

    /// <summary>Gets whether the value is an integer scalar.</summary>
    public bool IsInteger => Type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16
        or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;

    /// <summary>Gets the string, or <see langword="null"/> when the value is not a string.</summary>
    public string? AsString() => _scalar as string;

    /// <summary>Gets the boolean, or <see langword="null"/> when the value is not a boolean.</summary>
    public bool? AsBoolean() => _scalar as bool?;

    /// <summary>Gets an integer scalar as a 64-bit integer (a UInt64 above <see cref="long.MaxValue"/> gives <see langword="null"/>), or <see langword="null"/> for other values.</summary>
    public long? AsInt64() => _scalar switch
    {
        long l => l,
        ulong u when u <= long.MaxValue => (long)u,
        _ => null,
    };

    /// <summary>Gets a numeric scalar (integer or float) as a double, or <see langword="null"/> for other values.</summary>
    public double? AsDouble() => _scalar switch
    {
        long l => l,
        ulong u => u,
        double d => d,
        _ => null,
    };

    /// <summary>Gets a short description: the value of a scalar, the element type and length of an array.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Type == GgufValueType.Array
        ? $"array of {Length} {ElementType}"
        : _scalar switch
        {
            string s => s.Length <= 60 ? $"\"{s}\"" : $"\"{s[..60]}…\" ({s.Length} chars)",
            bool b => b ? "true" : "false",
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(_scalar, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        };
}
