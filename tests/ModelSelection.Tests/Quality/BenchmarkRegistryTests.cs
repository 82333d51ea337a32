using ModelSelection.Catalog;
using ModelSelection.Quality;

namespace ModelSelection.Tests.Quality;

public class BenchmarkRegistryTests
{
    private static readonly BenchmarkRegistry Registry = BenchmarkRegistry.BuiltIn;

    [Fact]
    public void BuiltIn_EveryTaskHasAFixedDefaultThatMeasuresIt()
    {
        foreach (var task in Enum.GetValues<ModelTask>())
        {
            var benchmark = Registry.DefaultFor(task);
            Assert.NotNull(benchmark);
            Assert.Equal(task, benchmark.Task);
        }

        // The defaults the docs promise (docs/selection.md).
        Assert.Equal("glue-test", Registry.DefaultFor(ModelTask.Classification)!.Id);
        Assert.Equal("squad-v1.1-f1", Registry.DefaultFor(ModelTask.ExtractiveQuestionAnswering)!.Id);
        Assert.Equal("mmlu-5shot", Registry.DefaultFor(ModelTask.TextGeneration)!.Id);
        Assert.Equal("wikitext103-test-ppl", Registry.DefaultFor(ModelTask.LanguageModeling)!.Id);
    }

    [Fact]
    public void BuiltIn_EveryBenchmarkIsFullyDescribed()
    {
        foreach (var b in Registry.Benchmarks)
        {
            Assert.All(new[] { b.Name, b.Suite, b.Split, b.TaskSet, b.Metric, b.Source }, text => Assert.False(string.IsNullOrWhiteSpace(text), b.Id));
            Assert.Contains(b.Split, new[] { "dev", "test", "validation" });
            Assert.Equal(b.Scale == BenchmarkScale.Perplexity, !b.HigherIsBetter);
        }
    }

    [Fact]
    public void BuiltIn_ScoresOfTheSeedModelsUnderEachGlueConventionAreTheirPapers()
    {
        // Independent arithmetic on the papers' per-task tables (docs/catalog-sources.md):
        // BERT Table 1 BERT-BASE: (84.6 + 83.4 + 71.2 + 90.5 + 93.5 + 52.1 + 85.8 + 88.9 + 66.4) / 9 = 79.6.
        Assert.Equal(79.6, Math.Round((84.6 + 83.4 + 71.2 + 90.5 + 93.5 + 52.1 + 85.8 + 88.9 + 66.4) / 9, 1));
        var models = ModelCatalog.BuiltIn;
        Assert.Equal(79.6, models.Get("bert-base-uncased").QualityScores["glue-test"].Value);
        // RoBERTa Table 5, BERT-LARGE dev row: (86.6 + 92.3 + 91.3 + 70.4 + 93.2 + 88.0 + 60.6 + 90.0) / 8 = 84.05.
        Assert.Equal((86.6 + 92.3 + 91.3 + 70.4 + 93.2 + 88.0 + 60.6 + 90.0) / 8, models.Get("bert-large-uncased").QualityScores["glue-dev-no-wnli"].Value, 9);
        // MobileBERT Table 4 per-task test numbers, averaged as BERT Table 1 averages.
        Assert.Equal(Math.Round((50.5 + 92.8 + 88.8 + 84.4 + 70.2 + 83.3 + 82.6 + 90.6 + 66.2) / 9, 2), models.Get("google/mobilebert-uncased").QualityScores["glue-test"].Value);
        // DistilBERT Table 1 (dev, 9 tasks with WNLI) and TinyBERT Table 1's DistilBERT6 row (test, 9 numbers without WNLI).
        Assert.Equal(77.0, models.Get("distilbert-base-uncased").QualityScores["glue-dev-wnli"].Value);
        Assert.Equal(Math.Round((82.6 + 81.3 + 70.1 + 88.9 + 92.5 + 49.0 + 81.3 + 86.9 + 58.4) / 9, 1), models.Get("distilbert-base-uncased").QualityScores["glue-test"].Value);
        // TinyBERT's numbers are for its task-distilled models, marked as such.
        Assert.False(models.Get("huawei-noah/TinyBERT_General_4L_312D").QualityScores["glue-test"].IsOwnCheckpoint);
        // Transformer-XL finally has a score: WikiText-103 18.3 (Dai et al. 2019, Table 1), lower is better.
        Assert.Equal(18.3, models.Get("transfo-xl/transfo-xl-wt103").QualityScores["wikitext103-test-ppl"].Value);
    }

    [Fact]
    public void Get_UnknownId_SuggestsTheClosestAndListsTheKnown()
    {
        var error = Assert.Throws<ArgumentException>(() => Registry.Get("squad-f1"));
        Assert.StartsWith("Unknown benchmark 'squad-f1'; did you mean squad-v1.1-f1?", error.Message, StringComparison.Ordinal);
        Assert.Contains("mmlu-5shot", Assert.Throws<ArgumentException>(() => Registry.Get("nope")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_RetiredGlue_NamesItsReplacements()
    {
        var error = Assert.Throws<ArgumentException>(() => Registry.Get("GLUE"));
        Assert.StartsWith("Benchmark 'GLUE' is retired: it mixed dev and test sets", error.Message, StringComparison.Ordinal);
        foreach (var replacement in new[] { "glue-test", "glue-test-official", "glue-dev-wnli", "glue-dev-no-wnli" })
        {
            Assert.Contains(replacement, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Get_IgnoresCase() => Assert.Equal("mmlu-5shot", Registry.Get("MMLU-5SHOT").Id);

    [Fact]
    public void CompareBestFirst_FollowsTheDirection()
    {
        var perplexity = Registry.Get("wikitext103-test-ppl");
        Assert.True(perplexity.CompareBestFirst(17.48, 18.3) < 0);
        Assert.True(perplexity.Meets(17.48, 20));
        Assert.False(perplexity.Meets(22.05, 20));
        var accuracy = Registry.Get("mmlu-5shot");
        Assert.True(accuracy.CompareBestFirst(70.6, 68.9) < 0);
        Assert.False(accuracy.Meets(45.3, 50));
    }

    [Fact]
    public void With_AddsYourOwnEvaluationAndKeepsTheDefaults()
    {
        var mine = new Benchmark
        {
            Id = "acme-intent-f1", Name = "ACME intents", Task = ModelTask.Classification, Suite = "ACME", Split = "test",
            TaskSet = "our 40 intents", Metric = "macro F1", HigherIsBetter = true, Scale = BenchmarkScale.Points, Source = "our evaluation, 2026-11",
        };
        var registry = Registry.With([mine]);
        Assert.Same(mine, registry.Get("acme-intent-f1"));
        Assert.Equal("glue-test", registry.DefaultFor(ModelTask.Classification)!.Id);
        Assert.Throws<ArgumentException>(() => Registry.With([mine with { Id = "glue" }]));
    }

    [Fact]
    public void Constructor_RefusesDuplicatesAndDefaultsOfAnotherTask()
    {
        var b = Registry.Get("mmlu-5shot");
        Assert.Throws<ArgumentException>(() => new BenchmarkRegistry([b, b with { Id = "MMLU-5shot" }], new Dictionary<ModelTask, string>()));
        var wrong = Assert.Throws<ArgumentException>(() => new BenchmarkRegistry([b], new Dictionary<ModelTask, string> { [ModelTask.Classification] = "mmlu-5shot" }));
        Assert.StartsWith("The default benchmark of classification must measure that task; 'mmlu-5shot' measures text-generation.", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BenchmarkRegistry([b], new Dictionary<ModelTask, string> { [ModelTask.TextGeneration] = "nope" }));
    }
}
