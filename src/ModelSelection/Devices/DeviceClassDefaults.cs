namespace ModelSelection.Devices;

/// <summary>
/// The modelling defaults a <see cref="DeviceProfile"/> takes from its class when it does not set its own. The
/// reasoning and sources of each number are in <c>docs/devices.md</c>; calibrate them for your runtime.
/// </summary>
internal static class DeviceClassDefaults
{
    private const long MiB = 1L << 20;

    /// <summary>Fraction of the memory a model may use: ECC and driver reserve on GPUs, the OS's share of unified memory.</summary>
    public static double UsableMemoryFraction(DeviceClass c) => c switch
    {
        DeviceClass.DatacenterGpu => 0.95,
        DeviceClass.ConsumerGpu => 0.95,
        DeviceClass.AppleSoc => 0.67,
        DeviceClass.EdgeGpu => 0.75,
        DeviceClass.EdgeCpu => 0.75,
        DeviceClass.Npu => 1.0,
        DeviceClass.PhoneSoc => 0.5,
        _ => 0.9,
    };

    /// <summary>Fraction of the peak FLOP/s a real kernel sustains.</summary>
    public static double ComputeEfficiency(DeviceClass c) => c switch
    {
        DeviceClass.DatacenterGpu or DeviceClass.ConsumerGpu => 0.7,
        DeviceClass.AppleSoc => 0.6,
        DeviceClass.EdgeGpu or DeviceClass.EdgeCpu or DeviceClass.Npu => 0.5,
        DeviceClass.PhoneSoc => 0.4,
        _ => 0.6,
    };

    /// <summary>Fraction of the peak memory bandwidth a real kernel sustains.</summary>
    public static double MemoryEfficiency(DeviceClass c) => c switch
    {
        DeviceClass.DatacenterGpu or DeviceClass.ConsumerGpu => 0.85,
        DeviceClass.AppleSoc => 0.8,
        DeviceClass.EdgeGpu => 0.7,
        DeviceClass.EdgeCpu => 0.45,
        DeviceClass.Npu => 0.5,
        DeviceClass.PhoneSoc => 0.6,
        _ => 0.7,
    };

    /// <summary>Fixed latency per call: framework dispatch and kernel launches that no roofline sees.</summary>
    public static double FixedOverheadSeconds(DeviceClass c) => c switch
    {
        DeviceClass.DatacenterGpu or DeviceClass.ConsumerGpu or DeviceClass.EdgeGpu => 0.5e-3,
        DeviceClass.AppleSoc => 1e-3,
        DeviceClass.Npu or DeviceClass.PhoneSoc => 2e-3,
        _ => 0.1e-3,
    };

    /// <summary>Memory the runtime takes before the model: CUDA context and allocator, Metal, a CPU runtime.</summary>
    public static long RuntimeOverheadBytes(DeviceClass c) => c switch
    {
        DeviceClass.DatacenterGpu or DeviceClass.ConsumerGpu => 650 * MiB,
        DeviceClass.EdgeGpu => 300 * MiB,
        DeviceClass.AppleSoc => 200 * MiB,
        DeviceClass.PhoneSoc => 150 * MiB,
        DeviceClass.Npu => 0,
        _ => 100 * MiB,
    };
}
