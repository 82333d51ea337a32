using System.Collections.Immutable;

namespace ModelSelection.Gguf;

/// <summary>One tensor of a GGUF file as its header describes it: name, ggml type, dimensions and where its data lies.</summary>
/// <param name="Name">The tensor's name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Type">The ggml type it is stored in.</param>
/// <param name="Dimensions">Its dimensions in ggml order: <c>ne[0]</c> is the contiguous row (a weight's input features), then the rows (output features), then any more (experts).</param>
/// <param name="Offset">The offset of its data from the start of the file's data section.</param>
/// <param name="Elements">The product of the dimensions.</param>
/// <param name="Bytes">The bytes of its data: elements ÷ block elements × block bytes.</param>
public sealed record GgufTensorInfo(string Name, GgmlType Type, ImmutableArray<long> Dimensions, long Offset, long Elements, long Bytes);
