using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Runtimes;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Runtimes;

/// <summary>Invariants of every built-in runtime on every device it runs on: physics no efficiency may break.</summary>
public class RuntimePropertyTests
{
    /// <summary>Every built-in runtime × built-in device it runs on, with the first format it runs that the device computes.</summary>
    private static readonly (RuntimeProfile Runtime, DeviceProfile Device, NumericPrecision Format)[] Pairs =
    [
        .. from r in RuntimeCatalog.BuiltIn.Runtimes
           from d in DeviceCatalog.BuiltIn.Devices
           where r.RunsOn(d) && r.Serves(ModelKind.Decoder)
           let f = r.Formats.FirstOrDefault(f => d.PeakFlops.Resolve(r.ComputeFormat(f, d.Class)) is not null)
           where f != default
           select (r, d, f),
    ];

    public static Arbitrary<(RuntimeProfile Runtime, DeviceProfile Device, NumericPrecision Format)> PairArbitrary() => Gen.Elements(Pairs).ToArbitrary();

    private static ModelSpec Import(ConfigShape shape) => HuggingFaceConfig.Parse(shape.ToJson(), "generated", null);

    private static InferenceWorkload Decoding(InferenceWorkload w, NumericPrecision format) =>
        w with { WeightPrecision = format, GeneratedTokens = Math.Max(1, w.GeneratedTokens), Attention = AttentionImplementation.Flash };

    private static double Latency(ModelSpec m, InferenceWorkload w, (RuntimeProfile Runtime, DeviceProfile Device, NumericPrecision) p) =>
        ModelEstimator.EstimatePerformance(m, w, p.Device, p.Runtime).LatencySeconds;

    [Property(Arbitrary = [typeof(WorkloadArbitraries), typeof(RuntimePropertyTests)], MaxTest = 300)]
    public void Latency_never_decreases_with_batch_sequence_generated_tokens_or_layers(ConfigShape shape, InferenceWorkload workload, (RuntimeProfile Runtime, DeviceProfile Device, NumericPrecision Format) pair)
    {
        var model = Import(shape);
        if (model.Architecture.Kind != ModelKind.Decoder)
        {
            return;
        }

        var w = Decoding(workload, pair.Format);
        var baseline = Latency(model, w, pair);
        foreach (var more in new[] { w with { Batch = w.Batch + 1 }, w with { InputTokens = w.InputTokens + 1 }, w with { GeneratedTokens = w.GeneratedTokens + 1 } })
        {
            Assert.True(Latency(model, more, pair) >= baseline * (1 - 1e-12), $"{pair.Runtime.Id} on {pair.Device.Id}: {more} is faster than {w}");
        }

        var deeper = Import(shape with { Layers = shape.Layers + 1 });
        Assert.True(Latency(deeper, w, pair) >= baseline * (1 - 1e-12), $"{pair.Runtime.Id} on {pair.Device.Id}: one more layer is faster");
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries), typeof(RuntimePropertyTests)], MaxTest = 300)]
    public void No_runtime_beats_the_device_peaks(ConfigShape shape, InferenceWorkload workload, (RuntimeProfile Runtime, DeviceProfile Device, NumericPrecision Format) pair)
    {
        // Independent lower bound: a phase cannot take less than its FLOPs at the highest peak the device has, nor less
        // than reading the weights once at the full nominal bandwidth.
        var model = Import(shape);
        if (model.Architecture.Kind != ModelKind.Decoder)
        {
            return;
        }

        var w = Decoding(workload, pair.Format);
        var p = ModelEstimator.EstimatePerformance(model, w, pair.Device, pair.Runtime);
        var memory = ModelEstimator.EstimateMemory(model, w, pair.Device, pair.Runtime);
        var flops = ModelEstimator.EstimateFlops(model, w);
        var peaks = pair.Device.PeakFlops;
        var highest = new[] { peaks.Fp32, peaks.Tf32, peaks.Fp16, peaks.Bf16, peaks.Fp8, peaks.Int8, peaks.Int4 }.Max() ?? double.PositiveInfinity;
        Assert.True(p.TimeToFirstTokenSeconds >= Math.Max(flops.Forward.Flops / highest, memory.WeightsBytes / pair.Device.MemoryBandwidthBytesPerSecond) * (1 - 1e-9));
        Assert.True(p.TimePerOutputTokenSeconds >= flops.PerGeneratedToken!.Value.Flops / highest * (1 - 1e-9));
    }

    [Property(Arbitrary = [typeof(WorkloadArbitraries), typeof(RuntimePropertyTests)], MaxTest = 200)]
    public void Replicas_never_lower_throughput_and_pipelines_never_hold_more_per_device(ConfigShape shape, InferenceWorkload workload, (RuntimeProfile Runtime, DeviceProfile Device, NumericPrecision Format) pair, PositiveInt devices)
    {
        var model = Import(shape);
        if (model.Architecture.Kind != ModelKind.Decoder)
        {
            return;
        }

        var n = 2 + (devices.Get % 7);
        var w = Decoding(workload, pair.Format);
        var one = ModelEstimator.EstimatePerformance(model, w, pair.Device, pair.Runtime);
        var replicas = ModelEstimator.EstimatePerformance(model, w with { Devices = n, Layout = DeviceLayout.Replicas }, pair.Device, pair.Runtime);
        Assert.True(replicas.ThroughputPerSecond >= one.ThroughputPerSecond * (1 - 1e-12));
        TestHelper.AssertRelativelyClose(n * one.ThroughputPerSecond, replicas.ThroughputPerSecond, 1e-12);
        if (pair.Device.InterconnectBandwidthBytesPerSecond is not null && pair.Runtime.Layouts.Contains(DeviceLayout.PipelineParallel))
        {
            var piped = ModelEstimator.EstimateMemory(model, w with { Devices = n, Layout = DeviceLayout.PipelineParallel }, pair.Device, pair.Runtime);
            var single = ModelEstimator.EstimateMemory(model, w, pair.Device, pair.Runtime);
            Assert.True(piped.WeightsBytes <= single.WeightsBytes && piped.KvCacheBytes <= single.KvCacheBytes);
        }
    }
}
