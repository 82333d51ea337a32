using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>One initializer of an ONNX graph as its <c>TensorProto</c> declares it: name, element type and shape, never its data.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OnnxTensorInfo
{
    internal OnnxTensorInfo(string name, OnnxDataType dataType, ImmutableArray<long> dimensions, long elements, long bytes, string? externalLocation)
    {
        Name = name;
        DataType = dataType;
        Dimensions = dimensions;
        Elements = elements;
        Bytes = bytes;
        ExternalLocation = externalLocation;
    }

    /// <summary>Gets the initializer's name, e.g. <c>embeddings.word_embeddings.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the element type.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>Gets the dimensions (empty for a scalar).</summary>
    public ImmutableArray<long> Dimensions { get; }

    /// <summary>Gets the number of elements: the product of <see cref="Dimensions"/>.</summary>
    public long Elements { get; }

    /// <summary>Gets the bytes the elements occupy: elements × the type's size (4-bit types round up to whole bytes; 0 for strings).</summary>
    public long Bytes { get; }

    /// <summary>Gets the external data file, relative to the model's folder, when the data is stored outside the model (<c>data_location = EXTERNAL</c>); otherwise <see langword="null"/>.</summary>
    public string? ExternalLocation { get; }

    /// <summary>Gets whether the initializer counts as a learned parameter: every floating-point type, and 8- and 4-bit integers (quantised weights); not 16- to 64-bit integers, booleans or strings (shape constants, position ids, masks).</summary>
    public bool IsParameter => DataType is not (OnnxDataType.Int16 or OnnxDataType.UInt16 or OnnxDataType.Int32 or OnnxDataType.UInt32
        or OnnxDataType.Int64 or OnnxDataType.UInt64 or OnnxDataType.Bool or OnnxDataType.String or OnnxDataType.Undefined);
}
