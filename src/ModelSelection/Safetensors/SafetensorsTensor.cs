using System.Collections.Immutable;

namespace ModelSelection.Safetensors;

/// <summary>One tensor as a safetensors header declares it: name, element type, shape and byte range in the data region.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record SafetensorsTensor
{
    internal SafetensorsTensor(string name, SafetensorsDtype dtype, ImmutableArray<long> shape, long elements, long dataBegin, long dataEnd)
    {
        Name = name;
        Dtype = dtype;
        Shape = shape;
        Elements = elements;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
    }

    /// <summary>Gets the tensor's name, e.g. <c>model.layers.0.self_attn.q_proj.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the element type.</summary>
    public SafetensorsDtype Dtype { get; }

    /// <summary>Gets the shape (empty for a scalar).</summary>
    public ImmutableArray<long> Shape { get; }

    /// <summary>Gets the number of stored elements: the product of the shape.</summary>
    public long Elements { get; }

    /// <summary>Gets the first byte of the tensor's data, relative to the start of the data region.</summary>
    public long DataBegin { get; }

    /// <summary>Gets the byte after the tensor's data, relative to the start of the data region.</summary>
    public long DataEnd { get; }

    /// <summary>Gets the bytes of the tensor's data.</summary>
    public long Bytes => DataEnd - DataBegin;

    /// <summary>Gets whether the name marks a buffer rather than a parameter (rotary <c>inv_freq</c>, GPT-2 causal masks, BERT <c>position_ids</c>), which parameter counts leave out.</summary>
    public bool IsBuffer =>
        Name.EndsWith(".inv_freq", StringComparison.Ordinal)
        || Name.EndsWith(".attn.bias", StringComparison.Ordinal)
        || Name.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
        || Name.EndsWith(".position_ids", StringComparison.Ordinal);
}
