namespace ModelSelection.Devices;

/// <summary>The kind of device, which sets the defaults for usable memory, efficiencies and runtime overhead.</summary>
public enum DeviceClass
{
    /// <summary>A datacenter GPU (A100, H100, L4, T4).</summary>
    DatacenterGpu = 0,

    /// <summary>A consumer graphics card (GeForce RTX).</summary>
    ConsumerGpu = 1,

    /// <summary>An Apple M-series system on a chip with unified memory.</summary>
    AppleSoc = 2,

    /// <summary>An embedded GPU module (Jetson).</summary>
    EdgeGpu = 3,

    /// <summary>A small-board CPU (Raspberry Pi) or a desktop CPU probed locally.</summary>
    EdgeCpu = 4,

    /// <summary>A neural accelerator (Coral Edge TPU).</summary>
    Npu = 5,

    /// <summary>A phone system on a chip (Snapdragon, A-series).</summary>
    PhoneSoc = 6,

    /// <summary>A server CPU (EPYC, Xeon).</summary>
    ServerCpu = 7,
}
