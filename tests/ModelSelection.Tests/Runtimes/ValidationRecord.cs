using System.Globalization;
using System.Text.Json.Nodes;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Runtimes;

/// <summary>
/// The parts of a validation document (docs/measurements) that every validation tool writes alike — the machine, the
/// probe, the higher reading of two probes — and the device a recorded probe describes. Compiled into the test suite,
/// the validation console and the benchmarks' llama.cpp validation.
/// </summary>
internal static class ValidationRecord
{
    /// <summary>The machine the measurements ran on: cores, OS, architecture, .NET, load average and time.</summary>
    /// <returns>The <c>machine</c> object.</returns>
    public static JsonObject Machine() => new()
    {
        ["logicalCores"] = Environment.ProcessorCount,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["architecture"] = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
        ["dotnet"] = Environment.Version.ToString(),
        ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
        ["utc"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
    };

    /// <summary>A probed device as a <c>probe</c> object.</summary>
    /// <param name="device">The probed device.</param>
    /// <returns>The object.</returns>
    public static JsonObject Probe(DeviceProfile device) => new()
    {
        ["device"] = device.Id,
        ["name"] = device.DisplayName,
        ["fp32FlopsPerSecond"] = device.PeakFlops.Fp32,
        ["int8OpsPerSecond"] = device.PeakFlops.Int8,
        ["bandwidthBytesPerSecond"] = device.MemoryBandwidthBytesPerSecond,
        ["memoryBytes"] = device.MemoryBytes,
        ["measured"] = device.Notes,
    };

    /// <summary>
    /// The probed device with each rate the higher of two probes' (fp32, int8, bandwidth): interference from other work
    /// only ever lowers a peak, and a probe caught in a contention episode reads about half in all its runs.
    /// </summary>
    /// <param name="first">The probe before the measurements.</param>
    /// <param name="second">The probe after them.</param>
    /// <returns>The device.</returns>
    public static DeviceProfile HigherOf(DeviceProfile first, DeviceProfile second) => first with
    {
        PeakFlops = first.PeakFlops with
        {
            Fp32 = Max(first.PeakFlops.Fp32, second.PeakFlops.Fp32),
            Int8 = Max(first.PeakFlops.Int8, second.PeakFlops.Int8),
        },
        MemoryBandwidthBytesPerSecond = Math.Max(first.MemoryBandwidthBytesPerSecond, second.MemoryBandwidthBytesPerSecond),
        Notes = string.Create(CultureInfo.InvariantCulture, $"Each rate is the higher of two probes (before and after the measurements): fp32 {first.PeakFlops.Fp32:0.###e0} and {second.PeakFlops.Fp32:0.###e0} FLOP/s, bandwidth {first.MemoryBandwidthBytesPerSecond:0.###e0} and {second.MemoryBandwidthBytesPerSecond:0.###e0} B/s. First probe: {first.Notes} Second probe: {second.Notes}"),
    };

    /// <summary>The machine a recorded <c>probe</c> object describes: its rates, already sustained (efficiencies 1), a server CPU.</summary>
    /// <param name="probe">The recorded <c>probe</c> object.</param>
    /// <param name="id">The device id (<c>local</c> is reserved in catalogs).</param>
    /// <returns>The device.</returns>
    public static DeviceProfile Device(JsonObject probe, string id)
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

    private static double? Max(double? a, double? b) => a is { } x && b is { } y ? Math.Max(x, y) : a ?? b;
}
