using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelSelection.OnnxRuntime;

namespace ModelSelection.Validation;

/// <summary>
/// Where the time of a forward pass goes, per operator type, from ONNX Runtime's own profiler
/// (<c>SessionOptions.EnableProfiling</c>): the kernels' times summed per operator type over the timed runs (the first
/// run, which allocates, is left out). Diagnoses what the roofline leaves out — which operators grow faster than their
/// FLOPs between two shapes (docs/accuracy.md).
/// </summary>
internal static class OperatorProfile
{
    /// <summary>Profiles <paramref name="path"/> at each shape, in this process, and prints one row per operator type.</summary>
    /// <param name="path">An encoder whose inputs are integer [batch, sequence] tensors (token ids, attention mask, token types).</param>
    /// <param name="shapes">The shapes.</param>
    /// <param name="runs">Timed runs per shape, after one warm-up run.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads; <see langword="null"/> for its default.</param>
    /// <param name="json">Whether to print JSON instead of a table.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(string path, IReadOnlyList<ShapeToMeasure> shapes, int runs, int? threads, bool json)
    {
        var perShape = new List<(ShapeToMeasure Shape, double RunSeconds, Dictionary<string, double> Seconds)>();
        var directory = Directory.CreateTempSubdirectory("modelselection-profile-");
        try
        {
            foreach (var shape in shapes)
            {
                using var options = new SessionOptions
                {
                    GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                    EnableProfiling = true,
                    ProfileOutputPathPrefix = Path.Combine(directory.FullName, "profile"),
                };
                if (threads is { } count)
                {
                    options.IntraOpNumThreads = count;
                }

                using var session = new InferenceSession(path, options);
                var inputs = Inputs(session, shape);
                for (var r = 0; r <= runs; r++)
                {
                    using var outputs = session.Run(inputs);
                }

                var file = Path.GetFullPath(session.EndProfiling());
                var (runSeconds, seconds) = Aggregate(file);
                File.Delete(file);
                perShape.Add((shape, runSeconds, seconds));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        var operators = perShape.SelectMany(p => p.Seconds.Keys).Distinct(StringComparer.Ordinal)
            .OrderByDescending(o => perShape[^1].Seconds.GetValueOrDefault(o)).ToList();
        if (json)
        {
            var document = new JsonObject
            {
                ["model"] = Path.GetFileName(path),
                ["runtime"] = $"onnxruntime (CPU execution provider) {OrtEnv.Instance().GetVersionString()}, ORT_ENABLE_ALL, {(threads is { } t ? $"{t} intra-op threads" : "default threads")}",
                ["runsPerShape"] = runs,
                ["shapes"] = new JsonArray([.. perShape.Select(p => (JsonNode)new JsonObject
                {
                    ["batch"] = p.Shape.Batch,
                    ["seq"] = p.Shape.SequenceLength,
                    ["runSeconds"] = p.RunSeconds,
                    ["operatorSeconds"] = new JsonObject(operators.Where(p.Seconds.ContainsKey).Select(o => KeyValuePair.Create(o, (JsonNode?)JsonValue.Create(p.Seconds[o])))),
                })]),
            };
            Console.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        Console.WriteLine($"{Path.GetFileName(path)}: ms per forward pass by operator type (ONNX Runtime's profiler; {runs} runs after one warm-up; '(run)' is the median run)");
        Console.WriteLine(string.Concat($"{"operator",-22}", string.Concat(perShape.Select(p => $"{p.Shape,12}"))));
        Console.WriteLine(string.Concat($"{"(run)",-22}", string.Concat(perShape.Select(p => (p.RunSeconds * 1e3).ToString("F2", CultureInfo.InvariantCulture).PadLeft(12)))));
        foreach (var o in operators)
        {
            Console.WriteLine(string.Concat($"{o,-22}", string.Concat(perShape.Select(p => (p.Seconds.GetValueOrDefault(o) * 1e3).ToString("F2", CultureInfo.InvariantCulture).PadLeft(12)))));
        }

        return 0;
    }

    /// <summary>Token ids, an all-ones mask and zero token types, [batch, sequence], in each input's integer type.</summary>
    private static List<NamedOnnxValue> Inputs(InferenceSession session, ShapeToMeasure shape)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, meta) in session.InputMetadata)
        {
            var count = shape.Batch * shape.SequenceLength;
            long Value(int i) => name.Contains("mask", StringComparison.OrdinalIgnoreCase) ? 1
                : name.Contains("type", StringComparison.OrdinalIgnoreCase) ? 0
                : 1000 + (i % 500);
            int[] dimensions = [shape.Batch, shape.SequenceLength];
            if (meta.Dimensions.Length != 2)
            {
                throw new ArgumentException($"profile needs [batch, sequence] inputs; input '{name}' has {meta.Dimensions.Length} dimensions.");
            }

            inputs.Add(meta.ElementType == typeof(long)
                ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(Enumerable.Range(0, count).Select(Value).ToArray(), dimensions))
                : meta.ElementType == typeof(int)
                    ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(Enumerable.Range(0, count).Select(i => (int)Value(i)).ToArray(), dimensions))
                    : throw new ArgumentException($"profile needs integer inputs; input '{name}' is {meta.ElementType.Name}."));
        }

        return inputs;
    }

    /// <summary>The median run's time and each operator type's kernel time per run, from a profile file, the first run left out.</summary>
    private static (double RunSeconds, Dictionary<string, double> Seconds) Aggregate(string file)
    {
        using var stream = File.OpenRead(file);
        using var events = JsonDocument.Parse(stream);
        var all = events.RootElement.EnumerateArray().ToList();
        var runs = all.Where(e => Text(e, "cat") == "Session" && Text(e, "name") == "model_run").OrderBy(e => e.GetProperty("ts").GetInt64()).ToList();
        var from = runs[1].GetProperty("ts").GetInt64();
        var timed = runs.Count - 1;
        var durations = runs.Skip(1).Select(e => e.GetProperty("dur").GetInt64() / 1e6).Order().ToList();
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var e in all.Where(e => Text(e, "cat") == "Node" && Text(e, "name")?.EndsWith("_kernel_time", StringComparison.Ordinal) == true && e.GetProperty("ts").GetInt64() >= from))
        {
            var op = e.GetProperty("args").GetProperty("op_name").GetString()!;
            seconds[op] = seconds.GetValueOrDefault(op) + (e.GetProperty("dur").GetInt64() / 1e6 / timed);
        }

        return (durations[(durations.Count - 1) / 2], seconds);
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
