using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Planning;

namespace ModelSelection.Tests.Planning;

/// <summary>The fine-tuning plan: training memory, FLOPs, time, cost, and the choice in the selector's result shape.</summary>
public class FineTuningPlannerTests
{
    private const string TinyLlama = "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T";
    private const string Llama7B = "meta-llama/Llama-2-7b-hf";
    private const string Phi3 = "microsoft/Phi-3-mini-4k-instruct";
    private static readonly DeviceProfile A100 = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm");

    private static FineTuningRequest Request(params string[] ids) => new()
    {
        CandidateIds = ids,
        Dataset = DatasetSize.FromExamples(50_000, 512),
        Epochs = 3,
        Device = A100,
        Training = new TrainingWorkload { SequenceLength = 512 },
    };

    [Fact]
    public void TinyLlama_TrainingTime_MatchesTheHandDerivation()
    {
        // TinyLlama 1.1B (config: hidden 2048, 22 layers, vocab 32000; 1,100,048,384 parameters, untied embeddings).
        // Forward FLOPs per token at sequence 512: 2 · (N − the embedding table, which is a lookup) + attention scores
        // and weighted sum 2 · 2 · S · d per layer = 2 · (1,100,048,384 − 65,536,000) + 4 · 512 · 2048 · 22
        // = 2,069,024,768 + 92,274,688 = 2,161,299,456.
        // Full fine-tuning: forward + backward = 3 × forward. Tokens: 50,000 × 512 × 3 epochs = 76.8e6.
        // Time on one A100 (312 TFLOP/s bf16) at 40 %: 3 · 2,161,299,456 · 76.8e6 / 124.8e12 = 3,990.1 s = 1.1084 h.
        var result = FineTuningPlanner.Plan(Request(TinyLlama) with { MaxHours = 10 });
        var choice = Assert.IsType<SelectionCandidate>(result.Choice);
        Assert.Equal(3_990.1, choice.Performance!.Value.LatencySeconds, 3_990.1 * 0.01);
        Assert.Equal(3 * 2_161_299_456.0 * 76.8e6, choice.Flops.Total.Flops, 3 * 2_161_299_456.0 * 76.8e6 * 0.01);
        // Cost: 1.1084 h × $3.4309 = $3.80; energy 400 W × 3,990 s = 1.596 MJ.
        Assert.Equal(3.80, choice.Performance.Value.CostUsd!.Value, 0.05);
        Assert.Equal(1.596e6, choice.Performance.Value.EnergyJoules!.Value, 0.02e6);
        // And within 2 % of the rule of thumb 6 · N · D minus the embedding share.
        Assert.InRange(choice.Flops.Total.Flops / (6 * 1_100_048_384.0 * 76.8e6), 0.95, 1.0);
    }

    [Fact]
    public void Llama7B_FullFineTuning_DoesNotFitOneA100_ButLoraDoes()
    {
        // Mixed-precision AdamW keeps 16 bytes per parameter: 6.74e9 · 16 = 107.8 GB > 80 GiB before activations.
        var full = FineTuningPlanner.Plan(Request(Llama7B, TinyLlama));
        var rejected = Assert.Single(full.Rejected);
        Assert.Equal(Llama7B, rejected.Candidate.Model.Id);
        Assert.Equal(RejectionCode.ExceedsMemory, rejected.Reasons[0].Code);
        Assert.True(rejected.Reasons[0].Required > 107.8e9);
        Assert.Equal(TinyLlama, full.Choice!.Model.Id);

        var lora = FineTuningPlanner.Plan(Request(Llama7B) with { Training = new TrainingWorkload { SequenceLength = 512, LoraRank = 16 } });
        Assert.Equal(Llama7B, lora.Choice!.Model.Id);
        Assert.True(lora.Choice.Memory.TotalBytes < A100.UsableMemoryBytes);
    }

    [Fact]
    public void Plan_RanksByTheBenchmarkAndRejectsOverTheTimeAndMoneyLimits()
    {
        var result = FineTuningPlanner.Plan(Request(Phi3, TinyLlama) with { Benchmark = "mmlu-5shot" });
        Assert.Equal(Phi3, result.Choice!.Model.Id); // Phi-3-mini's published MMLU 68.8 beats TinyLlama's
        Assert.Equal(2, result.Ranked.Count);

        var limited = FineTuningPlanner.Plan(Request(Phi3, TinyLlama) with { Benchmark = "mmlu-5shot", MaxHours = 2 });
        Assert.Equal(TinyLlama, limited.Choice!.Model.Id);
        var slow = Assert.Single(limited.Rejected);
        Assert.Equal(RejectionCode.ExceedsTime, slow.Reasons.Single().Code);
        Assert.Equal(2, slow.Reasons[0].Limit);

        var poor = FineTuningPlanner.Plan(Request(Phi3, TinyLlama) with { MaxCostUsd = 1m });
        Assert.Null(poor.Choice);
        Assert.All(poor.Rejected, r => Assert.Equal(RejectionCode.ExceedsCost, r.Reasons.Single().Code));
        Assert.Contains("$1", poor.Rejected[0].Reasons[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RejectsBadInput()
    {
        Assert.Throws<ArgumentNullException>(() => FineTuningPlanner.Plan(null!));
        var none = Assert.Throws<ArgumentException>(() => FineTuningPlanner.Plan(Request()));
        Assert.Contains("at least one candidate", none.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => FineTuningPlanner.Plan(Request("llama-2-7b")));
        Assert.Contains("llama-2-7b", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Request(TinyLlama) with { Epochs = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Request(TinyLlama) with { MaxHours = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Request(TinyLlama) with { DeviceCount = 0 });
        var cost = Assert.Throws<ArgumentOutOfRangeException>(() => Request(TinyLlama) with { MaxCostUsd = -2.5m });
        Assert.Contains("-2.5", cost.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 200)]
    public Property TrainingTime_IsLinearInTokensAndEpochs() =>
        Prop.ForAll(Gen.Elements(TinyLlama, Phi3, "gpt2", "bert-base-uncased").ToArbitrary(), Gen.Choose(1, 20).ToArbitrary(), Gen.Choose(1, 8).ToArbitrary(), (id, k, epochs) =>
        {
            var baseline = FineTuningPlanner.Plan(Request(id) with { Epochs = 1, Dataset = DatasetSize.FromTokens(1_000_000) });
            var moreData = FineTuningPlanner.Plan(Request(id) with { Epochs = 1, Dataset = DatasetSize.FromTokens(k * 1_000_000L) });
            var moreEpochs = FineTuningPlanner.Plan(Request(id) with { Epochs = epochs, Dataset = DatasetSize.FromTokens(1_000_000) });
            double Seconds(SelectionResult r) => r.Choice!.Performance!.Value.LatencySeconds;
            return Math.Abs((Seconds(moreData) / Seconds(baseline)) - k) < 1e-9 * k
                && Math.Abs((Seconds(moreEpochs) / Seconds(baseline)) - epochs) < 1e-9 * epochs;
        });

    [Property(MaxTest = 300)]
    public Property ACandidateThatFitsWithFewerDevices_FitsWithMore() =>
        Prop.ForAll(
            (from id in Gen.Elements(ModelCatalog.BuiltIn.Models.Select(m => m.Id).ToArray())
             from device in Gen.Elements(DeviceCatalog.BuiltIn.Devices.ToArray())
             from zero in Gen.Choose(0, 3)
             from fewer in Gen.Choose(1, 16)
             from extra in Gen.Choose(0, 48)
             from maxHours in Gen.Elements<double?>(null, 1, 10, 100)
             select (id, device, zero, fewer, extra, maxHours)).ToArbitrary(),
            t =>
            {
                var (id, device, zero, fewer, extra, maxHours) = t;
                FineTuningRequest Make(int devices) => Request(id) with
                {
                    Device = device,
                    DeviceCount = devices,
                    MaxHours = maxHours,
                    Training = new TrainingWorkload { SequenceLength = 512, ZeroStage = zero },
                };

                var small = FineTuningPlanner.Plan(Make(fewer));
                var large = FineTuningPlanner.Plan(Make(fewer + extra));
                return (small.Choice is null || large.Choice is not null).Label($"{id} on {fewer} → {fewer + extra} × {device.Id}, ZeRO {zero}, max {maxHours} h");
            });
}
