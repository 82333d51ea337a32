using System.Text.Json.Nodes;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Runtimes;

/// <summary>The machine a recorded probe (the <c>probe</c> object of a validation document) describes.</summary>
internal static class RecordedProbe
{
    /// <summary>Builds the device: the recorded rates, already sustained (efficiencies 1), a server CPU.</summary>
    /// <param name="probe">The recorded <c>probe</c> object.</param>
    /// <param name="id">The device id (<c>local</c> is reserved in catalogs).</param>
    /// <returns>The device.</returns>
    public static DeviceProfile ToDevice(JsonObject probe, string id)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new DeviceProfile
        {
            Id = id,
            DisplayName = (string?)probe["name"] ?? id,
            Class = DeviceClass.ServerCpu,
            MemoryBytes = (long)probe["memoryBytes"]!,
            IsUnifiedMemory = true,
            MemoryBandwidthBytesPerSecond = (double)probe["bandwidthBytesPerSecond"]!,
            PeakFlops = new PrecisionPeaks { Fp32 = (double)probe["fp32FlopsPerSecond"]!, Int8 = (double?)probe["int8OpsPerSecond"] },
            ComputeEfficiency = 1,
            MemoryEfficiency = 1,
            Sources = ["recorded probe of this machine (LocalDeviceProbe)"],
        };
    }
}
