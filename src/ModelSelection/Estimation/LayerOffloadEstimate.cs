namespace ModelSelection.Estimation;

/// <summary>
/// How a runtime that offloads by layer (llama.cpp) splits a model between the device and its host: the last
/// <see cref="GpuLayers"/> blocks (and the output layer when all of them) on the device, the rest and the token
/// embedding in host memory, each pool's footprint, and the time each pool spends per step.
/// </summary>
/// <remarks>A class, not a struct: most estimates have no split, and a performance estimate that carried its 104
/// bytes inline would copy them with every estimate the selector makes.</remarks>
/// <param name="GpuLayers">Blocks on the device (llama.cpp's <c>-ngl</c>).</param>
/// <param name="Layers">Blocks of the model.</param>
/// <param name="Device">What the device's memory holds.</param>
/// <param name="Host">What the host's memory holds.</param>
/// <param name="DeviceUsableBytes">The device memory the runtime may use.</param>
/// <param name="HostUsableBytes">The host memory a model may use.</param>
/// <param name="DeviceStepSeconds">The device's part of one decoding step (or of the forward pass without one).</param>
/// <param name="HostStepSeconds">The host's part of it, at the host's bandwidth and compute.</param>
public sealed record LayerOffloadEstimate(int GpuLayers, int Layers, MemoryPoolFootprint Device, MemoryPoolFootprint Host, long DeviceUsableBytes, long HostUsableBytes, double DeviceStepSeconds, double HostStepSeconds)
{
    /// <summary>Gets whether the device's share fits its usable memory.</summary>
    public bool DeviceFits => Device.TotalBytes <= DeviceUsableBytes;

    /// <summary>Gets whether the host's share fits the host's usable memory.</summary>
    public bool HostFits => Host.TotalBytes <= HostUsableBytes;

    /// <summary>Gets e.g. <c>48 of 80 layers on the GPU</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{GpuLayers} of {Layers} layers on the GPU";
}
