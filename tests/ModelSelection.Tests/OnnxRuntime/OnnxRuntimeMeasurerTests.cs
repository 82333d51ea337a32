using ModelSelection.Calibration;
using ModelSelection.Catalog;
using ModelSelection.Models;
using ModelSelection.OnnxRuntime;
using ModelSelection.Tests.Onnx;

namespace ModelSelection.Tests.OnnxRuntime;

/// <summary>
/// <see cref="OnnxRuntimeMeasurer"/> on generated encoders and the all-MiniLM-L6-v2 export. Only the structure of the
/// points is asserted, never a time: the machines are shared and noisy.
/// </summary>
[Collection(OnnxRuntimeSerial.Name)]
public sealed class OnnxRuntimeMeasurerTests : IDisposable
{
    private static readonly EncoderShape Tiny = new(2, 64, 4, 256) { VocabularySize = 2000, MaxPositions = 128 };
    private static readonly OnnxMeasurementOptions Quick = new() { Warmup = 1, MinimumRepeats = 3, MaximumRepeats = 4, MinimumDuration = TimeSpan.Zero };
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-ort-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Measure_TinyEncoder_ReturnsOneWellFormedPointPerShapeInOrder()
    {
        var path = Write(Tiny);
        ShapeToMeasure[] shapes = [new(2, 16), new(1, 48)];

        var measured = OnnxRuntimeMeasurer.Measure(path, shapes, Quick);

        Assert.Equal([(2, 16), (1, 48)], measured.Points.Select(p => (p.Batch, p.SequenceLength)));
        foreach (var point in measured.Points)
        {
            AssertWellFormed(point, Quick);
        }

        var a = measured.Model.Architecture;
        Assert.Equal((Tiny.Layers, Tiny.HiddenSize, Tiny.AttentionHeads, Tiny.FeedForwardSize, Tiny.VocabularySize, Tiny.MaxPositions), (a.Layers, a.HiddenSize, a.AttentionHeads, a.FeedForwardSize, a.VocabularySize, a.MaxPositions));
        Assert.Equal(ModelKind.Encoder, a.Kind);
        Assert.Equal(NumericPrecision.Fp32, measured.Precision);
        Assert.StartsWith("ONNX Runtime 1.32.0 CPU execution provider, default (ONNX Runtime's choice) intra-op threads, ", measured.Source, StringComparison.Ordinal);
        Assert.Contains($"{Environment.ProcessorCount} logical cores", measured.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_MiniLm_At1x32_Runs()
    {
        var measured = OnnxRuntimeMeasurer.Measure(MiniLmOnnx.Path, [ShapeToMeasure.Parse("1x32")], Quick with { IntraOpThreads = 1 });

        var point = Assert.Single(measured.Points);
        Assert.Equal((1, 32), (point.Batch, point.SequenceLength));
        AssertWellFormed(point, Quick);
        Assert.Contains("1 intra-op threads", point.Detail, StringComparison.Ordinal);
        Assert.Equal(22_713_216L, measured.Model.Parameters.Count);
        Assert.Equal("bert", measured.Model.Family);
        Assert.Contains(", 1 intra-op threads, ", measured.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Measure_FeedsTheLocalCalibration()
    {
        var path = Write(Tiny);
        var measured = OnnxRuntimeMeasurer.Measure(path, [new(1, 16), new(4, 64)], Quick);
        var device = await DeviceCatalog.BuiltIn.ResolveAsync(DeviceCatalog.LocalId);

        var calibration = Calibrator.Calibrate([measured], device, ModelSelection.Runtimes.RuntimeCatalog.BuiltIn.Get("onnxruntime"));

        Assert.Equal(DeviceCatalog.LocalId, calibration.DeviceId);
        Assert.Equal([(1, 16), (4, 64)], calibration.Points.Select(p => (p.Batch, p.SequenceLength)));
        Assert.Equal(measured.Points.Select(p => p.Latency.TotalSeconds), calibration.Points.Select(p => p.MeasuredSeconds));
        Assert.Equal(measured.Points.Select(p => p.MemoryBytes), calibration.Points.Select(p => p.MeasuredMemoryBytes));
        Assert.All(calibration.Points, p => Assert.True(p.PredictedSecondsAfter > 0));
    }

    [Fact]
    public void Measure_ReportsProgressPerPhaseAndRun()
    {
        var path = Write(Tiny);
        var reports = new List<OnnxMeasurementProgress>();
        var options = Quick with { Warmup = 2, MinimumRepeats = 3, MaximumRepeats = 3, MeasureMemory = false };

        var measured = OnnxRuntimeMeasurer.Measure(path, [new(1, 8), new(2, 8)], options, new Collect(reports));

        var expected = new List<(int, OnnxMeasurementPhase, int)>();
        for (var shape = 0; shape < 2; shape++)
        {
            expected.Add((shape, OnnxMeasurementPhase.Loading, 0));
            expected.AddRange([(shape, OnnxMeasurementPhase.WarmingUp, 1), (shape, OnnxMeasurementPhase.WarmingUp, 2)]);
            expected.AddRange([(shape, OnnxMeasurementPhase.Timing, 1), (shape, OnnxMeasurementPhase.Timing, 2), (shape, OnnxMeasurementPhase.Timing, 3)]);
            expected.Add((shape, OnnxMeasurementPhase.Done, 3));
        }

        Assert.Equal(expected, reports.Select(r => (r.ShapeIndex, r.Phase, r.Runs)));
        Assert.All(reports, r => Assert.Equal(2, r.ShapeCount));
        Assert.Equal(new ShapeToMeasure(2, 8), reports[^1].Shape);
        Assert.All(measured.Points, p => Assert.Null(p.MemoryBytes));
        Assert.All(measured.Points, p => Assert.Contains("memory not measured", p.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MeasureAsync_EqualsMeasureInStructure()
    {
        var path = Write(Tiny);

        var measured = await OnnxRuntimeMeasurer.MeasureAsync(path, [new(1, 8)], Quick);

        AssertWellFormed(Assert.Single(measured.Points), Quick);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OnnxRuntimeMeasurer.MeasureAsync(path, [new(1, 8)], Quick, cancellationToken: new CancellationToken(canceled: true)));
        Assert.Throws<ArgumentException>(() => { _ = OnnxRuntimeMeasurer.MeasureAsync(path, [], Quick); });
    }

    [Fact]
    public void Measure_CanceledToken_Throws()
    {
        var path = Write(Tiny);

        Assert.ThrowsAny<OperationCanceledException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8)], Quick, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Measure_CanceledBetweenRuns_StopsAtTheNextRun()
    {
        var path = Write(Tiny);
        using var cancellation = new CancellationTokenSource();
        var reports = new List<OnnxMeasurementProgress>();
        var progress = new Collect(reports, r =>
        {
            if (r.Phase == OnnxMeasurementPhase.Timing)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8)], Quick with { MinimumRepeats = 50, MaximumRepeats = 50 }, progress, cancellation.Token));

        Assert.Equal(1, reports.Count(r => r.Phase == OnnxMeasurementPhase.Timing));
        Assert.DoesNotContain(reports, r => r.Phase == OnnxMeasurementPhase.Done);
    }

    [Fact]
    public void Measure_MissingFile_IsFileNotFound()
    {
        var path = Path.Combine(_folder, "absent.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8)], Quick));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_GarbageFile_IsAModelImportException()
    {
        var path = Path.Combine(_folder, "garbage.onnx");
        File.WriteAllBytes(path, "this is not a protobuf message at all"u8.ToArray());

        var error = Assert.Throws<ModelImportException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8)], Quick));

        Assert.Equal(path, error.SourceName);
    }

    [Fact]
    public void Measure_ModelOnnxRuntimeRefuses_IsAModelImportExceptionWithItsMessage()
    {
        // A generated encoder declaring IR version 99: ModelSelection's importer reads it, ONNX Runtime does not.
        var bytes = GeneratedEncoder.Create(Tiny);
        Assert.Equal([0x08, 0x07], bytes[..2]);
        bytes[1] = 99;
        var path = Path.Combine(_folder, "ir99.onnx");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelImportException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8)], Quick));

        Assert.Equal(path, error.SourceName);
        Assert.Contains("ONNX Runtime 1.32.0 could not load the model: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(error.InnerException);
    }

    [Fact]
    public void Measure_FixedBatchContradicted_NamesTheInputAndDimension()
    {
        var path = Path.Combine(_folder, "batch1.onnx");
        File.WriteAllBytes(path, GeneratedEncoder.Build(Tiny, 0, fixedBatch: 1).ToArray());

        var error = Assert.Throws<ArgumentException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8), new(2, 8)], Quick));

        Assert.Contains("input 'input_ids' (Int64[1, sequence]) fixes dimension 0, where the batch goes, at 1; the shape 2x8 asks for batch 2. This model runs only at batch 1.", error.Message, StringComparison.Ordinal);
        Assert.Equal("shapes", error.ParamName);
        Assert.Equal(1, Assert.Single(OnnxRuntimeMeasurer.Measure(path, [new(1, 8)], Quick).Points).Batch);
    }

    [Fact]
    public void Measure_SequenceBeyondLearnedPositions_IsRefused()
    {
        var path = Write(Tiny);

        var error = Assert.Throws<ArgumentException>(() => OnnxRuntimeMeasurer.Measure(path, [new(1, 8), new(1, 129)], Quick));

        Assert.Contains("the shape 1x129 asks for sequence length 129, but the model has 128 learned positions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_BadArguments_AreRefusedBeforeTheFileIsRead()
    {
        var absent = Path.Combine(_folder, "absent.onnx");

        Assert.Contains("the list was empty", Assert.Throws<ArgumentException>(() => OnnxRuntimeMeasurer.Measure(absent, [], Quick)).Message, StringComparison.Ordinal);
        Assert.Contains("shapes[1] is the default value 0x0", Assert.Throws<ArgumentException>(() => OnnxRuntimeMeasurer.Measure(absent, [new(1, 8), default], Quick)).Message, StringComparison.Ordinal);
        Assert.Contains("MaximumRepeats must be at least MinimumRepeats; was 3 and 5.", Assert.Throws<ArgumentException>(() => OnnxRuntimeMeasurer.Measure(absent, [new(1, 8)], new OnnxMeasurementOptions { MaximumRepeats = 3 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => OnnxRuntimeMeasurer.Measure(null!, [new(1, 8)]));
        Assert.Throws<ArgumentException>(() => OnnxRuntimeMeasurer.Measure(" ", [new(1, 8)]));
        Assert.Throws<ArgumentNullException>(() => OnnxRuntimeMeasurer.Measure(absent, null!));
    }

    [Fact]
    public void PrecisionOf_Fp32Export_IsFp32()
    {
        using var stream = new MemoryStream(GeneratedEncoder.Create(Tiny));

        Assert.Equal(NumericPrecision.Fp32, OnnxRuntimeMeasurer.PrecisionOf(ModelSelection.Onnx.OnnxModel.Read(stream, "tiny")));
    }

    private static void AssertWellFormed(MeasuredPoint point, OnnxMeasurementOptions options)
    {
        Assert.True(point.Latency > TimeSpan.Zero);
        Assert.NotNull(point.MinimumLatency);
        Assert.NotNull(point.MaximumLatency);
        Assert.True(point.MinimumLatency <= point.Latency && point.Latency <= point.MaximumLatency, $"{point.MinimumLatency} ≤ {point.Latency} ≤ {point.MaximumLatency}");
        Assert.InRange(point.Repeats, options.MinimumRepeats, options.MaximumRepeats);
        Assert.NotNull(point.MemoryBytes);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(point.MemoryBytes > 0, $"resident-set growth {point.MemoryBytes}");
            Assert.Contains("resident-set growth from before session creation to the peak (VmHWM", point.Detail, StringComparison.Ordinal);
        }

        Assert.Contains("ONNX Runtime 1.32.0 CPU execution provider", point.Detail, StringComparison.Ordinal);
        Assert.Contains("one-time load", point.Detail, StringComparison.Ordinal);
    }

    private string Write(EncoderShape shape)
    {
        var path = Path.Combine(_folder, $"encoder-{Guid.NewGuid():N}.onnx");
        GeneratedEncoder.Write(path, shape);
        return path;
    }

    /// <summary>A synchronous progress sink (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Collect(List<OnnxMeasurementProgress> reports, Action<OnnxMeasurementProgress>? then = null) : IProgress<OnnxMeasurementProgress>
    {
        public void Report(OnnxMeasurementProgress value)
        {
            reports.Add(value);
            then?.Invoke(value);
        }
    }
}
