using BenchmarkDotNet.Attributes;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Runtimes;

namespace ModelSelection.Benchmarks;

/// <summary>The estimator hot path: one candidate on one device (target ≤ 250 ns, 0 B allocated).</summary>
[MemoryDiagnoser]
public class EstimationBenchmarks
{
    private readonly ModelSpec _llama = ModelCatalog.BuiltIn.Get("meta-llama/Llama-2-7b-hf");
    private readonly ModelSpec _bert = ModelCatalog.BuiltIn.Get("bert-base-uncased");
    private readonly DeviceProfile _a100 = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm");
    private readonly RuntimeProfile _vllm = RuntimeCatalog.BuiltIn.Get("vllm");
    private readonly InferenceWorkload _chat = new() { InputTokens = 512, GeneratedTokens = 128 };
    private readonly InferenceWorkload _classify = new() { InputTokens = 128, WeightPrecision = NumericPrecision.Int8 };

    [Benchmark]
    public MemoryEstimate MemoryLlama() => ModelEstimator.EstimateMemory(_llama, _chat, _a100);

    [Benchmark]
    public FlopEstimate FlopsLlama() => ModelEstimator.EstimateFlops(_llama, _chat);

    [Benchmark]
    public PerformanceEstimate FullEstimateLlama() => ModelEstimator.EstimatePerformance(_llama, _chat, _a100);

    [Benchmark]
    public PerformanceEstimate FullEstimateLlamaOnVllm() => ModelEstimator.EstimatePerformance(_llama, _chat, _a100, _vllm);

    [Benchmark]
    public PerformanceEstimate FullEstimateBertInt8() => ModelEstimator.EstimatePerformance(_bert, _classify, _a100);
}
