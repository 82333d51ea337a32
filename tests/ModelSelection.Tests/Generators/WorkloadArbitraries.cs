using FsCheck;
using FsCheck.Fluent;
using ModelSelection.Estimation;

namespace ModelSelection.Tests.Generators;

/// <summary>Realistic inference workloads: batch 1–64, prompts up to 4096 tokens, up to 512 generated, any weight format.</summary>
public static class WorkloadArbitraries
{
    public static Arbitrary<InferenceWorkload> Workloads() =>
        (from batch in Gen.Choose(1, 64)
         from input in Gen.Choose(1, 4096)
         from generated in Gen.Choose(0, 512)
         from precision in Gen.Elements(NumericPrecision.All.ToArray())
         from eager in Gen.Elements(true, false)
         select new InferenceWorkload
         {
             Batch = batch,
             InputTokens = input,
             GeneratedTokens = generated,
             WeightPrecision = precision,
             Attention = eager ? AttentionImplementation.Eager : AttentionImplementation.Flash,
         }).ToArbitrary();

    public static Arbitrary<ConfigShape> ConfigShapes() => ConfigShape.Generator().ToArbitrary();
}
