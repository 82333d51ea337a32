using System.CommandLine;
using System.Globalization;
using ModelSelection.Devices;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>The host memory pool options <c>estimate</c> and <c>select</c> share: system RAM, its bandwidth and the CPU's peak, for llama.cpp's layer offload.</summary>
internal sealed class HostPoolOptions
{
    private readonly Option<double?> _memory = CliOptions.Number("--host-memory", "System RAM beside the device, in GiB: a second memory pool llama.cpp offloads layers to (--gpu-layers).", "GIB");
    private readonly Option<double?> _bandwidth = CliOptions.Number("--host-bandwidth", "System RAM bandwidth in GB/s (dual-channel DDR5-5600: 89.6); required with --host-memory.", "GB_PER_S");
    private readonly Option<double?> _gflops = CliOptions.Number("--host-gflops", "The CPU's fp32 peak in GFLOP/s (cores × GHz × FLOPs per cycle); required with --host-memory.", "GFLOPS");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _memory, _bandwidth, _gflops })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether any of the options was given.</summary>
    public bool Given(ParseResult parseResult) => parseResult.GetValue(_memory) is not null || parseResult.GetValue(_bandwidth) is not null || parseResult.GetValue(_gflops) is not null;

    /// <summary>The device with the host pool the options describe, or an error message.</summary>
    public (DeviceProfile? Device, string? Error) Apply(ParseResult parseResult, DeviceProfile device)
    {
        double?[] values = [parseResult.GetValue(_memory), parseResult.GetValue(_bandwidth), parseResult.GetValue(_gflops)];
        if (values.Any(v => v is null))
        {
            return (null, "--host-memory (GiB), --host-bandwidth (GB/s) and --host-gflops describe one host pool: give all three.");
        }

        if (values.Any(v => v is not > 0 || !double.IsFinite(v.Value)))
        {
            return (null, $"--host-memory (GiB), --host-bandwidth (GB/s) and --host-gflops must be positive numbers; were {string.Join(", ", values.Select(v => v!.Value.ToString(CultureInfo.InvariantCulture)))}.");
        }

        if (device.IsUnifiedMemory)
        {
            return (null, $"Device '{device.Id}' has unified memory: one pool, so --host-memory does not apply.");
        }

        if (values[0]!.Value * (1L << 30) >= long.MaxValue)
        {
            return (null, $"--host-memory must be below 8 EiB; was {values[0]!.Value.ToString(CultureInfo.InvariantCulture)} GiB.");
        }

        return (device with { Host = new HostMemoryPool { MemoryBytes = (long)(values[0]!.Value * (1L << 30)), BandwidthBytesPerSecond = values[1]!.Value * 1e9, PeakFlops = new PrecisionPeaks { Fp32 = values[2]!.Value * 1e9 } } }, null);
    }
}
