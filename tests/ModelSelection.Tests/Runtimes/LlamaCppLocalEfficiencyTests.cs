using System.Text.Json.Nodes;
using ModelSelection.Estimation;
using ModelSelection.Gguf;
using ModelSelection.Runtimes;
using ModelSelection.Tests.Gguf;

namespace ModelSelection.Tests.Runtimes;

/// <summary>
/// llama.cpp's built-in efficiency on the probed <c>local</c> device, fitted to real llama.cpp runs (LLamaSharp's CPU
/// backend) recorded in docs/measurements/llamacpp-local-2026-12-07.json: it must predict those runs within the
/// accuracy the fit reported and better than the server-cpu prior it replaced.
/// </summary>
public class LlamaCppLocalEfficiencyTests
{
    [Fact]
    public void The_local_entry_predicts_the_recorded_llama_cpp_runs()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "docs", "measurements", "llamacpp-local-2026-12-07.json")))!.AsObject();
        var local = ValidationRecord.Device(document["probe"]!.AsObject(), "local");
        var runtime = RuntimeCatalog.BuiltIn.Get("llama.cpp");
        Assert.StartsWith("fitted to 12 runs", runtime.EfficiencyFor(local).Source, StringComparison.Ordinal);
        var prior = runtime with { DeviceEfficiencies = runtime.DeviceEfficiencies.Clear() };
        var fitted = new List<double>();
        var before = new List<double>();
        var folder = Directory.CreateTempSubdirectory("ms-llamacpp-local-").FullName;
        try
        {
            // The two smallest files (39 and 62 MB) keep the test quick; their four points span f16 and q8_0, prompt and decode.
            foreach (var point in document["points"]!.AsArray().Select(n => n!.AsObject()).Take(2))
            {
                var path = Path.Combine(folder, (string)point["model"]! + ".gguf");
                LlamaCppGgufWriter.Write(path, (int)point["hidden"]!, (int)point["layers"]!, (int)point["heads"]!, (int)point["kvHeads"]!, (int)point["feedForward"]!, (int)point["type"]!);
                var spec = GgufModel.Read(path).ToModelSpec();
                var workload = new InferenceWorkload { WeightPrecision = spec.StoredWeights!.Format, InputTokens = 512, GeneratedTokens = 65 };
                var measuredPrefill = (double)point["prefillSeconds"]!;
                var measuredStep = (double)point["perTokenSeconds"]!;
                var withFit = ModelEstimator.EstimatePerformance(spec, workload, local, runtime);
                var withPrior = ModelEstimator.EstimatePerformance(spec, workload, local, prior);
                fitted.Add(Math.Abs(Math.Log(withFit.TimeToFirstTokenSeconds!.Value / measuredPrefill)));
                fitted.Add(Math.Abs(Math.Log(withFit.TimePerOutputTokenSeconds!.Value / measuredStep)));
                before.Add(Math.Abs(Math.Log(withPrior.TimeToFirstTokenSeconds!.Value / measuredPrefill)));
                before.Add(Math.Abs(Math.Log(withPrior.TimePerOutputTokenSeconds!.Value / measuredStep)));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // The fit reported ratios of 0.96–1.16 on these four points; the prior 0.61–1.16.
        Assert.All(fitted, e => Assert.True(e < Math.Log(1.2), $"|ln ratio| {e:0.000}"));
        Assert.True(fitted.Sum() < before.Sum(), $"fitted Σ|ln ratio| {fitted.Sum():0.000} against the prior's {before.Sum():0.000}");
    }
}
