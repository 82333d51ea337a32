using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>What the reader keeps of a <c>GraphProto</c>: nodes in topological order, inputs, outputs, value infos, and initializer shapes.</summary>
internal sealed class OnnxGraph
{
    public required ImmutableArray<OnnxNode> Nodes { get; init; }

    public required ImmutableArray<OnnxValueInfo> Inputs { get; init; }

    public required ImmutableArray<OnnxValueInfo> Outputs { get; init; }

    public required ImmutableArray<OnnxValueInfo> ValueInfo { get; init; }

    public required ImmutableArray<OnnxTensorInfo> Initializers { get; init; }

    /// <summary>Integer initializers of at most 64 elements (shape constants), by name, with their values.</summary>
    public required ImmutableDictionary<string, ImmutableArray<long>> InitializerValues { get; init; }

    /// <summary>Initializers held in subgraphs (bodies of <c>If</c>, <c>Loop</c>, <c>Scan</c>).</summary>
    public required ImmutableArray<OnnxTensorInfo> SubgraphInitializers { get; init; }
}
