namespace ModelSelection.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, a named symbol (<c>batch_size</c>), or unknown.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OnnxDimension
{
    internal OnnxDimension(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    /// <summary>Gets the fixed size, or <see langword="null"/> when the dimension is symbolic or unknown.</summary>
    public long? Value { get; }

    /// <summary>Gets the symbol (<c>dim_param</c>), e.g. <c>batch_size</c>, or <see langword="null"/>.</summary>
    public string? Symbol { get; }

    /// <summary>Returns the size, the symbol, or <c>?</c>.</summary>
    /// <returns>The dimension as text.</returns>
    public override string ToString() => Value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : Symbol ?? "?";
}
