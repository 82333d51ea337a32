namespace ModelSelection.Devices;

/// <summary>Where a device is deployed: the tiers a large-or-small decision is usually made for.</summary>
public enum DeviceTier
{
    /// <summary>A datacenter GPU or server CPU: cloud and research.</summary>
    Cloud = 0,

    /// <summary>A desktop or workstation GPU (and a desktop Apple SoC).</summary>
    Desktop = 1,

    /// <summary>A laptop: an Apple M-series SoC, a laptop CPU, NPU or integrated GPU.</summary>
    Laptop = 2,

    /// <summary>A phone SoC.</summary>
    Mobile = 3,

    /// <summary>An embedded board or accelerator: Jetson, Raspberry Pi, Coral.</summary>
    Embedded = 4,
}
