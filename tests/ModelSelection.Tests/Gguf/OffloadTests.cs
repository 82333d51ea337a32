using FsCheck;
using FsCheck.Fluent;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Gguf;

/// <summary>Layer offload to a host memory pool: the split, its properties, and the selector choosing the largest that fits.</summary>
public sealed class OffloadTests
{
    private static readonly RuntimeProfile LlamaCpp = RuntimeCatalog.BuiltIn.Get("llama.cpp");

    /// <summary>A 12 GB RTX 3060 in a PC with 64 GiB of dual-channel DDR4-3200 (51.2 GB/s) and an 8-core CPU (~1 TFLOP/s fp32).</summary>
    private static DeviceProfile Pc(double hostGiB = 64) => DeviceCatalog.BuiltIn.Get("nvidia-rtx-3060-12gb") with
    {
        Host = new HostMemoryPool { MemoryBytes = (long)(hostGiB * (1L << 30)), BandwidthBytesPerSecond = 51.2e9, PeakFlops = new PrecisionPeaks { Fp32 = 1e12 } },
    };

    private static InferenceWorkload Workload(int? gpuLayers) => new() { WeightPrecision = NumericPrecision.GgufQ4KM, InputTokens = 512, GeneratedTokens = 128, GpuLayers = gpuLayers };

    [Fact]
    public void TheSelectorKeepsTheMostLayersThatFitOnTheGpuAndSaysSo()
    {
        var selector = new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, runtimes: RuntimeCatalog.BuiltIn);
        var result = selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-3.1-70B"],
            Devices = [Pc()],
            RuntimeIds = ["llama.cpp"],
            Precisions = [NumericPrecision.GgufQ4KM],
            Workload = Workload(null),
        });

        Assert.True(result.Choice is not null, string.Join("; ", result.Rejected.SelectMany(r => r.Reasons.Select(x => r.Candidate.Key + ": " + x.Message))));
        var choice = result.Choice!;
        var split = choice.Performance!.Value.Offload!;
        Assert.Equal(80, split.Layers);
        Assert.InRange(split.GpuLayers, 1, 79);
        Assert.Contains($"({split.GpuLayers} of 80 layers on the GPU)", choice.Key, StringComparison.Ordinal);
        var usable = Pc().UsableMemoryBytes;
        Assert.True(split.Device.TotalBytes <= usable, "the chosen split fits the GPU");
        var oneMore = ModelEstimator.EstimatePerformance(choice.Model, Workload(split.GpuLayers + 1), Pc(), LlamaCpp).Offload!;
        Assert.True(oneMore.Device.TotalBytes > usable, "one layer more would not fit: the split is the largest");
    }

    [Fact]
    public void AHostTooSmallForTheRestIsARejectionWithNumbers()
    {
        var selector = new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, runtimes: RuntimeCatalog.BuiltIn);
        var result = selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-3.1-70B"],
            Devices = [Pc(hostGiB: 16)],
            RuntimeIds = ["llama.cpp"],
            Precisions = [NumericPrecision.GgufQ4KM],
            Workload = Workload(null),
        });

        Assert.Null(result.Choice);
        var reason = Assert.Single(Assert.Single(result.Rejected).Reasons);
        Assert.Equal(RejectionCode.ExceedsMemory, reason.Code);
    }

    [Fact]
    public void OffloadNeedsAHostPoolAndALayerOffloadingRuntime()
    {
        var model = ModelCatalog.BuiltIn.Get("meta-llama/Llama-3.1-8B");
        var gpu = DeviceCatalog.BuiltIn.Get("nvidia-rtx-3060-12gb");
        Assert.Contains("has none", Assert.Throws<ArgumentException>(() => ModelEstimator.EstimatePerformance(model, Workload(10), gpu, LlamaCpp)).Message, StringComparison.Ordinal);
        Assert.Contains("only a runtime that offloads by layer", Assert.Throws<ArgumentException>(() => ModelEstimator.EstimatePerformance(model, Workload(10), Pc())).Message, StringComparison.Ordinal);
        Assert.Contains("at most the 32 blocks", Assert.Throws<ArgumentException>(() => ModelEstimator.EstimatePerformance(model, Workload(33), Pc(), LlamaCpp)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceWorkload { GpuLayers = -1 });
    }

    /// <summary>Each pool's footprint sums to the total, and one more layer on the GPU is never slower, for every split of a 32-block model.</summary>
    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property PoolsSumToTheTotalAndMoreGpuLayersAreNeverSlower()
    {
        var model = ModelCatalog.BuiltIn.Get("meta-llama/Llama-3.1-8B");
        var gen = from layers in Gen.Choose(0, 31)
                  from seq in Gen.Choose(1, 2048)
                  from generated in Gen.Choose(0, 256)
                  from format in Gen.Elements(NumericPrecision.GgufQ4KM, NumericPrecision.GgufQ80, NumericPrecision.GgufQ40, NumericPrecision.Fp16)
                  select (layers, seq, generated, format);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (n, seq, generated, format) = t;
            InferenceWorkload W(int layers) => new() { WeightPrecision = format, InputTokens = seq, GeneratedTokens = generated, GpuLayers = layers };
            var here = ModelEstimator.EstimatePerformance(model, W(n), Pc(), LlamaCpp);
            var next = ModelEstimator.EstimatePerformance(model, W(n + 1), Pc(), LlamaCpp);
            var memory = ModelEstimator.EstimateMemory(model, W(n) , Pc(), LlamaCpp);
            var o = here.Offload!;
            var sums = o.Device.WeightsBytes + o.Host.WeightsBytes == ModelEstimator.EstimateMemory(model, W(n) with { GpuLayers = null }).WeightsBytes
                && o.Device.KvCacheBytes + o.Host.KvCacheBytes == ModelEstimator.EstimateMemory(model, W(n) with { GpuLayers = null }, null, LlamaCpp).KvCacheBytes
                && o.Device.TotalBytes + o.Host.TotalBytes >= o.Device.WeightsBytes + o.Host.WeightsBytes;
            return (sums && next.LatencySeconds <= here.LatencySeconds * (1 + 1e-12))
                .Label($"n={n}: latency {here.LatencySeconds} → {next.LatencySeconds}; weights {o.Device.WeightsBytes}+{o.Host.WeightsBytes}; memory {memory.TotalBytes}");
        });
    }

    [Fact]
    public void AHostPoolBindsFromConfigurationAndUnifiedMemoryRefusesOne()
    {
        var options = new DeviceProfileOptions
        {
            Host = new HostMemoryPoolOptions { Memory = "64 GiB", Bandwidth = "51.2 GB/s", PeakFlops = new PrecisionPeaksOptions { Fp32 = 1e12 } },
        };
        var pc = options.ToProfile(DeviceCatalog.BuiltIn.Get("nvidia-rtx-3060-12gb"));
        Assert.Equal(64L << 30, pc.Host!.MemoryBytes);
        Assert.Equal(51.2e9, pc.Host.BandwidthBytesPerSecond, 3);
        var unified = Assert.Throws<ArgumentException>(() => options.ToProfile(DeviceCatalog.BuiltIn.Get("apple-m1")));
        Assert.Contains("unified memory", unified.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => new DeviceProfileOptions { Host = new HostMemoryPoolOptions { Memory = "lots" } }.ToProfile(DeviceCatalog.BuiltIn.Get("nvidia-rtx-3060-12gb")));
        Assert.Contains("Host.Memory must be a size", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Host.PeakFlops is required", missing.Message, StringComparison.Ordinal);
    }
}
