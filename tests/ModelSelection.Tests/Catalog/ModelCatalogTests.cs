using ModelSelection.Catalog;
using ModelSelection.Models;
using ModelSelection.Quality;

namespace ModelSelection.Tests.Catalog;

public class ModelCatalogTests
{
    private static readonly string[] RequiredIds =
    [
        "bert-base-uncased", "bert-large-uncased", "roberta-base", "roberta-large", "distilbert-base-uncased",
        "google/mobilebert-uncased", "huawei-noah/TinyBERT_General_4L_312D", "huawei-noah/TinyBERT_General_6L_768D",
        "albert-base-v2", "transfo-xl/transfo-xl-wt103", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl",
        "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T", "Qwen/Qwen2-0.5B", "microsoft/phi-2",
        "microsoft/Phi-3-mini-4k-instruct", "google/gemma-2b", "meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-13b-hf",
        "meta-llama/Llama-2-70b-hf", "meta-llama/Meta-Llama-3-8B", "mistralai/Mistral-7B-v0.1",
        "mistralai/Mixtral-8x7B-v0.1", "tiiuae/falcon-7b", "t5-small", "t5-base",
    ];

    [Fact]
    public void BuiltIn_HasEveryModelTheIssueNames() =>
        Assert.All(RequiredIds, id => Assert.True(ModelCatalog.BuiltIn.TryGet(id, out _), id));

    [Fact]
    public void BuiltIn_EveryEntryHasSourcesAndSourcedPlausibleScores()
    {
        foreach (var model in ModelCatalog.BuiltIn.Models)
        {
            Assert.NotEmpty(model.Sources);
            Assert.True(model.Parameters.Count > 0, model.Id);
            foreach (var (benchmark, score) in model.QualityScores)
            {
                Assert.False(string.IsNullOrWhiteSpace(score.Source), $"{model.Id} {benchmark}");

                // Every score names a registered benchmark, of a task the model serves, on that benchmark's scale.
                Assert.True(BenchmarkRegistry.BuiltIn.TryGet(benchmark, out var registered), $"{model.Id}: '{benchmark}' is not registered");
                Assert.Equal(registered.Id, benchmark);
                Assert.True(model.Supports(registered.Task), $"{model.Id} scores {benchmark} but does not serve {registered.Task}");
                if (registered.Scale == BenchmarkScale.Perplexity)
                {
                    Assert.InRange(score.Value, 1, 1000);
                }
                else
                {
                    Assert.InRange(score.Value, 20, 100);
                }
            }
        }
    }

    [Fact]
    public void BuiltIn_SmallModelsScoreBelowTheirLargeCounterparts()
    {
        // The published numbers the catalog carries tell the trade-off the product is about.
        var c = ModelCatalog.BuiltIn;
        Assert.True(c.Get("distilbert-base-uncased").QualityScores["glue-test"].Value < c.Get("bert-large-uncased").QualityScores["glue-test"].Value);
        Assert.True(c.Get("meta-llama/Llama-2-7b-hf").QualityScores["mmlu-5shot"].Value < c.Get("meta-llama/Llama-2-70b-hf").QualityScores["mmlu-5shot"].Value);
        Assert.True(c.Get("distilbert-base-uncased").Parameters < c.Get("bert-large-uncased").Parameters);
    }

    [Fact]
    public void Get_IgnoresCaseAndNamesCloseIdsWhenUnknown()
    {
        Assert.Equal("meta-llama/Llama-2-7b-hf", ModelCatalog.BuiltIn.Get("META-LLAMA/llama-2-7b-hf").Id);
        var exception = Assert.Throws<ArgumentException>(() => ModelCatalog.BuiltIn.Get("Llama-2-7b"));
        Assert.StartsWith("Unknown model id 'Llama-2-7b'; did you mean meta-llama/Llama-2-7b-hf", exception.Message);
        Assert.False(ModelCatalog.BuiltIn.TryGet(null!, out _));
        Assert.Throws<ArgumentNullException>(() => ModelCatalog.BuiltIn.Get(null!));
    }

    [Fact]
    public void With_AddsAndOverrides()
    {
        var bert = ModelCatalog.BuiltIn.Get("bert-base-uncased");
        var mine = bert.WithId("my-org/bert-finetuned").WithQualityScores(new Dictionary<string, QualityScore> { ["glue-test"] = new(81.0, "our evaluation, 2026-11") });
        var rescored = bert.WithQualityScores(new Dictionary<string, QualityScore> { ["glue-test"] = new(80.0, "our re-run") });
        var catalog = ModelCatalog.BuiltIn.With([mine, rescored]);
        Assert.Equal(ModelCatalog.BuiltIn.Models.Length + 1, catalog.Models.Length);
        Assert.Equal(80.0, catalog.Get("bert-base-uncased").QualityScores["glue-test"].Value);
        Assert.Equal(bert.Parameters, catalog.Get("my-org/bert-finetuned").Parameters);
        Assert.Throws<ArgumentException>(() => new ModelCatalog([bert, bert.WithId("BERT-BASE-UNCASED")]));
    }

    [Theory]
    [InlineData("""{"comment":"no models"}""", "$.models", "required key is missing; expected an array of model entries")]
    [InlineData("""{"models":[{"config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1}}]}""", "$.models[0].id", "required key is missing; expected the model id")]
    [InlineData("""{"models":[{"id":"x"}]}""", "$.models[0].config", "required key is missing; expected the model's config.json object (or a GGUF file's path in gguf)")]
    [InlineData("""{"models":[{"id":"x","parameters":5,"config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1,"n_positions":4}}]}""", "$.models[0].parameters", "the entry declares 5 parameters but its config describes 1000")]
    [InlineData("""{"models":[{"id":"x","qualityScores":{"glue-test":{"value":80}},"config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1}}]}""", "$.models[0].qualityScores.glue-test.source", "expected where the score was published")]
    public void FromJson_BadEntries_ThrowModelImportExceptionAtThePath(string json, string location, string problem)
    {
        var exception = Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson(json, "my-catalog.json"));
        Assert.Equal(location, exception.Location);
        Assert.Equal(problem, exception.Problem);
    }

    [Fact]
    public void FromJson_WrongShape_IsAnImportError()
    {
        var exception = Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{"models":"nope"}""", "my-catalog.json"));
        Assert.Equal("$.models", exception.Location);
        Assert.StartsWith("expected a catalog document: ", exception.Problem);
        Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{"models":[{"id":"a","config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1}},{"id":"A","config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1}}]}""", "dup.json"));
    }

    [Fact]
    public void FromJson_GoodEntry_ImportsItsConfig()
    {
        // GPT-2 shape (h 8, 1 layer, 4 positions, V 10): wte 10·8, wpe 4·8, ln_1 16, c_attn 8·24 + 24, c_proj 8·8 + 8,
        // ln_2 16, c_fc 8·32 + 32, c_proj 32·8 + 8, ln_f 16 = 1000.
        long wte = 10 * 8, wpe = 4 * 8, block = 16 + (8 * 24) + 24 + 64 + 8 + 16 + (8 * 32) + 32 + (32 * 8) + 8, lnf = 16;
        var catalog = ModelCatalog.FromJson("""{"models":[{"id":"tiny","parameters":1000,"qualityScores":{"glue-test":{"value":50,"source":"made up for the test"}},"sources":["here"],"config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1,"n_positions":4}}]}""", "t.json");
        var tiny = Assert.Single(catalog.Models);
        Assert.Equal(wte + wpe + block + lnf, tiny.Parameters.Count);
        Assert.Equal(1000L, tiny.Parameters.Count);
        Assert.Equal(new[] { "here" }, tiny.Sources.ToArray());
    }
}
