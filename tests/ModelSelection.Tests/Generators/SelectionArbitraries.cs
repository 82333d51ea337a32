using FsCheck;
using FsCheck.Fluent;
using ModelSelection.Catalog;
using ModelSelection.Estimation;

namespace ModelSelection.Tests.Generators;

/// <summary>Realistic selection questions over the built-in catalogs: a handful of real models, real devices, real formats and plausible limits.</summary>
public static class SelectionArbitraries
{
    private static readonly string[] ModelIds = [.. ModelCatalog.BuiltIn.Models.Where(m => m.Parameters.Count < 20_000_000_000).Select(m => m.Id)];
    private static readonly string[] DeviceIds = [.. DeviceCatalog.BuiltIn.Devices.Select(d => d.Id)];
    private static readonly NumericPrecision[] Formats = [NumericPrecision.Fp16, NumericPrecision.Int8, NumericPrecision.GgufQ4KM, NumericPrecision.Fp32, NumericPrecision.Nf4, NumericPrecision.Bf16];

    /// <summary>Distinct elements: <paramref name="count"/> distinct indices drawn without rejection sampling.</summary>
    private static Gen<T[]> Pick<T>(T[] items, int count) =>
        Gen.ArrayOf(Gen.Choose(0, 1_000_000), items.Length).Select(keys => items.Zip(keys).OrderBy(p => p.Second).Take(count).Select(p => p.First).ToArray());

    public static Arbitrary<SelectionRequest> Requests() =>
        (from modelCount in Gen.Choose(2, 8)
         from models in Pick(ModelIds, modelCount)
         from deviceCount in Gen.Choose(1, 3)
         from devices in Pick(DeviceIds, deviceCount)
         from formatCount in Gen.Choose(1, 3)
         from formats in Pick(Formats, formatCount)
         from batch in Gen.Choose(1, 4)
         from seq in Gen.OneOf(Gen.Choose(16, 1024), Gen.Elements(3000, 6000, 33000))
         from generated in Gen.Elements(0, 0, 16, 128)
         from task in Gen.Elements<ModelTask?>(null, null, null, ModelTask.Classification, ModelTask.TextGeneration, ModelTask.LanguageModeling, ModelTask.ExtractiveQuestionAnswering, ModelTask.Embedding, ModelTask.SequenceToSequence)
         from latency in Gen.Elements<double?>(null, 0.01, 0.1, 1, 10)
         from tpot in Gen.Elements<double?>(null, 0.02, 0.1)
         from memory in Gen.Elements<long?>(null, 1L << 30, 4L << 30, 16L << 30)
         from headroom in Gen.Elements(0.0, 0.1)
         from benchmark in Gen.Elements<string?>(null, null, "glue-test", "mmlu-5shot", "squad-v1.1-f1", "wikitext103-test-ppl")
         from floor in Gen.Elements<double?>(null, 20, 40, 60, 80)
         from cost in Gen.Elements<decimal?>(null, 0.0001m, 0.01m)
         from energy in Gen.Elements<double?>(null, 1, 100)
         from objective in Gen.Elements(Enum.GetValues<SelectionObjective>())
         from maxDevices in Gen.Elements(1, 1, 2)
         select new SelectionRequest
         {
             CandidateIds = [.. models],
             DeviceIds = [.. devices],
             Precisions = [.. formats],
             Workload = new InferenceWorkload { Batch = batch, InputTokens = seq, GeneratedTokens = generated },
             Task = task,
             Constraints = new SelectionConstraints
             {
                 MaxLatency = latency is { } l ? TimeSpan.FromSeconds(l) : null,
                 MaxTimePerOutputToken = generated > 0 && tpot is { } t ? TimeSpan.FromSeconds(t) : null,
                 MaxMemoryBytes = memory,
                 MemoryHeadroomFraction = headroom,
                 QualityBenchmark = benchmark,
                 MinQuality = benchmark is null && (task ?? (generated > 0 ? ModelTask.TextGeneration : null)) is null ? null : floor,
                 MaxCostUsd = cost,
                 MaxEnergyJoules = energy,
                 MaxDeviceCount = maxDevices,
             },
             Objective = objective,
         }).ToArbitrary();
}
