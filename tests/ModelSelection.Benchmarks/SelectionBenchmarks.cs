using BenchmarkDotNet.Attributes;
using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Models;

namespace ModelSelection.Benchmarks;

/// <summary>Selecting among 100, 1,000 and 10,000 candidate × precision pairs (target ≤ 0.5 ms for 1,000; cost linear in candidates): 10,000 as 5,000 models on one device, and as the 1,000 case's 500 models on ten.</summary>
[MemoryDiagnoser]
public class SelectionBenchmarks
{
    private readonly ModelSelector _selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);
    private SelectionRequest _thousand = new();
    private SelectionRequest _hundred = new();
    private SelectionRequest _tenThousand = new();
    private SelectionRequest _tenThousandOnTenDevices = new();

    [GlobalSetup]
    public void Setup()
    {
        // 5,000 Llama-shaped models from 0.1 B to 30 B parameters, each at fp16 and int8: 10,000 pairs; the first 500 make 1,000.
        var models = new List<ModelSpec>();
        for (var i = 0; i < 5000; i++)
        {
            var heads = 8 + (8 * (i % 7));
            var json = $$"""{"model_type":"llama","vocab_size":32000,"hidden_size":{{heads * 128}},"num_hidden_layers":{{4 + (i % 60)}},"num_attention_heads":{{heads}},"num_key_value_heads":8,"intermediate_size":{{heads * 128 * 3}}}""";
            models.Add(HuggingFaceConfig.Parse(json, $"model-{i}", $"model-{i}"));
        }

        _thousand = new SelectionRequest
        {
            Models = models,
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Int8],
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromSeconds(0.05) },
            Objective = SelectionObjective.Smallest,
        };
        _tenThousand = _thousand;
        _thousand = _tenThousand with { Models = models.Take(500).ToList() };
        _hundred = _tenThousand with { Models = models.Take(50).ToList() };

        // The same 10,000 pairs as 500 models on 10 datacenter GPUs: ten times the pairs of the 1,000-pair case with the
        // same models, so what grows is the selection's own work, not the model data it reads.
        string[] gpus = ["nvidia-a100-80gb-sxm", "nvidia-a100-40gb-sxm", "nvidia-a100-pcie-80gb", "nvidia-a100-pcie-40gb", "nvidia-h100-sxm-80gb", "nvidia-h100-pcie-80gb", "nvidia-h200-sxm-141gb", "nvidia-l40s", "nvidia-a30", "nvidia-l4"];
        _tenThousandOnTenDevices = _thousand with { DeviceIds = gpus };
    }

    [Benchmark(Baseline = true)]
    public SelectionResult Select100Pairs() => _selector.Select(_hundred);

    [Benchmark]
    public SelectionResult Select1000Pairs() => _selector.Select(_thousand);

    [Benchmark]
    public SelectionResult Select10000Pairs() => _selector.Select(_tenThousand);

    [Benchmark]
    public SelectionResult Select10000PairsOf500ModelsOn10Devices() => _selector.Select(_tenThousandOnTenDevices);
}
