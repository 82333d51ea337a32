using ModelSelection.Devices;

namespace ModelSelection.Tests.Devices;

/// <summary>The probe on whatever machine runs the tests: physically plausible values, never timing assertions.</summary>
public class LocalDeviceProbeTests
{
    private static readonly LocalProbeOptions Quick = new() { TimeBudget = TimeSpan.FromSeconds(0.3) };

    [Fact]
    public async Task ProbeAsync_ReturnsPlausibleValues()
    {
        var lines = new List<string>();
        var options = new LocalProbeOptions { TimeBudget = TimeSpan.FromSeconds(0.3), Progress = new SynchronousProgress(lines) };
        var local = await new LocalDeviceProbe().ProbeAsync(options);
        Assert.Equal("local", local.Id);
        Assert.InRange(local.MemoryBytes, 64L << 20, 1L << 50);                      // 64 MiB … 1 PiB
        Assert.InRange(local.PeakFlops.Fp32!.Value, 1e7, 1e15);                       // 10 MFLOP/s … 1 PFLOP/s
        Assert.InRange(local.MemoryBandwidthBytesPerSecond, 1e7, 1e14);             // 10 MB/s … 100 TB/s
        Assert.Equal(1.0, local.ComputeEfficiency);
        Assert.Equal(1.0, local.MemoryEfficiency);
        Assert.True(local.IsUnifiedMemory);
        Assert.Contains("logical cores", local.Measurement);
        Assert.Contains("triad", local.Measurement);
        Assert.Equal(3, lines.Count);
        Assert.Null(local.PeakFlops.Fp16);
        Assert.Equal(NumericPrecision.Fp32, local.PeakFlops.Resolve(NumericPrecision.Int8)!.Value.Compute); // everything falls back to the measured fp32
    }

    [Fact]
    public async Task ProbeAsync_HonoursCancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LocalDeviceProbe().ProbeAsync(Quick, cancelled.Token));

        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LocalDeviceProbe().ProbeAsync(new LocalProbeOptions { TimeBudget = TimeSpan.FromSeconds(30) }, soon.Token));
    }

    [Fact]
    public async Task ProbeAsync_RejectsImpossibleOptions()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new LocalDeviceProbe().ProbeAsync(new LocalProbeOptions { TimeBudget = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new LocalDeviceProbe().ProbeAsync(new LocalProbeOptions { Threads = 0 }));
    }

    [Fact]
    public void InstructionSets_AreReported() =>
        Assert.All(LocalDeviceProbe.InstructionSets(), name => Assert.False(string.IsNullOrWhiteSpace(name)));

    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
