namespace ModelSelection.Models;

/// <summary>What kind of tensor a group holds, which decides how it costs FLOPs.</summary>
public enum TensorKind
{
    /// <summary>A linear layer's weight, <c>[out, in]</c>: costs 2 · in · out FLOPs per token per use.</summary>
    LinearWeight = 0,

    /// <summary>A linear layer's bias, <c>[out, 1]</c>: elementwise, no matrix FLOPs.</summary>
    LinearBias = 1,

    /// <summary>An embedding table, <c>[rows, width]</c>: looked up, no matrix FLOPs.</summary>
    EmbeddingTable = 2,

    /// <summary>A normalisation's scale or shift, <c>[width, 1]</c>.</summary>
    NormalizationParameter = 3,

    /// <summary>Any other learned tensor (relative-position biases, adaptive-softmax cluster weights).</summary>
    OtherParameter = 4,
}
