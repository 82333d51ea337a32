using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>A graph input or output: its name, element type and dimensions, fixed or symbolic.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OnnxValueInfo
{
    internal OnnxValueInfo(string name, OnnxDataType elementType, ImmutableArray<OnnxDimension>? dimensions)
    {
        Name = name;
        ElementType = elementType;
        Dimensions = dimensions;
    }

    /// <summary>Gets the value's name, e.g. <c>input_ids</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the element type (<see cref="OnnxDataType.Undefined"/> when the value is not a tensor or the type is not given).</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>Gets the dimensions, or <see langword="null"/> when the rank is not given.</summary>
    public ImmutableArray<OnnxDimension>? Dimensions { get; }

    /// <summary>Returns <c>name: type[d0, d1, …]</c>.</summary>
    /// <returns>The value as text.</returns>
    public override string ToString() => $"{Name}: {ElementType}[{(Dimensions is { } d ? string.Join(", ", d) : "…")}]";
}
