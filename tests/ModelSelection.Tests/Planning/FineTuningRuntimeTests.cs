using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Planning;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Planning;

/// <summary>Fine-tuning time from the runtime's step model, against NVIDIA's published SQuAD fine-tuning throughput.</summary>
public class FineTuningRuntimeTests
{
    private static FineTuningRequest Squad(RuntimeProfile? runtime) => new()
    {
        CandidateIds = ["bert-large-uncased"],
        // SQuAD v1.1's training set has 87,599 questions (Rajpurkar et al. 2016, Table 2), fine-tuned at 384 tokens for
        // 2 epochs (DeepLearningExamples run_squad.sh defaults).
        Dataset = DatasetSize.FromTokens(87_599L * 384),
        Epochs = 2,
        Device = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm"),
        DeviceCount = 8,
        Training = new TrainingWorkload { Batch = 32, SequenceLength = 384, ComputePrecision = NumericPrecision.Fp16 },
        Runtime = runtime,
    };

    [Fact]
    public void The_run_takes_as_long_as_NVIDIAs_measured_throughput_says_within_35_percent()
    {
        // DeepLearningExamples BERT README: 846.7 sequences/s fine-tuning on SQuAD with 8 A100-80GB in mixed precision,
        // so 2 × 87,599 sequences take 206.9 s.
        var measured = 2 * 87_599 / 846.7;
        var plan = FineTuningPlanner.Plan(Squad(RuntimeCatalog.BuiltIn.Get("pytorch")));
        var seconds = plan.Choice!.Performance!.Value.LatencySeconds;
        Assert.InRange(seconds / measured, 0.65, 1.35);
    }

    [Fact]
    public void The_runtime_path_agrees_with_the_step_estimate_and_differs_from_the_flat_utilisation()
    {
        var pytorch = RuntimeCatalog.BuiltIn.Get("pytorch");
        var request = Squad(pytorch);
        var step = ModelEstimator.EstimateTrainingStep(ModelCatalog.BuiltIn.Get("bert-large-uncased"), request.Training with { DataParallel = 8 }, request.Device, pytorch);
        var expected = 87_599.0 * 384 * 2 / (step.TokensPerSecondPerDevice * 8);
        TestHelper.AssertRelativelyClose(expected, FineTuningPlanner.Plan(request).Choice!.Performance!.Value.LatencySeconds, 1e-9);
        Assert.NotEqual(expected, FineTuningPlanner.Plan(Squad(null)).Choice!.Performance!.Value.LatencySeconds);
    }

    [Fact]
    public void A_runtime_that_does_not_run_on_the_device_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => FineTuningPlanner.Plan(Squad(RuntimeCatalog.BuiltIn.Get("coreml"))));
        Assert.Contains("Runtime 'coreml' does not run on nvidia-a100-80gb-sxm", error.Message, StringComparison.Ordinal);
    }
}
