namespace ModelSelection.Estimation;

/// <summary>How training stores weights, gradients and optimizer states, in bytes per trainable parameter.</summary>
public enum OptimizerPolicy
{
    /// <summary>Mixed-precision AdamW: 16-bit weights (2) and gradients (2), fp32 master weights, momentum and variance (12): 16 B/param (ZeRO paper).</summary>
    MixedPrecisionAdamW = 0,

    /// <summary>Mixed-precision AdamW with fp32 gradients: 2 + 4 + 12 = 18 B/param (llm-analysis).</summary>
    MixedPrecisionAdamWFp32Gradients = 1,

    /// <summary>fp32 AdamW: fp32 weights (4) and gradients (4), momentum and variance (8): 16 B/param.</summary>
    Fp32AdamW = 2,

    /// <summary>8-bit Adam (bitsandbytes): 16-bit weights and gradients, 6 B/param of optimizer state: 10 B/param.</summary>
    Adam8Bit = 3,

    /// <summary>SGD with momentum, mixed precision: 16-bit weights and gradients, fp32 master and momentum (8): 12 B/param.</summary>
    SgdMomentum = 4,
}
