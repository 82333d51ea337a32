using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using ModelSelection.Calibration;
using ModelSelection.Models;
using ModelSelection.Onnx;
using ModelSelection.OnnxRuntime.Internal;

namespace ModelSelection.OnnxRuntime;

/// <summary>
/// Runs an ONNX model with ONNX Runtime's CPU execution provider on this machine at each of a list of batch × sequence
/// shapes, and returns the median latency and the resident-set growth of each as a <see cref="MeasuredModel"/>: the
/// points <c>Calibrator.Calibrate</c> fits a device × runtime profile to.
/// </summary>
/// <remarks>
/// <para>
/// <b>The model.</b> The file is imported with <see cref="OnnxModel.Read(string)"/>; <see cref="MeasuredModel.Model"/>
/// is its <see cref="OnnxModel.ToModelSpec"/> (so the graph must show a transformer the importer recognises), and
/// <see cref="MeasuredModel.Precision"/> is fp32 unless most parameter elements are of another type (fp16, bf16, fp8,
/// int8, int4). Every graph input is filled as <c>InputBinder</c> describes: free dimensions bind to the batch and the
/// sequence by name, else by position; masks are ones, token types zeros, position ids 0…s−1, token ids
/// deterministic pseudo-random ids in [1000, min(vocabulary, 30000)); float inputs deterministic normal values.
/// </para>
/// <para>
/// <b>Timing.</b> Each shape gets a fresh <see cref="InferenceSession"/> (the options' graph optimisation and intra-op
/// threads, sequential execution), <see cref="OnnxMeasurementOptions.Warmup"/> untimed runs, then timed runs until
/// both <see cref="OnnxMeasurementOptions.MinimumRepeats"/> runs and <see cref="OnnxMeasurementOptions.MinimumDuration"/>
/// of run time are reached, at most <see cref="OnnxMeasurementOptions.MaximumRepeats"/>. Each run is timed with
/// <see cref="Stopwatch"/> around <c>InferenceSession.Run</c> on inputs bound once per shape; its outputs are
/// disposed after the clock stops. <see cref="MeasuredPoint.Latency"/> is the median run, with the fastest and slowest.
/// </para>
/// <para>
/// <b>Memory.</b> <see cref="MeasuredPoint.MemoryBytes"/> is the process's resident-set growth for the shape: the
/// peak resident set during session creation, input binding and every run, minus the resident set just before the
/// session was created. Before each shape the process is settled (full garbage collection, and glibc's
/// <c>malloc_trim(0)</c> on Linux). On Linux the peak is the kernel's <c>VmHWM</c>, reset through
/// <c>/proc/self/clear_refs</c>; where that cannot be reset, and on Windows and macOS, it is the largest resident set
/// (<c>VmRSS</c>, or the working set) sampled after session creation and after every run, which can miss a peak
/// within a run. ONNX Runtime itself (the native library, its environment and a first session over the model) is
/// loaded and settled before the first shape, so its one-time cost is charged to no point: the process's first
/// measurement records it as <see cref="RuntimeLoadBytes"/>, and every point's <see cref="MeasuredPoint.Detail"/>
/// says what its figure includes. The figure is process-wide: other threads' allocations in the meantime count too.
/// </para>
/// <para>Measurements run one at a time in a process (a second waits for the first), as they would disturb each other.</para>
/// </remarks>
public static class OnnxRuntimeMeasurer
{
    private static readonly Lock Gate = new();
    private static bool _runtimeLoaded;
    private static long? _runtimeLoadBytes;

    /// <summary>
    /// Gets the resident-set cost of loading ONNX Runtime into this process, in bytes: the resident set after the
    /// native library, its environment and a throw-away session over the first model measured were created, the
    /// session disposed and the process settled, minus the resident set before; <see langword="null"/> until a
    /// measurement with <see cref="OnnxMeasurementOptions.MeasureMemory"/> has been the first to load ONNX Runtime.
    /// It is measured once per process and charged to no <see cref="MeasuredPoint"/>; if something else loaded ONNX
    /// Runtime into the process first, it understates the cost.
    /// </summary>
    public static long? RuntimeLoadBytes
    {
        get
        {
            lock (Gate)
            {
                return _runtimeLoadBytes;
            }
        }
    }

    /// <summary>Measures a model at each shape, in order; see the class remarks for how.</summary>
    /// <param name="onnxPath">The <c>.onnx</c> file (external data beside it).</param>
    /// <param name="shapes">The shapes, measured in the order given; at least one.</param>
    /// <param name="options">How to measure; <see langword="null"/> for <see cref="OnnxMeasurementOptions.Default"/>.</param>
    /// <param name="progress">Told as each shape loads, as each run ends, and as each shape is done; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked before each shape and each run.</param>
    /// <returns>The model's spec, its precision, one point per shape in the order given, and where the points come from (<see cref="MeasuredModel.Source"/>: engine, threads, machine).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="onnxPath"/> or <paramref name="shapes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="onnxPath"/> is blank; <paramref name="shapes"/> is empty or holds the default shape; the options' maximum repeats are fewer than their minimum; a shape's sequence exceeds the model's learned positions; or an input cannot be filled at a shape (its type or rank, or a fixed dimension the shape contradicts): the message names the input, its type and shape.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelImportException">The file is not a readable ONNX model, its architecture cannot be recovered, or ONNX Runtime refuses to load or run it (the message names the file and gives ONNX Runtime's).</exception>
    /// <exception cref="PlatformNotSupportedException">ONNX Runtime's native library cannot be loaded on this platform.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static MeasuredModel Measure(string onnxPath, IEnumerable<ShapeToMeasure> shapes, OnnxMeasurementOptions? options = null, IProgress<OnnxMeasurementProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var request = Prepare(onnxPath, shapes, options);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(request, progress, cancellationToken);
    }

    /// <summary>Measures a model at each shape on a background thread: the same measurement, results and errors as <see cref="Measure"/>; the arguments are checked before the task starts.</summary>
    /// <param name="onnxPath">The <c>.onnx</c> file (external data beside it).</param>
    /// <param name="shapes">The shapes, measured in the order given; at least one.</param>
    /// <param name="options">How to measure; <see langword="null"/> for <see cref="OnnxMeasurementOptions.Default"/>.</param>
    /// <param name="progress">Told as each shape loads, as each run ends, and as each shape is done; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked before each shape and each run.</param>
    /// <returns>The measured model; see <see cref="Measure"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="onnxPath"/> or <paramref name="shapes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="onnxPath"/> is blank, <paramref name="shapes"/> is empty or holds the default shape, or the options' maximum repeats are fewer than their minimum; the task faults with the other errors of <see cref="Measure"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled (the task is canceled).</exception>
    public static Task<MeasuredModel> MeasureAsync(string onnxPath, IEnumerable<ShapeToMeasure> shapes, OnnxMeasurementOptions? options = null, IProgress<OnnxMeasurementProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var request = Prepare(onnxPath, shapes, options);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<MeasuredModel>(cancellationToken)
            : Task.Factory.StartNew(() => Run(request, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    /// <summary>The precision most of a model's parameter elements are stored in: fp32 for float and double, else the matching named precision.</summary>
    internal static NumericPrecision PrecisionOf(OnnxModel model)
    {
        var elements = new Dictionary<NumericPrecision, long>();
        foreach (var (type, bytes) in model.BytesByType)
        {
            (NumericPrecision Precision, double BytesPerElement)? mapped = type switch
            {
                OnnxDataType.Float => (NumericPrecision.Fp32, 4),
                OnnxDataType.Double => (NumericPrecision.Fp32, 8),
                OnnxDataType.Float16 => (NumericPrecision.Fp16, 2),
                OnnxDataType.BFloat16 => (NumericPrecision.Bf16, 2),
                OnnxDataType.Float8E4M3FN or OnnxDataType.Float8E4M3FNUZ => (NumericPrecision.Fp8E4M3, 1),
                OnnxDataType.Float8E5M2 or OnnxDataType.Float8E5M2FNUZ => (NumericPrecision.Fp8E5M2, 1),
                OnnxDataType.Int8 or OnnxDataType.UInt8 => (NumericPrecision.Int8, 1),
                OnnxDataType.Int4 or OnnxDataType.UInt4 => (NumericPrecision.Int4, 0.5),
                _ => null,
            };
            if (mapped is { } m)
            {
                elements[m.Precision] = elements.GetValueOrDefault(m.Precision) + (long)(bytes / m.BytesPerElement);
            }
        }

        var fp32 = elements.GetValueOrDefault(NumericPrecision.Fp32);
        return elements.Where(e => e.Value > fp32).OrderByDescending(e => e.Value).Select(e => (NumericPrecision?)e.Key).FirstOrDefault() ?? NumericPrecision.Fp32;
    }

    private static Request Prepare(string onnxPath, IEnumerable<ShapeToMeasure> shapes, OnnxMeasurementOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentNullException.ThrowIfNull(shapes);
        var list = shapes.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("At least one shape to measure is required; the list was empty.", nameof(shapes));
        }

        var invalid = list.IndexOf(default);
        if (invalid >= 0)
        {
            throw new ArgumentException(Guard.Invariant($"shapes[{invalid}] is the default value 0x0; a shape's batch and sequence length must be at least 1."), nameof(shapes));
        }

        options ??= OnnxMeasurementOptions.Default;
        options.Validate(nameof(options));
        return new Request(onnxPath, list, options);
    }

    private static MeasuredModel Run(Request request, IProgress<OnnxMeasurementProgress>? progress, CancellationToken cancellationToken)
    {
        var path = request.Path;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(Directory.Exists(path) ? $"'{path}' is a folder, not an ONNX model file." : $"The ONNX model '{path}' does not exist.", path);
        }

        var onnx = OnnxModel.Read(path);
        var spec = onnx.ToModelSpec();
        var precision = PrecisionOf(onnx);
        var options = request.Options;
        CheckSequences(path, spec, request.Shapes);

        lock (Gate)
        {
            var version = LoadRuntime(path, request, cancellationToken);
            var points = ImmutableArray.CreateBuilder<MeasuredPoint>(request.Shapes.Length);
            for (var index = 0; index < request.Shapes.Length; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                points.Add(MeasureShape(path, index, request, spec.Architecture.VocabularySize, version, progress, cancellationToken));
            }

            var threads = options.IntraOpThreads is { } t ? Guard.Invariant($"{t}") : "default (ONNX Runtime's choice)";
            return new MeasuredModel(spec, precision, points.MoveToImmutable())
            {
                Source = Guard.Invariant($"ONNX Runtime {version} CPU execution provider, {threads} intra-op threads, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}"),
            };
        }
    }

    /// <summary>Refuses sequences longer than the model's learned positions, which ONNX Runtime would fail on mid-measurement.</summary>
    private static void CheckSequences(string path, ModelSpec spec, ImmutableArray<ShapeToMeasure> shapes)
    {
        var learned = spec.Architecture.PositionEncoding == PositionEncoding.Learned ? spec.Architecture.MaxPositions : 0;
        foreach (var shape in shapes)
        {
            if (learned > 0 && shape.SequenceLength > learned)
            {
                throw new ArgumentException(Guard.Invariant($"{path}: the shape {shape} asks for sequence length {shape.SequenceLength}, but the model has {learned} learned positions; measure sequences of at most {learned}."), nameof(shapes));
            }
        }
    }

    /// <summary>Loads ONNX Runtime and a throw-away session over the model (measuring the first load in the process), checks every shape's inputs against the session's metadata, and settles the process.</summary>
    private static string LoadRuntime(string path, Request request, CancellationToken cancellationToken)
    {
        var first = !_runtimeLoaded;
        var measure = first && request.Options.MeasureMemory;
        long before = 0;
        if (measure)
        {
            ResidentMemory.Settle();
            before = ResidentMemory.Current();
        }

        string version;
        try
        {
            version = OrtEnv.Instance().GetVersionString();
        }
        catch (Exception exception) when (exception is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or OnnxRuntimeException)
        {
            throw new PlatformNotSupportedException($"ONNX Runtime's native library could not be loaded on {RuntimeInformation.RuntimeIdentifier}: {exception.Message}", exception);
        }

        _runtimeLoaded = true;
        try
        {
            using var session = CreateSession(path, request.Options, version, "loading");
            foreach (var shape in request.Shapes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _ = InputBinder.Check(session, shape, path);
            }
        }
        finally
        {
            // Measured even when the model is refused: then it is the library and its environment alone.
            if (request.Options.MeasureMemory)
            {
                ResidentMemory.Settle();
            }

            if (measure)
            {
                _runtimeLoadBytes = Math.Max(0, ResidentMemory.Current() - before);
            }
        }

        return version;
    }

    private static MeasuredPoint MeasureShape(string path, int index, Request request, int vocabulary, string version, IProgress<OnnxMeasurementProgress>? progress, CancellationToken cancellationToken)
    {
        var options = request.Options;
        var shape = request.Shapes[index];
        var count = request.Shapes.Length;
        progress?.Report(new OnnxMeasurementProgress(index, count, shape, OnnxMeasurementPhase.Loading, 0));
        var tracker = options.MeasureMemory ? PeakTracker.Start() : null;
        using var session = CreateSession(path, options, version, Guard.Invariant($"creating the session for {shape}"));
        tracker?.Sample();
        using var inputs = InputBinder.Bind(session, shape, vocabulary, path);
        tracker?.Sample();
        var outputNames = session.OutputNames.ToArray();
        using var runOptions = new RunOptions();

        for (var run = 1; run <= options.Warmup; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunOnce(session, runOptions, inputs, outputNames, path, shape, version);
            tracker?.Sample();
            progress?.Report(new OnnxMeasurementProgress(index, count, shape, OnnxMeasurementPhase.WarmingUp, run));
        }

        var times = new List<long>(Math.Min(options.MaximumRepeats, 4096));
        long total = 0;
        var minimum = (long)(options.MinimumDuration.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
        while (times.Count < options.MaximumRepeats && (times.Count < options.MinimumRepeats || total < minimum))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = RunOnce(session, runOptions, inputs, outputNames, path, shape, version);
            times.Add(elapsed);
            total += elapsed;
            tracker?.Sample();
            progress?.Report(new OnnxMeasurementProgress(index, count, shape, OnnxMeasurementPhase.Timing, times.Count));
        }

        var memory = tracker?.Growth();
        times.Sort();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2.0;
        var threads = options.IntraOpThreads is { } t ? Guard.Invariant($"{t} intra-op threads") : "default (ONNX Runtime's choice) intra-op threads";
        var memoryDetail = tracker is null
            ? "memory not measured"
            : Guard.Invariant($"memory: resident-set growth from before session creation to {tracker.Method} during session creation, input binding ({Guard.Show(inputs.Bytes)} bytes of inputs) and every run; ONNX Runtime already loaded and settled, its one-time load ({(RuntimeLoadBytesUnlocked is { } load ? Guard.Show(load) + " bytes" : "not measured in this process")}, OnnxRuntimeMeasurer.RuntimeLoadBytes) not included");
        var point = new MeasuredPoint
        {
            Batch = shape.Batch,
            SequenceLength = shape.SequenceLength,
            Latency = ToTimeSpan(median),
            MinimumLatency = ToTimeSpan(times[0]),
            MaximumLatency = ToTimeSpan(times[^1]),
            Repeats = times.Count,
            MemoryBytes = memory,
            Detail = Guard.Invariant($"ONNX Runtime {version} CPU execution provider, {threads}, {options.GraphOptimizationLevel}; {options.Warmup} warm-up and {times.Count} timed runs ({ToTimeSpan(total).TotalSeconds:0.###} s timed), median latency; {memoryDetail}"),
        };
        progress?.Report(new OnnxMeasurementProgress(index, count, shape, OnnxMeasurementPhase.Done, times.Count));
        return point;
    }

    /// <summary>Gets <see cref="RuntimeLoadBytes"/> while <see cref="Gate"/> is held.</summary>
    private static long? RuntimeLoadBytesUnlocked => _runtimeLoadBytes;

    /// <summary>One run; returns its Stopwatch ticks. The outputs are disposed after the clock stops.</summary>
    private static long RunOnce(InferenceSession session, RunOptions runOptions, InputBinder inputs, string[] outputNames, string path, ShapeToMeasure shape, string version)
    {
        try
        {
            var start = Stopwatch.GetTimestamp();
            var outputs = session.Run(runOptions, inputs.Names, inputs.Values, outputNames);
            var end = Stopwatch.GetTimestamp();
            outputs.Dispose();
            return end - start;
        }
        catch (OnnxRuntimeException exception)
        {
            throw new ModelImportException(path, Guard.Invariant($"running at {shape}"), $"ONNX Runtime {version} could not run the model: {exception.Message}", exception);
        }
    }

    private static InferenceSession CreateSession(string path, OnnxMeasurementOptions options, string version, string location)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimizationLevel,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (options.IntraOpThreads is { } threads)
        {
            sessionOptions.IntraOpNumThreads = threads;
        }

        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new ModelImportException(path, location, $"ONNX Runtime {version} could not load the model: {exception.Message}", exception);
        }
    }

    private static TimeSpan ToTimeSpan(double stopwatchTicks) =>
        TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(stopwatchTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));

    private sealed record Request(string Path, ImmutableArray<ShapeToMeasure> Shapes, OnnxMeasurementOptions Options);
}
