namespace ModelSelection.Estimation;

/// <summary>
/// Memory per device, itemised in exact bytes: weights, KV cache, peak activations, runtime overhead, and for
/// training gradients and optimizer states. The terms sum to <see cref="TotalBytes"/>.
/// </summary>
/// <param name="WeightsBytes">Weights, quantisation scales included.</param>
/// <param name="KvCacheBytes">KV cache (or Transformer-XL memory) at the end of the request.</param>
/// <param name="ActivationsBytes">Peak transient activations (and logits).</param>
/// <param name="OverheadBytes">Runtime overhead of the device (CUDA context, allocator); 0 without a device.</param>
/// <param name="GradientsBytes">Gradients (training).</param>
/// <param name="OptimizerStatesBytes">Optimizer states and fp32 master weights (training).</param>
public readonly record struct MemoryEstimate(long WeightsBytes, long KvCacheBytes, long ActivationsBytes, long OverheadBytes, long GradientsBytes, long OptimizerStatesBytes)
{
    /// <summary>Gets the sum of every term.</summary>
    public long TotalBytes => WeightsBytes + KvCacheBytes + ActivationsBytes + OverheadBytes + GradientsBytes + OptimizerStatesBytes;
}
