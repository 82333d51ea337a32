namespace ModelSelection.Estimation;

/// <summary>What one memory pool holds when a runtime splits a model by layer: weights, KV cache, compute buffers and the runtime's overhead, in bytes.</summary>
/// <param name="WeightsBytes">The weights of the layers (and embedding or output tensors) the pool holds.</param>
/// <param name="KvCacheBytes">The KV cache of its layers.</param>
/// <param name="ComputeBytes">Its compute buffer: the transients of the layers it computes, and the logits when it holds the output layer.</param>
/// <param name="OverheadBytes">The runtime's fixed overhead there (the CUDA context on the device; 0 on the host).</param>
public readonly record struct MemoryPoolFootprint(long WeightsBytes, long KvCacheBytes, long ComputeBytes, long OverheadBytes)
{
    /// <summary>Gets the sum of every term.</summary>
    public long TotalBytes => WeightsBytes + KvCacheBytes + ComputeBytes + OverheadBytes;
}
