using ModelSelection.Catalog;
using ModelSelection.Models;

namespace ModelSelection.Tests.Import;

/// <summary>
/// The models people deploy in 2026, imported from their published configs: exact parameter counts against the
/// integers published for them (sources in docs/catalog-sources.md), never against this library's own output.
/// </summary>
public class CurrentFamiliesTests
{
    [Theory]
    // Hub safetensors totals, keras-hub preset metadata, GGUF general.parameter_count, mteb ModelMeta (see catalog-sources.md).
    [InlineData("meta-llama/Llama-3.2-1B", 1_235_814_400L)]
    [InlineData("meta-llama/Llama-3.2-3B", 3_212_749_824L)]
    [InlineData("meta-llama/Llama-3.1-8B", 8_030_261_248L)]
    [InlineData("meta-llama/Llama-3.1-70B", 70_553_706_496L)]
    [InlineData("Qwen/Qwen2.5-0.5B", 494_032_768L)]
    [InlineData("Qwen/Qwen2.5-1.5B", 1_543_714_304L)]
    [InlineData("Qwen/Qwen2.5-3B", 3_085_938_688L)]
    [InlineData("Qwen/Qwen2.5-7B", 7_615_616_512L)]
    [InlineData("Qwen/Qwen2.5-14B", 14_770_033_664L)]
    [InlineData("Qwen/Qwen2.5-32B", 32_763_876_352L)]
    [InlineData("Qwen/Qwen2.5-72B", 72_706_203_648L)]
    [InlineData("Qwen/Qwen3-0.6B-Base", 596_049_920L)]
    [InlineData("Qwen/Qwen3-1.7B-Base", 1_720_574_976L)]
    [InlineData("Qwen/Qwen3-4B-Base", 4_022_468_096L)]
    [InlineData("Qwen/Qwen3-8B-Base", 8_190_735_360L)]
    [InlineData("Qwen/Qwen3-30B-A3B-Base", 30_532_122_624L)]
    [InlineData("google/gemma-2-2b", 2_614_341_888L)]
    [InlineData("google/gemma-2-9b", 9_241_705_984L)]
    [InlineData("microsoft/Phi-3.5-mini-instruct", 3_821_079_552L)]
    [InlineData("microsoft/Phi-4-mini-instruct", 3_836_021_760L)]
    [InlineData("HuggingFaceTB/SmolLM2-135M", 134_515_008L)]
    [InlineData("HuggingFaceTB/SmolLM2-360M", 361_821_120L)]
    [InlineData("HuggingFaceTB/SmolLM2-1.7B", 1_711_376_384L)]
    [InlineData("mistralai/Mixtral-8x22B-v0.1", 140_620_634_112L)]
    [InlineData("answerdotai/ModernBERT-base", 149_014_272L)]
    [InlineData("answerdotai/ModernBERT-large", 394_781_696L)]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2", 22_713_216L)]
    [InlineData("google/flan-t5-small", 76_961_152L)]
    [InlineData("google/flan-t5-base", 247_577_856L)]
    [InlineData("google/flan-t5-large", 783_150_080L)]
    public void Catalog_ExactCounts_EqualThePublishedIntegers(string id, long published) =>
        Assert.Equal(published, ModelCatalog.BuiltIn.Get(id).Parameters.Count);

    [Fact]
    public void BgeAndE5_AreBertShapes_CountedByTheBertFormula()
    {
        // BertModel with pooler: V·h + 512·h + 2·h + 2h (embedding LN) + L·(4h² + 4h + 2·h·ff + ff + h + 4h) + h² + h.
        static long Bert(long h, long ff, long layers) => (30522 * h) + (512 * h) + (2 * h) + (2 * h) + (layers * ((4 * h * h) + (4 * h) + (2 * h * ff) + ff + h + (4 * h))) + (h * h) + h;
        Assert.Equal(Bert(384, 1536, 12), ModelCatalog.BuiltIn.Get("BAAI/bge-small-en-v1.5").Parameters.Count);
        Assert.Equal(Bert(384, 1536, 12), ModelCatalog.BuiltIn.Get("intfloat/e5-small-v2").Parameters.Count);
        Assert.Equal(Bert(768, 3072, 12), ModelCatalog.BuiltIn.Get("BAAI/bge-base-en-v1.5").Parameters.Count);
        Assert.Equal(ModelCatalog.BuiltIn.Get("bert-base-uncased").Parameters, ModelCatalog.BuiltIn.Get("intfloat/e5-base-v2").Parameters);
        Assert.Equal(Bert(384, 1536, 6), ModelCatalog.BuiltIn.Get("sentence-transformers/all-MiniLM-L6-v2").Parameters.Count);
    }

    [Fact]
    public void Qwen3Moe_ActiveParameters_AreTheEightRoutedExperts()
    {
        // 3,353,032,704 active per token (a public count_params test of Qwen3-30B-A3B; the Qwen3 blog's "3B activated").
        var spec = ModelCatalog.BuiltIn.Get("Qwen/Qwen3-30B-A3B-Base");
        Assert.Equal(3_353_032_704L, spec.ActiveParameters.Count);
        Assert.Equal(128, spec.Architecture.Experts);
        Assert.Equal(8, spec.Architecture.ExpertsPerToken);
        Assert.Equal(768, spec.Architecture.FeedForwardSize);
    }

    [Fact]
    public void ModernBert_Layer0HasNoAttentionNorm_AndTheGluHalvesItsWidth()
    {
        // modeling_modernbert.py: attn_norm is nn.Identity() in layer 0; Wi maps hidden → 2·intermediate.
        var spec = ModelCatalog.BuiltIn.Get("answerdotai/ModernBERT-base");
        var attnNorm = spec.Inventory.Groups.Single(g => g.Name == "layers.*.attn_norm.weight");
        Assert.Equal(21, attnNorm.Instances);
        var wi = spec.Inventory.Groups.Single(g => g.Name == "layers.*.mlp.Wi.weight");
        Assert.Equal(768L * 2 * 1152, wi.ElementsPerInstance);
        Assert.Equal(ModelKind.Encoder, spec.Architecture.Kind);
        Assert.Equal(8192, spec.ContextLength);
    }

    [Fact]
    public void Gemma2_HasFourNormsPerLayer_AndQwen3_NormalisesQueriesAndKeys()
    {
        var gemma = ModelCatalog.BuiltIn.Get("google/gemma-2-2b");
        Assert.Equal(4, gemma.Inventory.Groups.Count(g => g.Name.StartsWith("model.layers.*.", StringComparison.Ordinal) && g.Name.EndsWith("layernorm.weight", StringComparison.Ordinal)));
        Assert.True(gemma.Architecture.TiedEmbeddings);
        var qwen = ModelCatalog.BuiltIn.Get("Qwen/Qwen3-0.6B-Base");
        Assert.Contains(qwen.Inventory.Groups, g => g.Name == "model.layers.*.self_attn.q_norm.weight" && g.ElementsPerInstance == 128);
        Assert.Equal(128, qwen.Architecture.HeadDimension); // head_dim × heads = 2048 ≠ hidden 1024
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.2-1B", 131_072)]   // llama3 rope: the config already declares 128K
    [InlineData("Qwen/Qwen2.5-1.5B", 32_768)]          // card: 32,768 (config's table 131,072)
    [InlineData("Qwen/Qwen3-4B-Base", 32_768)]         // Qwen3 report Table 1: 32K
    [InlineData("google/gemma-2-9b", 8_192)]
    [InlineData("mistralai/Mixtral-8x22B-v0.1", 65_536)] // Mistral: 64K context window
    public void Catalog_TrainedContexts(string id, int context) => Assert.Equal(context, ModelCatalog.BuiltIn.Get(id).ContextLength);

    [Fact]
    public void FlanT5_GeneratesText_AsInstructionTuned()
    {
        var flan = ModelCatalog.BuiltIn.Get("google/flan-t5-base");
        Assert.True(flan.Supports(ModelTask.TextGeneration));
        Assert.True(flan.Supports(ModelTask.SequenceToSequence));
        Assert.False(ModelCatalog.BuiltIn.Get("t5-base").Supports(ModelTask.TextGeneration));
    }
}
