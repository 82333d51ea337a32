namespace ModelSelection.Estimation;

/// <summary>How attention is computed, which decides whether the s × s score matrix is ever held in memory.</summary>
public enum AttentionImplementation
{
    /// <summary>A fused kernel (FlashAttention, PyTorch SDPA, ONNX Runtime fused attention): no s² scores in memory.</summary>
    Flash = 0,

    /// <summary>The textbook computation: the b · heads · s × s score matrix is materialised.</summary>
    Eager = 1,
}
