using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelSelection.Calibration;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Calibration;

/// <summary>
/// <see cref="Calibrator.Calibrate"/>: a device × runtime profile fitted to measured runs. Measurements are generated
/// by a known engine (the truth) so the fit can be checked against what made them; the engine-memory arithmetic is
/// checked against the formula written out independently.
/// </summary>
public class LocalCalibrationTests
{
    private static readonly ModelSpec MiniLm = ModelCatalog.BuiltIn.Get("sentence-transformers/all-MiniLM-L6-v2");
    private static readonly ModelSpec BertBase = ModelCatalog.BuiltIn.Get("bert-base-uncased");
    private static readonly DeviceProfile Cpu = DeviceCatalog.BuiltIn.Get("amd-epyc-9654");
    private static readonly RuntimeProfile Ort = RuntimeCatalog.BuiltIn.Get("onnxruntime");

    private static readonly (int Batch, int Seq)[] Shapes = [(1, 32), (1, 128), (8, 128), (32, 32), (32, 128), (1, 512)];

    /// <summary>An engine unlike the built-in profile: 70 % of peak, a different GEMM shape, slower calls, 3× the buffers and 60 MB of its own.</summary>
    private static RuntimeProfile Truth => Ort with
    {
        DeviceEfficiencies = Ort.DeviceEfficiencies.SetItem(Cpu.Id, Ort.EfficiencyFor(Cpu) with { ComputeEfficiency = 0.2, HalfEfficiencyRows = 40, CallOverheadSeconds = 400e-6, LayerOverheadSeconds = 30e-6 }),
        DeviceMemory = Ort.DeviceMemory.SetItem(Cpu.Id, new RuntimeMemoryModel { FixedBytes = 60_000_000, LoadTransientFraction = 0.3, HiddenBuffers = 9, FeedForwardBuffers = 6, AttentionScoreBuffers = 4.5 }),
    };

    private static MeasuredModel Measure(ModelSpec model, RuntimeProfile truth, IEnumerable<(int Batch, int Seq)> shapes) =>
        new(model, NumericPrecision.Fp32, [.. shapes.Select(s =>
        {
            var workload = new InferenceWorkload { Batch = s.Batch, InputTokens = s.Seq, WeightPrecision = NumericPrecision.Fp32 };
            return new MeasuredPoint
            {
                Batch = s.Batch,
                SequenceLength = s.Seq,
                Latency = TimeSpan.FromSeconds(ModelEstimator.EstimatePerformance(model, workload, Cpu, truth).LatencySeconds),
                Repeats = 5,
                MemoryBytes = ModelEstimator.EstimateMemory(model, workload, Cpu, truth).TotalBytes,
            };
        })]);

    [Fact]
    public void Calibrating_from_many_shapes_predicts_the_engine_that_made_them()
    {
        var runs = new[] { Measure(MiniLm, Truth, Shapes), Measure(BertBase, Truth, Shapes) };
        var calibration = Calibrator.Calibrate(runs, Cpu, Ort, new LocalCalibrationOptions { Timestamp = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero) });

        // The uncalibrated profile is far off (it assumes 0.5 of peak and 2 µs per layer); the calibrated one is not.
        Assert.True(calibration.MedianLatencyErrorBefore > 0.3, $"before: {calibration.MedianLatencyErrorBefore:P1}");
        Assert.True(calibration.WorstLatencyErrorAfter < 0.05, $"after: {calibration.WorstLatencyErrorAfter:P1} {calibration.Efficiency} {string.Join("; ", calibration.Points.Select(p => $"{p.Model} {p.Batch}x{p.SequenceLength} {p.LatencyErrorAfter:P1}"))}");
        Assert.True(calibration.MedianMemoryErrorAfter < 0.02, $"memory after: {calibration.MedianMemoryErrorAfter:P1}");
        Assert.True(calibration.MedianMemoryErrorBefore > calibration.MedianMemoryErrorAfter);
        Assert.Equal(12, calibration.Points.Length);
        Assert.StartsWith("calibrated on amd-epyc-9654 from 12 measured shapes of sentence-transformers/all-MiniLM-L6-v2, bert-base-uncased, 2026-12-07 12:00 UTC", calibration.Efficiency.Source, StringComparison.Ordinal);

        // The fitted entries apply on this device only; the class keeps the catalog's efficiency.
        Assert.Same(calibration.Efficiency, calibration.Runtime.EfficiencyFor(Cpu));
        Assert.Equal(Ort.EfficiencyFor(DeviceClass.ServerCpu), calibration.Runtime.EfficiencyFor(DeviceCatalog.BuiltIn.Get("intel-xeon-platinum-8480plus")));
        Assert.Equal(Ort.Memory, calibration.Runtime.MemoryFor(DeviceCatalog.BuiltIn.Get("intel-xeon-platinum-8480plus")));
    }

    [Fact]
    public void One_shape_is_matched_and_the_unmeasured_parameters_stay_where_they_started()
    {
        var calibration = Calibrator.Calibrate([Measure(MiniLm, Truth, [(8, 128)])], Cpu, Ort);
        var point = Assert.Single(calibration.Points);
        Assert.True(Math.Abs(point.LatencyErrorAfter) < 0.01, $"{point.LatencyErrorAfter:P2}");
        Assert.Equal(point.MeasuredMemoryBytes, point.PredictedMemoryBytesAfter);

        // One memory point fixes the engine's own bytes; the buffer scale is held at the start.
        var start = Ort.MemoryFor(Cpu) ?? new RuntimeMemoryModel();
        Assert.Equal(start.FeedForwardBuffers, calibration.Memory!.FeedForwardBuffers);
        Assert.Equal(start.AttentionScoreBuffers, calibration.Memory.AttentionScoreBuffers);
    }

    [Fact]
    public void The_engine_memory_model_is_weights_plus_its_own_bytes_plus_the_larger_of_its_buffers_and_the_load_transient()
    {
        // all-MiniLM-L6-v2: h = 384, ff = 1536, 12 heads; fp32 weights 4 bytes × 22,713,216 parameters = 90,852,864.
        var engine = new RuntimeMemoryModel { FixedBytes = 50_000_000, LoadTransientFraction = 0.3, HiddenBuffers = 9, FeedForwardBuffers = 6.5, AttentionScoreBuffers = 4.5 };
        var runtime = Ort with { Memory = engine };
        long Expected(int b, int s)
        {
            const long Weights = 90_852_864;
            var buffers = Math.Max(Math.Max(9.0 * b * s * 384, 6.5 * b * s * 1536), 4.5 * b * 12 * s * s) * 4;
            return Weights + 50_000_000 + (long)Math.Max(buffers, Math.Ceiling(0.3 * Weights));
        }

        foreach (var (b, s) in new[] { (1, 32), (32, 128), (4, 512), (16, 256) })
        {
            var memory = ModelEstimator.EstimateMemory(MiniLm, new InferenceWorkload { Batch = b, InputTokens = s, WeightPrecision = NumericPrecision.Fp32 }, Cpu, runtime);
            Assert.Equal(Expected(b, s), memory.TotalBytes, tolerance: 1);
            Assert.Equal(50_000_000, memory.OverheadBytes);
        }
    }

    [Fact]
    public void The_calibration_written_as_configuration_binds_back_and_estimates_the_same()
    {
        var calibration = Calibrator.Calibrate([Measure(MiniLm, Truth, Shapes)], Cpu, Ort);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(calibration.ToJson()))).Build();
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var bound = provider.GetRequiredService<IModelSelectionCatalogs>().Runtimes.Get("onnxruntime");

        Assert.Equal(calibration.Efficiency, bound.EfficiencyFor(Cpu));
        Assert.Equal(calibration.Memory, bound.MemoryFor(Cpu));
        var workload = new InferenceWorkload { Batch = 4, InputTokens = 256, WeightPrecision = NumericPrecision.Fp32 };
        Assert.Equal(
            ModelEstimator.EstimatePerformance(MiniLm, workload, Cpu, calibration.Runtime).LatencySeconds,
            ModelEstimator.EstimatePerformance(MiniLm, workload, Cpu, bound).LatencySeconds);
        Assert.Equal(
            ModelEstimator.EstimateMemory(MiniLm, workload, Cpu, calibration.Runtime).TotalBytes,
            ModelEstimator.EstimateMemory(MiniLm, workload, Cpu, bound).TotalBytes);

        // The other runtimes and the class efficiency are the built-in ones.
        Assert.Equal(Ort.EfficiencyFor(DeviceClass.ServerCpu), bound.EfficiencyFor(DeviceClass.ServerCpu));
    }

    [Fact]
    public void The_runtime_catalog_json_keeps_engine_memory_and_device_entries()
    {
        var calibration = Calibrator.Calibrate([Measure(MiniLm, Truth, Shapes)], Cpu, Ort);
        var catalog = RuntimeCatalog.BuiltIn.With([calibration.Runtime]);
        var read = RuntimeCatalog.FromJson(catalog.ToJson(), "round trip").Get("onnxruntime");
        Assert.Equal(calibration.Efficiency, read.EfficiencyFor(Cpu));
        Assert.Equal(calibration.Memory, read.MemoryFor(Cpu));
        Assert.Equal(Ort.Memory, read.Memory);

        var bad = catalog.ToJson().Replace("\"feedForwardBuffers\": ", "\"feedForwardBuffers\": 1000", StringComparison.Ordinal);
        var error = Assert.Throws<ModelImportException>(() => RuntimeCatalog.FromJson(bad, "bad.json"));
        Assert.Contains("FeedForwardBuffers", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.runtimes[", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_calibration_input_is_refused_with_the_reason()
    {
        var empty = Assert.Throws<ArgumentException>(() => Calibrator.Calibrate([], Cpu, Ort));
        Assert.Contains("at least one measured shape", empty.Message, StringComparison.Ordinal);

        var gpu = DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb");
        var wrongDevice = Assert.Throws<ArgumentException>(() => Calibrator.Calibrate([Measure(MiniLm, Truth, [(1, 32)])], gpu, Ort));
        Assert.Contains("does not run on nvidia-h100-sxm-80gb (datacenter-gpu)", wrongDevice.Message, StringComparison.Ordinal);

        var llamaCpp = RuntimeCatalog.BuiltIn.Get("llama.cpp");
        var wrongKind = Assert.Throws<ArgumentException>(() => Calibrator.Calibrate([Measure(MiniLm, Truth, [(1, 32)]) with { Precision = NumericPrecision.Int4 }], Cpu, llamaCpp));
        Assert.Contains("cannot run model 'sentence-transformers/all-MiniLM-L6-v2' in int4", wrongKind.Message, StringComparison.Ordinal);

        var tooLong = new MeasuredModel(MiniLm, NumericPrecision.Fp32, [new MeasuredPoint { Batch = 1, SequenceLength = 1024, Latency = TimeSpan.FromMilliseconds(10) }]);
        var positions = Assert.Throws<ArgumentException>(() => Calibrator.Calibrate([tooLong], Cpu, Ort));
        Assert.Contains("learned position embeddings for 512 tokens", positions.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() => new MeasuredPoint { Batch = 1, SequenceLength = 1, Latency = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeasuredPoint { Batch = 0, SequenceLength = 1, Latency = TimeSpan.FromSeconds(1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeasuredPoint { Batch = 1, SequenceLength = 1, Latency = TimeSpan.FromSeconds(1), MemoryBytes = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalCalibrationOptions { PriorWeight = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RuntimeMemoryModel { FeedForwardBuffers = 300 });
    }

    [Fact]
    public void Points_without_memory_fit_the_latency_only()
    {
        var run = Measure(MiniLm, Truth, Shapes);
        var calibration = Calibrator.Calibrate([run with { Points = [.. run.Points.Select(p => p with { MemoryBytes = null })] }], Cpu, Ort);
        Assert.Null(calibration.Memory);
        Assert.Null(calibration.MedianMemoryErrorAfter);
        Assert.Equal(Ort.MemoryFor(Cpu), calibration.Runtime.MemoryFor(Cpu));
        Assert.DoesNotContain("DeviceMemory", calibration.ToJson(), StringComparison.Ordinal);
        Assert.True(calibration.WorstLatencyErrorAfter < 0.05);
    }
}
