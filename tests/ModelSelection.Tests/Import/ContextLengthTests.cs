using ModelSelection.Catalog;
using ModelSelection.Import;
using ModelSelection.Models;

namespace ModelSelection.Tests.Import;

/// <summary>The context a config declares: positions, extended by rope scaling where the config says so.</summary>
public class ContextLengthTests
{
    private static ModelSpec Import(string json) => HuggingFaceConfig.Parse(json, "test config.json", null);

    [Fact]
    public void Llama31_Llama3RopeScaling_KeepsItsDeclared128kPositions()
    {
        // meta-llama/Llama-3.1-8B config.json: 131072 positions, rope_scaling llama3 factor 8 over 8192 original
        // (Meta's model card: "context length 128k").
        var spec = Import("""
            {"model_type":"llama","hidden_size":4096,"intermediate_size":14336,"max_position_embeddings":131072,"num_attention_heads":32,
             "num_hidden_layers":32,"num_key_value_heads":8,"vocab_size":128256,"tie_word_embeddings":false,
             "rope_scaling":{"factor":8.0,"high_freq_factor":4.0,"low_freq_factor":1.0,"original_max_position_embeddings":8192,"rope_type":"llama3"}}
            """);
        Assert.Equal(131_072, spec.ContextLength);
    }

    [Fact]
    public void Qwen25_WithTheYarnBlockItsCardRecommends_Serves128k()
    {
        // Qwen/Qwen2.5-7B-Instruct model card: add {"factor": 4.0, "original_max_position_embeddings": 32768, "type": "yarn"}
        // to serve up to 131,072 tokens; without it the config's 32768 positions hold.
        const string Base = """
            "model_type":"qwen2","hidden_size":3584,"intermediate_size":18944,"max_position_embeddings":32768,"num_attention_heads":28,
            "num_hidden_layers":28,"num_key_value_heads":4,"vocab_size":152064,"tie_word_embeddings":false
            """;
        Assert.Equal(32_768, Import("{" + Base + "}").ContextLength);
        const string Yarn = """
            ,"rope_scaling":{"factor":4.0,"original_max_position_embeddings":32768,"type":"yarn"}
            """;
        Assert.Equal(131_072, Import("{" + Base + Yarn + "}").ContextLength);
    }

    [Fact]
    public void RopeScaling_WithAnImpossibleFactor_NamesTheKey()
    {
        var error = Assert.Throws<ModelImportException>(() => Import("""
            {"model_type":"llama","hidden_size":64,"intermediate_size":128,"max_position_embeddings":2048,"num_attention_heads":4,"num_hidden_layers":1,"vocab_size":100,
             "rope_scaling":{"factor":-2,"original_max_position_embeddings":2048,"type":"yarn"}}
            """));
        Assert.Contains("$.rope_scaling.factor", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bert-base-uncased", 512)]             // max_position_embeddings 512
    [InlineData("roberta-base", 512)]                  // 514 rows, 2 reserved for the padding offset
    [InlineData("gpt2", 1024)]                         // n_positions 1024
    [InlineData("t5-small", 512)]                      // n_positions 512 (relative bias, trained at 512)
    [InlineData("transfo-xl/transfo-xl-wt103", 0)]     // relative encodings and recurrence: unbounded
    [InlineData("microsoft/Phi-3-mini-4k-instruct", 4096)]
    [InlineData("mistralai/Mistral-7B-v0.1", 8192)]    // catalog override: Mistral 7B paper, Table 1
    [InlineData("Qwen/Qwen2-0.5B", 32768)]             // catalog override: Qwen2 report, Table 1
    public void Catalog_ContextLengths_AreTheTrainedContexts(string id, int expected) =>
        Assert.Equal(expected, ModelCatalog.BuiltIn.Get(id).ContextLength);

    [Fact]
    public void Catalog_ContextOverride_NeedsASourceAndTasksMustBeKnown()
    {
        const string Config = """
             "config":{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1,"n_positions":64}
            """;
        var unsourced = Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{"models":[{"id":"x","sources":["s"],"contextLength":32,""" + Config + "}]}", "t.json"));
        Assert.Contains("$.models[0].contextLengthSource", unsourced.Message, StringComparison.Ordinal);
        var badTask = Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{"models":[{"id":"x","sources":["s"],"tasks":["chat"],""" + Config + "}]}", "t.json"));
        Assert.Contains("$.models[0].tasks[0]", badTask.Message, StringComparison.Ordinal);
        var unknownScore = Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{"models":[{"id":"x","sources":["s"],"qualityScores":{"mmlu":{"value":50,"source":"s"}},""" + Config + "}]}", "t.json"));
        Assert.Contains("did you mean mmlu-5shot", unknownScore.Message, StringComparison.Ordinal);

        var spec = ModelCatalog.FromJson("""{"models":[{"id":"x","sources":["s"],"tasks":["embedding"],"contextLength":32,"contextLengthSource":"our run",""" + Config + "}]}", "t.json").Get("x");
        Assert.Equal(32, spec.ContextLength);
        Assert.Equal([ModelTask.Embedding], spec.Tasks.AsEnumerable());
        Assert.True(spec.Supports(ModelTask.Embedding));
        Assert.False(spec.Supports(ModelTask.TextGeneration));
    }

    [Fact]
    public void ModelSpecJson_RoundTripsTasksAndContext()
    {
        var spec = ModelCatalog.BuiltIn.Get("mistralai/Mistral-7B-v0.1").WithTasks([ModelTask.TextGeneration]).WithContextLength(16_384);
        var back = ModelSpecJson.Deserialize(ModelSpecJson.Serialize(spec), "spec.json");
        Assert.Equal(spec, back);
        Assert.Equal(16_384, back.ContextLength);
    }
}
