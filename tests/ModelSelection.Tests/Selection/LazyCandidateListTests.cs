using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Selection;

namespace ModelSelection.Tests.Selection;

/// <summary>The ranked list builds each candidate the first time it is read, once, from the same evaluation.</summary>
public class LazyCandidateListTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);

    /// <summary>n Llama-shaped models, every one of them different, that all fit an A100 at fp16 and int8.</summary>
    internal static List<ModelSpec> DistinctLlamas(int n) => [.. Enumerable.Range(0, n).Select(i => HuggingFaceConfig.Parse(
        $$"""{"model_type":"llama","vocab_size":32000,"hidden_size":{{512 + (64 * (i % 16))}},"num_hidden_layers":{{4 + (i % 24)}},"num_attention_heads":8,"num_key_value_heads":8,"intermediate_size":{{2048 + (16 * i)}}}""",
        "test", $"model-{i:D4}"))];

    internal static SelectionRequest Request(List<ModelSpec> models) => new()
    {
        Models = models,
        DeviceIds = ["nvidia-a100-80gb-sxm"],
        Precisions = [NumericPrecision.Fp16, NumericPrecision.Int8],
        Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
        Objective = SelectionObjective.Latency,
    };

    [Fact]
    public void Indexer_ReturnsTheSameInstanceEveryTime_AndTheChoiceIsTheFirst()
    {
        var result = Selector.Select(Request(DistinctLlamas(40)));

        Assert.Equal(80, result.Ranked.Count);
        Assert.Same(result.Choice, result.Ranked[0]);
        for (var i = 0; i < result.Ranked.Count; i++)
        {
            Assert.Same(result.Ranked[i], result.Ranked[i]);
        }

        Assert.Equal(result.Ranked, result.Ranked.ToList());
    }

    [Fact]
    public void Indexer_OutOfRange_ThrowsWithTheRange()
    {
        var result = Selector.Select(Request(DistinctLlamas(3)));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => result.Ranked[6]);
        Assert.Contains("between 0 and 5; was 6", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Ranked[-1]);
    }

    [Fact]
    public void Candidates_BuiltOnRead_CarryTheEstimatorsFigures()
    {
        // Built later, each candidate still carries exactly what the estimator says for its model, format, device and
        // runtime: the ranked list evaluates it again rather than remembering a copy.
        var request = Request(DistinctLlamas(25));
        var device = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm");
        foreach (var candidate in Selector.Select(request).Ranked)
        {
            var workload = request.Workload with { WeightPrecision = candidate.Precision };
            var expected = ModelEstimator.EstimatePerformance(candidate.Model, workload, device, candidate.Runtime!);
            Assert.Equal(expected, candidate.Performance);
            Assert.Equal(ModelEstimator.EstimateMemory(candidate.Model, workload, device, candidate.Runtime), candidate.Memory);
        }
    }

    [Fact]
    public void Ranked_ReadFromManyThreadsAtOnce_GivesEveryThreadTheSameInstances()
    {
        var result = Selector.Select(Request(DistinctLlamas(200)));
        var seen = new SelectionCandidate[8][];
        Parallel.For(0, seen.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            // Each thread walks the list from a different place, so first reads race.
            var mine = new SelectionCandidate[result.Ranked.Count];
            for (var k = 0; k < mine.Length; k++)
            {
                var i = (k + (t * 47)) % mine.Length;
                mine[i] = result.Ranked[i];
            }

            seen[t] = mine;
        });

        for (var i = 0; i < result.Ranked.Count; i++)
        {
            Assert.All(seen, s => Assert.Same(seen[0][i], s[i]));
        }
    }

    [Fact]
    public void List_ConstructedWithANegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LazyCandidateList(-1, _ => throw new InvalidOperationException()));
}
