using LLama.Native;
using ModelSelection.Estimation;
using ModelSelection.Gguf;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Gguf;

/// <summary>
/// GGUF files the suite writes itself (Llama-shaped, random weights, ~20 M to ~190 M parameters, F16, Q8_0, Q4_0 and a
/// Q4_K_M mix) are read by our reader and loaded in the real llama.cpp: the parameter count and weight bytes must equal
/// llama.cpp's, the KV cache its KV buffer for the same context and cache type, and the activations its compute buffer
/// within ±25 %.
/// </summary>
[Collection(LlamaCppSerial.Name)]
public sealed class LlamaCppGgufTests : IDisposable
{
    private const double MiB = 1024.0 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("ms-gguf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, int, int, int, int, int, int, uint, string> Models => new()
    {
        // name, hidden, layers, heads, kv heads, ffn, ggml type (-1: the Q4_K_M mix), context, KV type
        { "f16-20m", 256, 4, 4, 2, 768, 1, 512, "f16" },
        { "q8_0-60m", 512, 8, 8, 4, 1536, 8, 1024, "f16" },
        { "q8_0-60m-kv-q8_0", 512, 8, 8, 4, 1536, 8, 1024, "q8_0" },
        { "q8_0-60m-kv-q4_0", 512, 8, 8, 4, 1536, 8, 2048, "q4_0" },
        { "q4_0-190m", 1024, 8, 16, 4, 4096, 2, 2048, "f16" },
        { "q4_k_m-125m", 768, 12, 12, 4, 2048, -1, 1024, "f16" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void OurCountsMatchWhatLlamaCppLoads(string name, int hidden, int layers, int heads, int kvHeads, int ff, int type, uint context, string kvType)
    {
        var path = Path.Combine(_folder, name + ".gguf");
        LlamaCppGgufWriter.Write(path, hidden, layers, heads, kvHeads, ff, type);
        var model = GgufModel.Read(path);
        var spec = model.ToModelSpec();
        var report = LlamaCppHarness.Load(path, context, kvType switch { "q8_0" => GGMLType.GGML_TYPE_Q8_0, "q4_0" => GGMLType.GGML_TYPE_Q4_0, _ => GGMLType.GGML_TYPE_F16 });

        Assert.Equal((long)report.Parameters, spec.Parameters.Count);
        Assert.Equal((long)report.Parameters, model.Parameters.Count);
        Assert.Equal((long)report.ModelBytes, model.WeightBytes);

        var workload = new InferenceWorkload
        {
            WeightPrecision = spec.StoredWeights!.Format,
            InputTokens = (int)context - 1,
            GeneratedTokens = 1,
            KvCachePrecision = NumericPrecision.Parse(kvType),
        };
        var memory = ModelEstimator.EstimateMemory(spec, workload, null, RuntimeCatalog.BuiltIn.Get("llama.cpp"));
        Assert.Equal(report.ModelBytes, (ulong)memory.WeightsBytes);
        Assert.True(Math.Abs((memory.KvCacheBytes / MiB) - report.KvMiB) <= 0.006, $"{name}: our KV cache {memory.KvCacheBytes / MiB:F3} MiB, llama.cpp's KV buffer {report.KvMiB:F2} MiB.");
        var ratio = memory.ActivationsBytes / MiB / report.ComputeMiB;
        Assert.True(ratio is >= 0.75 and <= 1.25, $"{name}: our activations {memory.ActivationsBytes / MiB:F2} MiB, llama.cpp's compute buffer {report.ComputeMiB:F2} MiB (ratio {ratio:F3}).");
    }

    [Fact]
    public void TheQ4KMRecipeFromTheArchitectureEqualsTheFile()
    {
        var path = Path.Combine(_folder, "recipe.gguf");
        LlamaCppGgufWriter.Write(path, 768, 12, 12, 4, 2048, -1);
        var spec = GgufModel.Read(path).ToModelSpec();
        var fromRecipe = new ModelSelection.Models.ModelSpec(spec.Id, spec.Family, spec.Architecture, spec.Inventory);
        var workload = new InferenceWorkload { WeightPrecision = NumericPrecision.GgufQ4KM, InputTokens = 1 };
        Assert.Equal(spec.StoredWeights!.TotalBytes, ModelEstimator.EstimateMemory(fromRecipe, workload).WeightsBytes);
    }
}
