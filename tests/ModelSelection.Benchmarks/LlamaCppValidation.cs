using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLama;
using LLama.Common;
using LLama.Native;
using ModelSelection.Calibration;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Gguf;
using ModelSelection.Models;
using ModelSelection.Runtimes;
using ModelSelection.Tests.Gguf;
using ModelSelection.Tests.Runtimes;

namespace ModelSelection.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ModelSelection.Benchmarks -- llamacpp [--rounds N] [--json FILE] [--from FILE]</c>:
/// writes Llama-shaped GGUF files (random weights), checks our memory figures against what llama.cpp allocates, runs
/// each file in llama.cpp through LLamaSharp's CPU backend on this machine — a 512-token prompt in one batch, then 64
/// tokens one at a time, as llama-bench's pp512 and tg — in round-robin rounds, probes the machine before and after,
/// records it all (<c>--json</c>), and fits llama.cpp's efficiency on the probed device to the runs, printing measured,
/// prior and fitted times as a Markdown table for docs/accuracy.md and the entry for runtimes.json. <c>--from</c> refits a
/// recorded document without measuring. A validation run, not a timed test: the machine and its load decide the numbers.
/// </summary>
internal static class LlamaCppValidation
{
    private const int Prompt = 512;
    private const int Generated = 64;

    private static readonly (string Name, int Hidden, int Layers, int Heads, int KvHeads, int FeedForward, int Type)[] Models =
    [
        ("f16-20m", 256, 4, 4, 2, 768, 1),
        ("q8_0-60m", 512, 8, 8, 4, 1536, 8),
        ("q4_k_m-125m", 768, 12, 12, 4, 2048, -1),
        ("q4_0-190m", 1024, 8, 16, 4, 4096, 2),
        ("q8_0-190m", 1024, 8, 16, 4, 4096, 8),
        ("q4_0-510m", 1536, 12, 16, 4, 6144, 2),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var json = Option(args, "--json");
        var from = Option(args, "--from");
        var invariant = CultureInfo.InvariantCulture;
        var folder = Directory.CreateTempSubdirectory("ms-llamacpp-").FullName;
        try
        {
            JsonObject document;
            if (from is not null)
            {
                document = JsonNode.Parse(await File.ReadAllTextAsync(from).ConfigureAwait(false))!.AsObject();
            }
            else
            {
                document = await MeasureAsync(folder, Rounds(args)).ConfigureAwait(false);
                if (json is not null)
                {
                    await File.WriteAllTextAsync(json, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                    Console.WriteLine($"wrote {json}");
                }
            }

            var local = ValidationRecord.Device(document["probe"]!.AsObject(), "local-recorded"); // "local" is reserved in catalogs
            var runtime = RuntimeCatalog.BuiltIn.Get("llama.cpp") with { DeviceEfficiencies = RuntimeCatalog.BuiltIn.Get("llama.cpp").DeviceEfficiencies.Remove("local") };
            var specs = new List<ModelSpec>();
            var calibration = new List<CalibrationPoint>();
            foreach (var point in document["points"]!.AsArray().Select(n => n!.AsObject()))
            {
                var name = (string)point["model"]!;
                var path = Path.Combine(folder, name + ".gguf");
                LlamaCppGgufWriter.Write(path, (int)point["hidden"]!, (int)point["layers"]!, (int)point["heads"]!, (int)point["kvHeads"]!, (int)point["feedForward"]!, (int)point["type"]!);
                var spec = GgufModel.Read(path).ToModelSpec("llamacpp-validation/" + name);
                File.Delete(path);
                specs.Add(spec);
                var format = spec.StoredWeights!.Format;
                var source = $"docs/measurements (llama.cpp through LLamaSharp on this machine, {(string)document["machine"]!["utc"]!})";
                calibration.Add(new CalibrationPoint { Id = name + "-prefill", Model = spec.Id, Device = local.Id, Runtime = runtime.Id, Precision = format, Metric = CalibrationMetric.PrefillTokensPerSecond, Value = Prompt / (double)point["prefillSeconds"]!, InputTokens = Prompt, Source = source });
                calibration.Add(new CalibrationPoint { Id = name + "-decode", Model = spec.Id, Device = local.Id, Runtime = runtime.Id, Precision = format, Metric = CalibrationMetric.DecodeTokensPerSecond, Value = 1 / (double)point["perTokenSeconds"]!, InputTokens = Prompt, GeneratedTokens = Generated + 1, Source = source });
            }

            var fit = Calibrator.Fit(calibration, ModelCatalog.BuiltIn.With(specs), DeviceCatalog.BuiltIn.With([local]), RuntimeCatalog.BuiltIn.With([runtime]));
            var group = fit.Groups.Single();
            Console.WriteLine(string.Create(invariant, $"local: {local.DisplayName}; fp32 {local.PeakFlops.Fp32 / 1e9:F0} GFLOP/s, int8 {(local.PeakFlops.Int8 ?? 0) / 1e9:F0} GOP/s, {local.MemoryBandwidthBytesPerSecond / 1e9:F1} GB/s"));
            Console.WriteLine();
            Console.WriteLine("| model | params | weights | prompt 512 measured | ours | ratio | fitted | ratio | per token measured | ours | ratio | fitted | ratio |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (var i = 0; i < specs.Count; i++)
            {
                var spec = specs[i];
                string Cell(int k)
                {
                    var measured = 1 / fit.Before[k].Point.Value * (k % 2 == 0 ? Prompt : 1);
                    var before = 1 / fit.Before[k].Predicted!.Value * (k % 2 == 0 ? Prompt : 1);
                    var after = 1 / fit.After[k].Predicted!.Value * (k % 2 == 0 ? Prompt : 1);
                    return string.Create(invariant, $"{measured * 1e3:F2} ms | {before * 1e3:F2} ms | {before / measured:F2} | {after * 1e3:F2} ms | {after / measured:F2}");
                }

                Console.WriteLine(string.Create(invariant, $"| {spec.Id[(spec.Id.IndexOf('/', StringComparison.Ordinal) + 1)..]} | {spec.Parameters.Count / 1e6:F1} M | {spec.StoredWeights!.TotalBytes / 1048576.0:F1} MiB | {Cell(2 * i)} | {Cell((2 * i) + 1)} |"));
            }

            var before = CalibrationSummary.Of(fit.Before);
            var after = CalibrationSummary.Of(fit.After);
            Console.WriteLine();
            Console.WriteLine(string.Create(invariant, $"median |error| {before.MedianAbsoluteError:P1} with the server-cpu prior, {after.MedianAbsoluteError:P1} fitted ({group.Points} points)."));
            Console.WriteLine("The fit, for runtimes.json (llama.cpp's deviceEfficiencies):");
            var entry = JsonSerializer.SerializeToNode(RuntimeCatalog.ToEntry(group.Fitted), CatalogJsonContext.Default.EfficiencyEntry)!;
            Console.WriteLine(new JsonObject { ["local"] = entry }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    /// <summary>Probes (twice, the higher reading of each rate), checks the memory figures, and measures every model.</summary>
    private static async Task<JsonObject> MeasureAsync(string folder, int rounds)
    {
        var invariant = CultureInfo.InvariantCulture;
        var runtime = RuntimeCatalog.BuiltIn.Get("llama.cpp");
        var first = await LocalDeviceProbe.Default.ProbeAsync(new LocalProbeOptions { Refresh = true }).ConfigureAwait(false);
        Console.WriteLine("| model | llama.cpp params | ours | model buffer (bytes) | ours | KV buffer (n_ctx 1024, f16) | ours | compute buffer | ours | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, hidden, layers, heads, kv, ff, type) in Models)
        {
            var path = Path.Combine(folder, name + ".gguf");
            LlamaCppGgufWriter.Write(path, hidden, layers, heads, kv, ff, type);
            var spec = GgufModel.Read(path).ToModelSpec();
            var report = LlamaCppHarness.Load(path, 1024);
            var memory = ModelEstimator.EstimateMemory(spec, new InferenceWorkload { WeightPrecision = spec.StoredWeights!.Format, InputTokens = 1023, GeneratedTokens = 1 }, null, runtime);
            Console.WriteLine(string.Create(invariant, $"| {name} | {report.Parameters:N0} | {spec.Parameters.Count:N0} | {report.ModelBytes:N0} | {memory.WeightsBytes:N0} | {report.KvMiB:F2} MiB | {memory.KvCacheBytes / 1048576.0:F2} MiB | {report.ComputeMiB:F2} MiB | {memory.ActivationsBytes / 1048576.0:F2} MiB | {memory.ActivationsBytes / 1048576.0 / report.ComputeMiB:F3} |"));
            File.Delete(path);
        }

        Console.WriteLine();
        var paths = new List<string>();
        foreach (var (name, hidden, layers, heads, kv, ff, type) in Models)
        {
            var path = Path.Combine(folder, name + ".gguf");
            LlamaCppGgufWriter.Write(path, hidden, layers, heads, kv, ff, type);
            paths.Add(path);
        }

        // Round-robin: every model once per round, so a loud minute of a shared machine falls on one run of each rather
        // than on all runs of one.
        var prefills = Models.Select(_ => new List<double>()).ToArray();
        var steps = Models.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var m = 0; m < Models.Length; m++)
            {
                var (prefill, perToken) = Measure(paths[m]);
                prefills[m].Add(prefill);
                steps[m].Add(perToken);
                Console.WriteLine(string.Create(invariant, $"round {round + 1} of {rounds}, {Models[m].Name}: prompt {Prompt} in {prefill * 1e3:F1} ms, {perToken * 1e3:F2} ms per generated token"));
            }
        }

        var points = new JsonArray();
        for (var m = 0; m < Models.Length; m++)
        {
            File.Delete(paths[m]);
            var (name, hidden, layers, heads, kv, ff, type) = Models[m];
            points.Add(new JsonObject
            {
                ["model"] = name, ["hidden"] = hidden, ["layers"] = layers, ["heads"] = heads, ["kvHeads"] = kv, ["feedForward"] = ff, ["type"] = type,
                ["prompt"] = Prompt, ["generated"] = Generated, ["rounds"] = rounds,
                ["prefillSeconds"] = Median(prefills[m]), ["perTokenSeconds"] = Median(steps[m]),
                ["prefillRuns"] = new JsonArray([.. prefills[m].Select(v => JsonValue.Create(v))]),
                ["perTokenRuns"] = new JsonArray([.. steps[m].Select(v => JsonValue.Create(v))]),
            });
        }

        var second = await LocalDeviceProbe.Default.ProbeAsync(new LocalProbeOptions { Refresh = true }).ConfigureAwait(false);
        return new JsonObject
        {
            ["runtime"] = $"llama.cpp through LLamaSharp {typeof(LLamaWeights).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "(unknown version)"} (CPU backend), {Environment.ProcessorCount} threads, n_ctx 1024, n_batch = n_ubatch = {Prompt}; medians of {rounds} round-robin rounds",
            ["machine"] = ValidationRecord.Machine(),
            ["probe"] = ValidationRecord.Probe(ValidationRecord.HigherOf(first, second)),
            ["probes"] = new JsonArray(ValidationRecord.Probe(first), ValidationRecord.Probe(second)),
            ["points"] = points,
        };
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i < 0 ? null : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a file path.");
    }

    /// <summary>
    /// One run after a warm-up run on the same loaded weights (the first touches the mapped file's pages): the prompt in
    /// one batch, then one token at a time, each in a fresh context.
    /// </summary>
    private static (double Prefill, double PerToken) Measure(string path)
    {
        var parameters = new ModelParams(path) { ContextSize = 1024, GpuLayerCount = 0, BatchSize = 512, UBatchSize = 512, Threads = Environment.ProcessorCount };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        var random = new Random(7);
        (double, double) result = default;
        for (var run = 0; run < 2; run++)
        {
            using var context = weights.CreateContext(parameters);
            var batch = new LLamaBatch();
            for (var i = 0; i < Prompt; i++)
            {
                batch.Add((LLamaToken)random.Next(32000), i, LLamaSeqId.Zero, i == Prompt - 1);
            }

            var clock = Stopwatch.StartNew();
            Check(context.Decode(batch));
            var prefill = clock.Elapsed.TotalSeconds;
            clock.Restart();
            for (var i = 0; i < Generated; i++)
            {
                batch.Clear();
                batch.Add((LLamaToken)random.Next(32000), Prompt + i, LLamaSeqId.Zero, true);
                Check(context.Decode(batch));
            }

            result = (prefill, clock.Elapsed.TotalSeconds / Generated);
        }

        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Rounds(string[] args) =>
        Option(args, "--rounds") is { } text ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 15 ? n : throw new ArgumentException($"--rounds takes 1 to 15; was '{text}'.") : 3;

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode returned {result}.");
        }
    }
}
