using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ModelSelection.Calibration;
using ModelSelection.Devices;
using ModelSelection.OnnxRuntime;
using ModelSelection.Runtimes;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect calibrate --onnx FILE [--shapes 1x32,8x128] [--threads N] [--rounds N] [--write FILE] [--json]</c>: runs a
/// model through ONNX Runtime on this machine at each shape, in <c>--rounds</c> round-robin rounds (progress on stderr), fits the <c>onnxruntime</c> profile on the
/// probed <c>local</c> device (<see cref="Calibrator.Calibrate"/>), prints the error before and after at every shape,
/// and writes the calibration as configuration that <c>--config FILE</c> (or <c>AddJsonFile</c>) binds back.
/// </summary>
internal sealed class CalibrateCommand : ICliCommand
{
    private const string RuntimeId = "onnxruntime";

    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var onnx = new Option<FileInfo>("--onnx") { Description = "The .onnx model to run through ONNX Runtime (CPU execution provider); an encoder or any model whose symbolic dimensions are batch and sequence.", HelpName = "FILE", Required = true };
        var shapes = new Option<string>("--shapes") { Description = "Batch × sequence shapes to measure, comma-separated (one is enough; more inform more parameters).", HelpName = "BxS,…", DefaultValueFactory = _ => "1x32,1x128,8x128" };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads. Default: ONNX Runtime's (one per core).", HelpName = "N" };
        var write = new Option<FileInfo?>("--write") { Description = "Write the calibration as configuration (ModelSelection:Runtimes with this device's entries) to FILE; use it with --config FILE.", HelpName = "FILE" };
        var refresh = new Option<bool>("--refresh-probe") { Description = "Probe this machine again instead of reading the cached probe." };
        var rounds = new Option<int>("--rounds") { Description = "Measure every shape this many times, round-robin, each in a fresh session, and keep each shape's median (1 to 15). On a shared machine 3 or more: a burst of load spoils one round, not the median.", HelpName = "N", DefaultValueFactory = _ => 1 };
        var command = new Command("calibrate", "Measure a model through ONNX Runtime on this machine and fit the onnxruntime profile for the 'local' device: error before and after, and the configuration to keep it.");
        foreach (var option in new Option[] { onnx, shapes, threads, write, refresh, rounds })
        {
            command.Options.Add(option);
        }

        context.SetExamples(command, "modelselect calibrate --onnx model.onnx", "modelselect calibrate --onnx model.onnx --shapes 1x32,8x128,32x128 --write calibration.json", "modelselect calibrate --onnx model.onnx --rounds 3", "modelselect estimate --onnx model.onnx --device local --config calibration.json");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            var file = parseResult.GetValue(onnx)!;
            if (!file.Exists)
            {
                throw new FileNotFoundException($"--onnx: no file at '{file.FullName}'.", file.FullName);
            }

            var wanted = ParseShapes(parseResult.GetValue(shapes)!);
            if (parseResult.GetValue(threads) is int n && n is < 1 or > 1024)
            {
                throw new ArgumentException($"--threads must be from 1 to 1024; was {n.ToString(CultureInfo.InvariantCulture)}.");
            }

            var roundCount = parseResult.GetValue(rounds);
            if (roundCount is < 1 or > 15)
            {
                throw new ArgumentException($"--rounds must be from 1 to 15; was {roundCount.ToString(CultureInfo.InvariantCulture)}.");
            }

            var probe = context.Get<ILocalDeviceProbe>(parseResult);
            var device = await output.WithProgressAsync("Measuring this machine", progress => probe.ProbeAsync(new LocalProbeOptions { Progress = progress, Refresh = parseResult.GetValue(refresh) }, cancellationToken)).ConfigureAwait(false);
            var runtime = context.Get<RuntimeCatalog>(parseResult).Get(RuntimeId);
            var measurementOptions = new OnnxMeasurementOptions { IntraOpThreads = parseResult.GetValue(threads) };
            var runs = new List<MeasuredModel>();
            for (var round = 1; round <= roundCount; round++)
            {
                var label = roundCount == 1 ? $"Running {file.Name} through ONNX Runtime" : string.Create(CultureInfo.InvariantCulture, $"Running {file.Name} through ONNX Runtime, round {round} of {roundCount}");
                runs.Add(await output.WithProgressAsync(label, progress =>
                    OnnxRuntimeMeasurer.MeasureAsync(file.FullName, wanted, measurementOptions, progress is null ? null : new Progress(progress), cancellationToken)).ConfigureAwait(false));
            }

            var measured = MedianOfRounds(runs);

            // The points' memory is the session's growth; the process also loaded ONNX Runtime once: a user's process
            // pays both, so the calibrated engine memory includes it.
            var load = OnnxRuntimeMeasurer.RuntimeLoadBytes ?? 0;
            measured = measured with { Points = [.. measured.Points.Select(p => p.MemoryBytes is long m ? p with { MemoryBytes = m + load } : p)] };
            var calibration = Calibrator.Calibrate([measured], device, runtime, new LocalCalibrationOptions { Note = $"modelselect calibrate --onnx {file.Name}" });
            if (parseResult.GetValue(write) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, calibration.ToJson() + "\n", cancellationToken).ConfigureAwait(false);
            }

            if (output.Json)
            {
                output.WriteJson(ToJson(calibration, device, measured, load, roundCount));
            }
            else
            {
                WriteText(calibration, device, measured, load, parseResult.GetValue(write), output);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Each shape's point from the round with its median latency (the lower middle of an even count).</summary>
    private static MeasuredModel MedianOfRounds(List<MeasuredModel> runs) =>
        runs.Count == 1 ? runs[0] : runs[0] with
        {
            Points = [.. runs[0].Points.Select((_, i) =>
            {
                var ordered = runs.Select(r => r.Points[i]).OrderBy(p => p.Latency).ToList();
                return ordered[(ordered.Count - 1) / 2];
            })],
        };

    private static List<ShapeToMeasure> ParseShapes(string text)
    {
        var shapes = new List<ShapeToMeasure>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            shapes.Add(ShapeToMeasure.TryParse(part, CultureInfo.InvariantCulture, out var shape)
                ? shape
                : throw new ArgumentException($"--shapes holds '{part}', which is not a shape: write BATCHxSEQUENCE with whole numbers from 1, e.g. 8x128."));
        }

        return shapes.Count > 0 ? shapes : throw new ArgumentException("--shapes is empty: give at least one BATCHxSEQUENCE, e.g. 8x128.");
    }

    private static object ToJson(LocalCalibration c, DeviceProfile device, MeasuredModel measured, long load, int rounds) => new
    {
        device = c.DeviceId,
        runtime = c.Runtime.Id,
        model = measured.Model.Id,
        source = measured.Source,
        rounds,
        runtimeLoadBytes = load,
        probe = new { fp32FlopsPerSecond = device.PeakFlops.Fp32, int8OpsPerSecond = device.PeakFlops.Int8, bandwidthBytesPerSecond = device.MemoryBandwidthBytesPerSecond },
        shapes = c.Points.Select(p => new
        {
            batch = p.Batch,
            seq = p.SequenceLength,
            measuredSeconds = p.MeasuredSeconds,
            predictedSeconds = p.PredictedSecondsBefore,
            calibratedSeconds = p.PredictedSecondsAfter,
            measuredMemoryBytes = p.MeasuredMemoryBytes,
            predictedMemoryBytes = p.PredictedMemoryBytesBefore,
            calibratedMemoryBytes = p.PredictedMemoryBytesAfter,
        }).ToArray(),
        medianLatencyErrorBefore = c.MedianLatencyErrorBefore,
        medianLatencyErrorAfter = c.MedianLatencyErrorAfter,
        medianMemoryErrorBefore = c.MedianMemoryErrorBefore,
        medianMemoryErrorAfter = c.MedianMemoryErrorAfter,
        configuration = JsonDocument.Parse(c.ToJson()).RootElement,
    };

    private static void WriteText(LocalCalibration c, DeviceProfile device, MeasuredModel measured, long load, FileInfo? written, CliOutput output)
    {
        var w = output.Out;
        w.WriteLine($"{measured.Model.Id} through {measured.Source}");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"device local: fp32 {device.PeakFlops.Fp32 / 1e9:0} GFLOP/s, bandwidth {device.MemoryBandwidthBytesPerSecond / 1e9:0.0} GB/s (probe); ONNX Runtime's one-time load {ByteText.Format(load)}"));
        var table = CliTable.Create("shape", ">measured", ">before", ">err", ">after", ">err", ">memory", ">before", ">after");
        foreach (var p in c.Points)
        {
            table.Row(
                $"{p.Batch}x{p.SequenceLength}",
                Ms(p.MeasuredSeconds), Ms(p.PredictedSecondsBefore), Percent(p.LatencyErrorBefore), Ms(p.PredictedSecondsAfter), Percent(p.LatencyErrorAfter),
                p.MeasuredMemoryBytes is long m ? ByteText.Format(m) : "—", ByteText.Format(p.PredictedMemoryBytesBefore), ByteText.Format(p.PredictedMemoryBytesAfter));
        }

        output.Write(table);
        var e = c.Efficiency;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median latency error {c.MedianLatencyErrorBefore:P1} before, {c.MedianLatencyErrorAfter:P1} after; memory {(c.MedianMemoryErrorBefore is { } mb ? mb.ToString("P1", CultureInfo.InvariantCulture) : "—")} before, {(c.MedianMemoryErrorAfter is { } ma ? ma.ToString("P1", CultureInfo.InvariantCulture) : "—")} after"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fitted: η_c {e.ComputeEfficiency:0.###}, m½ {e.HalfEfficiencyRows:0.#} rows, η_m {e.MemoryEfficiency:0.###}, τ_layer {e.LayerOverheadSeconds * 1e6:0.##} µs, τ_call {e.CallOverheadSeconds * 1e6:0.##} µs"));
        if (c.Memory is { } memory)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine memory: own {ByteText.Format(memory.FixedBytes)}, load transient {memory.LoadTransientFraction:0.##} × weights, buffers {memory.HiddenBuffers:0.#} × b·s·h, {memory.FeedForwardBuffers:0.#} × b·s·ff, {memory.AttentionScoreBuffers:0.#} × scores"));
        }

        w.WriteLine(written is null
            ? "Keep it: add --write calibration.json, then pass --config calibration.json to estimate and select (or AddJsonFile it in your app)."
            : $"Wrote {written.FullName}: pass --config {written.Name} to estimate and select, or AddJsonFile it in your app.");
    }

    private static string Ms(double seconds) => (seconds * 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double error) => error.ToString("+0%;-0%;0%", CultureInfo.InvariantCulture);

    /// <summary>Turns the measurer's progress records into the spinner's status lines.</summary>
    private sealed class Progress(IProgress<string> lines) : IProgress<OnnxMeasurementProgress>
    {
        public void Report(OnnxMeasurementProgress value) =>
            lines.Report(string.Create(CultureInfo.InvariantCulture, $"shape {value.ShapeIndex + 1}/{value.ShapeCount} ({value.Shape}): {value.Phase.ToString().ToLowerInvariant()}{(value.Runs > 0 ? $", {value.Runs} runs" : string.Empty)}"));
    }
}
