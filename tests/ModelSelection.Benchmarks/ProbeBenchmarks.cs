using BenchmarkDotNet.Attributes;
using ModelSelection.Devices;
using ModelSelection.Internal;

namespace ModelSelection.Benchmarks;

/// <summary>
/// The local probe's kernels on one thread (one fp32 or int8 register tile of depth 128 / 256; divide its FLOPs,
/// 2·6·columns·depth, by the time for the single-core rate) and one cache hit, the path <c>select --device local</c>
/// takes once a machine has been measured. Figures for the CI VM are in docs/devices.md.
/// </summary>
public class ProbeBenchmarks
{
    private const int Fp32Depth = 128;
    private const int Int8Depth = 256;
    private readonly float[] _a = new float[Fp32Depth * ProbeKernels.Rows];
    private readonly float[] _b = new float[Fp32Depth * ProbeKernels.Fp32Columns];
    private readonly float[] _c = new float[ProbeKernels.Rows * ProbeKernels.Fp32Columns];
    private readonly byte[] _a8 = new byte[Int8Depth * ProbeKernels.Rows];
    private readonly sbyte[] _b8 = new sbyte[Int8Depth * Math.Max(1, ProbeKernels.Int8Columns)];
    private readonly int[] _c8 = new int[ProbeKernels.Rows * Math.Max(1, ProbeKernels.Int8Columns)];
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "modelselection-probe-benchmark");
    private LocalProbeOptions _cached = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cached = new LocalProbeOptions { CacheDirectory = _cache };
        new LocalDeviceProbe().ProbeAsync(_cached).GetAwaiter().GetResult(); // measures once (about 2 s) and writes the cache
    }

    /// <summary>One fp32 tile: 2·6·Fp32Columns·128 FLOPs (49 152 on AVX-512).</summary>
    [Benchmark]
    public void Fp32Tile() => ProbeKernels.Fp32Tile(_a, _b, _c, Fp32Depth);

    /// <summary>One int8 tile: 2·6·Int8Columns·256 OPs (98 304 on AVX-512BW).</summary>
    [Benchmark]
    public void Int8Tile()
    {
        if (ProbeKernels.Int8Path is not null)
        {
            ProbeKernels.Int8Tile(_a8, _b8, _c8, Int8Depth);
        }
    }

    /// <summary>A probe answered from the per-machine cache by a fresh instance (what a new process does).</summary>
    [Benchmark]
    public DeviceProfile CachedProbe() => new LocalDeviceProbe().ProbeAsync(_cached).GetAwaiter().GetResult();
}
