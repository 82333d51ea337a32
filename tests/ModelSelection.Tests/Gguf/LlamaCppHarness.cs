using System.Globalization;
using System.Text.RegularExpressions;
using LLama;
using LLama.Common;
using LLama.Native;

namespace ModelSelection.Tests.Gguf;

/// <summary>
/// Loads GGUF files in the real llama.cpp (LLamaSharp 0.30.0, CPU backend) and reads back what llama.cpp reports:
/// its parameter count and model size (<c>llama_model_n_params</c>, <c>llama_model_size</c>), and the KV and compute
/// buffer sizes its log prints. One model at a time: the log callback is process-wide.
/// </summary>
internal static partial class LlamaCppHarness
{
    private static readonly Lock Gate = new();
    private static readonly List<string> Log = [];
    private static bool _configured;

    /// <summary>What llama.cpp reported for one load.</summary>
    public sealed record Report(ulong Parameters, ulong ModelBytes, double KvMiB, double ComputeMiB, IReadOnlyList<string> Lines);

    public static Report Load(string path, uint context, GGMLType kvType = GGMLType.GGML_TYPE_F16, Action<LLamaContext>? use = null)
    {
        lock (Gate)
        {
            if (!_configured)
            {
                NativeLibraryConfig.All.WithLogCallback((_, message) =>
                {
                    lock (Log)
                    {
                        Log.Add(message.TrimEnd());
                    }
                });
                _configured = true;
            }

            lock (Log)
            {
                Log.Clear();
            }

            var parameters = new ModelParams(path)
            {
                ContextSize = context,
                GpuLayerCount = 0,
                BatchSize = 512,
                UBatchSize = 512,
                TypeK = kvType,
                TypeV = kvType,
                Threads = Math.Max(1, Environment.ProcessorCount),
            };
            using var weights = LLamaWeights.LoadFromFile(parameters);
            using var llama = weights.CreateContext(parameters);
            use?.Invoke(llama);
            List<string> lines;
            lock (Log)
            {
                lines = [.. Log];
            }

            return new Report(weights.ParameterCount, weights.SizeInBytes, Sum(lines, KvBuffer()), Sum(lines, ComputeBuffer()), lines);
        }
    }

    private static double Sum(List<string> lines, Regex pattern) =>
        lines.Select(l => pattern.Match(l)).Where(m => m.Success).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"KV buffer size =\s*([0-9.]+) MiB")]
    private static partial Regex KvBuffer();

    [GeneratedRegex(@"compute buffer size =\s*([0-9.]+) MiB")]
    private static partial Regex ComputeBuffer();
}
