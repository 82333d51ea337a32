using ModelSelection.Quality;

namespace ModelSelection.Tests.Quality;

public class FormatQualityDeltasTests
{
    private static readonly FormatQualityDeltas Deltas = FormatQualityDeltas.BuiltIn;

    [Fact]
    public void EveryQuantisedFormatCostsSomethingAndFloatsAtSixteenBitsAndAboveCostNothing()
    {
        foreach (var format in NumericPrecision.All)
        {
            var delta = Deltas.For(format);
            if (format.Kind == NumericPrecisionKind.FloatingPoint && format.BitsPerWeight >= 16)
            {
                Assert.True(delta.IsLossless, format.Name);
            }
            else
            {
                Assert.True(delta.Retention < 1 && delta.PerplexityRatio > 1, $"{format.Name} must not be free: {delta}");
                Assert.False(string.IsNullOrWhiteSpace(delta.Source));
            }
        }
    }

    [Fact]
    public void FewerBitsOfTheSameFamilyNeverRetainMore()
    {
        // llama.cpp's table is monotone in bits: Q8_0 > Q6_K > Q5_K_M > Q4_K_M > Q4_0.
        var order = new[] { "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0" }.Select(n => Deltas.For(NumericPrecision.Parse(n, null))).ToList();
        for (var i = 1; i < order.Count; i++)
        {
            Assert.True(order[i].Retention < order[i - 1].Retention && order[i].PerplexityRatio > order[i - 1].PerplexityRatio, order[i].Format);
        }
    }

    [Fact]
    public void PerplexityRatiosAreLlamaCppsDeltasOverItsF16Baseline()
    {
        // Independent derivation: llama.cpp QUANT_OPTIONS "+0.1754 ppl @ Llama-3-8B" for Q4_K_M, "+0.4685" for Q4_0,
        // over the F16 perplexity 6.233160 of its Llama 3 8B scoreboard.
        Assert.Equal(1 + (0.1754 / 6.233160), Deltas.For(NumericPrecision.GgufQ4KM).PerplexityRatio, 6);
        Assert.Equal(1 + (0.4685 / 6.233160), Deltas.For(NumericPrecision.Parse("q4_0", null)).PerplexityRatio, 6);
        // AWQ Table 4, Llama-2-7B WikiText-2: GPTQ INT4-g128 5.69 over FP16 5.47.
        Assert.Equal(5.69 / 5.47, Deltas.For(NumericPrecision.Parse("gptq", null)).PerplexityRatio, 6);
    }

    [Fact]
    public void RetentionsAreTheModelCardsRecoveries()
    {
        Assert.Equal(0.979, Deltas.For(NumericPrecision.Parse("gptq", null)).Retention);        // W4A16 MMLU recovery 97.9 %
        Assert.Equal(0.993, Deltas.For(NumericPrecision.Int8).Retention);                       // W8A8 MMLU recovery 99.3 %
        Assert.Equal(66.27 / 66.60, Deltas.For(NumericPrecision.Parse("fp8", null)).Retention, 5); // FP8 MMLU 66.27 of 66.60
    }

    [Fact]
    public void DerivedRetentionsFollowTheStatedSlope()
    {
        // retention = 1 − k · ln(ratio), k fitted to GPTQ: (1 − 0.979) / ln(5.69 / 5.47).
        var k = (1 - 0.979) / Math.Log(5.69 / 5.47);
        var q4km = Deltas.For(NumericPrecision.GgufQ4KM);
        Assert.Equal(1 - (k * Math.Log(q4km.PerplexityRatio)), q4km.Retention, 4);
    }

    [Fact]
    public void Apply_MovesTheScoreTheWorseWay()
    {
        var q4 = Deltas.For(NumericPrecision.GgufQ4KM);
        Assert.True(q4.Apply(66.6, BenchmarkRegistry.BuiltIn.Get("mmlu-5shot")) < 66.6);
        Assert.True(q4.Apply(18.3, BenchmarkRegistry.BuiltIn.Get("wikitext103-test-ppl")) > 18.3);
        var errorRate = BenchmarkRegistry.BuiltIn.Get("mmlu-5shot") with { Id = "error", HigherIsBetter = false };
        Assert.True(q4.Apply(10, errorRate) > 10);
    }

    [Fact]
    public void FormatsWithoutAnEntryTakeTheirClosestNeighbourAndSaySo()
    {
        var e5m2 = Deltas.For(NumericPrecision.Parse("fp8-e5m2", null));
        Assert.Equal(Deltas.For(NumericPrecision.Parse("fp8-e4m3", null)).Retention, e5m2.Retention);
        Assert.Contains("closest listed format", e5m2.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RefusesFreeOrImpossibleDeltas()
    {
        Assert.Throws<ArgumentException>(() => new FormatQualityDeltas([new FormatQualityDelta("q4_k_m", 1.2, 1, "x")]));
        Assert.Throws<ArgumentException>(() => new FormatQualityDeltas([new FormatQualityDelta("q4_k_m", 0.9, 0.5, "x")]));
        Assert.Throws<ArgumentException>(() => new FormatQualityDeltas([new FormatQualityDelta("fp64", 0.9, 1.1, "x")]));
        Assert.Throws<ArgumentException>(() => new FormatQualityDeltas([new FormatQualityDelta("q4_k_m", 0.9, 1.1, "x"), new FormatQualityDelta("Q4_K_M", 0.9, 1.1, "y")]));
    }

    [Fact]
    public void CallerOverrides_ApplyByModelAndFormatFirst_ThenByFormat_AndBadKeysAreErrors()
    {
        var selector = new ModelSelector(ModelSelection.Catalog.ModelCatalog.BuiltIn, ModelSelection.Catalog.DeviceCatalog.BuiltIn);
        var request = new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-13b-hf"],
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Precisions = [NumericPrecision.GgufQ4KM],
            Workload = new ModelSelection.Estimation.InferenceWorkload { GeneratedTokens = 16 },
            QualityDeltas = new Dictionary<string, double> { ["Q4_K_M"] = -2, ["META-LLAMA/Llama-2-7b-hf@ggufq4km"] = -0.5 },
        };
        var ranked = selector.Select(request).Ranked.ToDictionary(c => c.Model.Id, c => c.Quality);
        Assert.Equal(45.3 - 0.5, ranked["meta-llama/Llama-2-7b-hf"]!.Value, 9);   // model@format wins, any spelling of the format
        Assert.Equal(54.8 - 2, ranked["meta-llama/Llama-2-13b-hf"]!.Value, 9);    // the format's key for the others
        Assert.Throws<ArgumentException>(() => selector.Select(request with { QualityDeltas = new Dictionary<string, double> { ["x@fp64"] = -1 } }));
        Assert.Throws<ArgumentException>(() => selector.Select(request with { QualityDeltas = new Dictionary<string, double> { ["q4_k_m"] = double.NaN } }));
    }
}
