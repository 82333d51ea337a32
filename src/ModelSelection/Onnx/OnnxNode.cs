using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>One <c>NodeProto</c>: the operator, its inputs and outputs, and the attributes the shape inference reads.</summary>
internal sealed class OnnxNode
{
    public required string OpType { get; init; }

    public required string Domain { get; init; }

    public required string Name { get; init; }

    public required ImmutableArray<string> Inputs { get; init; }

    public required ImmutableArray<string> Outputs { get; init; }

    public required string Location { get; init; }

    /// <summary>Integer attributes (<c>i</c>) by name.</summary>
    public required ImmutableDictionary<string, long> Ints { get; init; }

    /// <summary>Integer-list attributes (<c>ints</c>) by name.</summary>
    public required ImmutableDictionary<string, ImmutableArray<long>> IntLists { get; init; }

    /// <summary>The tensor attribute <c>value</c> of a <c>Constant</c>: its shape and, for a small integer tensor, its values.</summary>
    public (ImmutableArray<long> Dimensions, ImmutableArray<long>? Values)? Tensor { get; init; }

    /// <summary>Whether an attribute holds a subgraph (<c>If</c>, <c>Loop</c>, <c>Scan</c> bodies), whose work is not counted.</summary>
    public bool HasSubgraph { get; init; }

    public long Int(string name, long fallback) => Ints.TryGetValue(name, out var value) ? value : fallback;
}
