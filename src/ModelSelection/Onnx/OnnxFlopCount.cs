using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>The FLOPs of one forward pass of an ONNX graph (see <see cref="OnnxModel.Flops"/>): the total, per operator, and the compute nodes that could not be counted.</summary>
/// <param name="Total">All counted FLOPs.</param>
/// <param name="ByOperator">The FLOPs per operator type (<c>MatMul</c>, <c>Gemm</c>, <c>Conv</c>, …).</param>
/// <param name="Uncounted">Compute nodes whose shapes could not be inferred, and control-flow nodes whose bodies are not counted, as <c>location op 'name'</c>; empty when every node was counted.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record OnnxFlopCount(FlopCount Total, ImmutableSortedDictionary<string, FlopCount> ByOperator, ImmutableArray<string> Uncounted);
