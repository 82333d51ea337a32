using System.Diagnostics;
using System.Globalization;
using LLama;
using LLama.Common;
using LLama.Native;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Gguf;
using ModelSelection.Runtimes;
using ModelSelection.Tests.Gguf;

namespace ModelSelection.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ModelSelection.Benchmarks -- llamacpp</c>: writes Llama-shaped GGUF files
/// (random weights), runs them in llama.cpp through LLamaSharp's CPU backend on this machine — a 512-token prompt in
/// one batch, then 64 tokens one at a time, as llama-bench's pp512 and tg — and prints the measured times beside our
/// <c>local</c> estimate for the llama.cpp runtime, as a Markdown table for docs/accuracy.md. A validation run, not a
/// timed test: the machine and its load decide the numbers.
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

    public static async Task<int> RunAsync()
    {
        var local = await LocalDeviceProbe.ProbeThisMachineAsync().ConfigureAwait(false);
        var runtime = RuntimeCatalog.BuiltIn.Get("llama.cpp");
        var folder = Directory.CreateTempSubdirectory("ms-llamacpp-").FullName;
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine($"local: {local.DisplayName}; fp32 {local.PeakFlops.Fp32 / 1e9:F0} GFLOP/s, int8 {(local.PeakFlops.Int8 ?? 0) / 1e9:F0} GOP/s, {local.MemoryBandwidthBytesPerSecond / 1e9:F1} GB/s; {Environment.ProcessorCount} threads");
        Console.WriteLine();
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
        Console.WriteLine("| model | params | weights | prompt 512 measured | ours | ratio | per token measured | ours | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var (name, hidden, layers, heads, kv, ff, type) in Models)
            {
                var path = Path.Combine(folder, name + ".gguf");
                LlamaCppGgufWriter.Write(path, hidden, layers, heads, kv, ff, type);
                var spec = GgufModel.Read(path).ToModelSpec();
                var (prefill, perToken) = Measure(path);
                var estimate = ModelEstimator.EstimatePerformance(spec, new InferenceWorkload { WeightPrecision = spec.StoredWeights!.Format, InputTokens = Prompt, GeneratedTokens = Generated + 1 }, local, runtime);
                var ttft = estimate.TimeToFirstTokenSeconds!.Value;
                var tpot = estimate.TimePerOutputTokenSeconds!.Value;
                Console.WriteLine(string.Create(invariant, $"| {name} | {spec.Parameters.Count / 1e6:F1} M | {spec.StoredWeights.TotalBytes / 1048576.0:F1} MiB | {prefill * 1e3:F1} ms | {ttft * 1e3:F1} ms | {ttft / prefill:F2} | {perToken * 1e3:F2} ms | {tpot * 1e3:F2} ms | {tpot / perToken:F2} |"));
                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    /// <summary>Median of three runs: the prompt in one batch, then one token at a time.</summary>
    private static (double Prefill, double PerToken) Measure(string path)
    {
        var parameters = new ModelParams(path) { ContextSize = 1024, GpuLayerCount = 0, BatchSize = 512, UBatchSize = 512, Threads = Environment.ProcessorCount };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        var prefill = new List<double>();
        var steps = new List<double>();
        var random = new Random(7);
        for (var run = 0; run < 3; run++)
        {
            using var context = weights.CreateContext(parameters);
            var batch = new LLamaBatch();
            for (var i = 0; i < Prompt; i++)
            {
                batch.Add((LLamaToken)random.Next(32000), i, LLamaSeqId.Zero, i == Prompt - 1);
            }

            var clock = Stopwatch.StartNew();
            Check(context.Decode(batch));
            prefill.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            for (var i = 0; i < Generated; i++)
            {
                batch.Clear();
                batch.Add((LLamaToken)random.Next(32000), Prompt + i, LLamaSeqId.Zero, true);
                Check(context.Decode(batch));
            }

            steps.Add(clock.Elapsed.TotalSeconds / Generated);
        }

        return (prefill.Order().ElementAt(1), steps.Order().ElementAt(1));
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode returned {result}.");
        }
    }
}
