using ModelSelection.Catalog;
using ModelSelection.Models;

namespace ModelSelection.Tests.Models;

public class ModelSpecTests
{
    private static readonly ModelArchitecture Shape = new()
    {
        Kind = ModelKind.Decoder, Layers = 2, HiddenSize = 64, AttentionHeads = 4, KeyValueHeads = 2, HeadDimension = 16,
        FeedForwardSize = 128, VocabularySize = 100,
    };

    private static TensorInventory Inventory() => new([new TensorGroup("w", TensorRole.TokenEmbedding, TensorKind.EmbeddingTable, TensorPart.Embeddings, 100, 64, 1, 1)]);

    [Fact]
    public void Constructor_InconsistentArchitecture_NamesModelAndField()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ModelSpec("m", "llama", Shape with { KeyValueHeads = 3 }, Inventory()));
        Assert.StartsWith("Model 'm': KeyValueHeads must divide AttentionHeads; was 3 and 4.", exception.Message);
        Assert.StartsWith("Model 'm': Layers must be at least 1; was 0.", Assert.Throws<ArgumentException>(() => new ModelSpec("m", "llama", Shape with { Layers = 0 }, Inventory())).Message);
        Assert.StartsWith("Model 'm': DecoderLayers must be at least 1 for an encoder-decoder and 0 otherwise; was 0 for EncoderDecoder.", Assert.Throws<ArgumentException>(() => new ModelSpec("m", "t5", Shape with { Kind = ModelKind.EncoderDecoder }, Inventory())).Message);
        Assert.Throws<ArgumentException>(() => new ModelSpec("m", "x", Shape with { RotaryFraction = 1.5 }, Inventory()));
        Assert.Throws<ArgumentException>(() => new ModelSpec("m", "x", Shape with { SlidingWindow = 0 }, Inventory()));
        Assert.Throws<ArgumentException>(() => new ModelSpec(" ", "x", Shape, Inventory()));
        Assert.Throws<ArgumentException>(() => new ModelSpec("m", "x", Shape, Inventory(), new Dictionary<string, QualityScore> { ["glue-test"] = new(double.NaN, "s") }));
    }

    [Fact]
    public void TensorGroup_RejectsImpossibleShapesAndBadTies()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorGroup("w", TensorRole.AttentionQuery, TensorKind.LinearWeight, TensorPart.Blocks, 0, 4, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorGroup("w", TensorRole.AttentionQuery, TensorKind.LinearWeight, TensorPart.Blocks, 1_000_000_000, 1_000_000_000, 1, 1));
        Assert.Throws<ArgumentException>(() => new TensorGroup("w", TensorRole.LanguageModelHead, TensorKind.LinearWeight, TensorPart.Head, 4, 4, 1, 1, tiedTo: "e"));
        var head = new TensorGroup("head", TensorRole.LanguageModelHead, TensorKind.LinearWeight, TensorPart.Head, 100, 64, 0, 1, tiedTo: "nowhere");
        Assert.StartsWith("Tensor group 'head' is tied to 'nowhere'", Assert.Throws<ArgumentException>(() => new TensorInventory([head])).Message);
        Assert.Throws<ArgumentException>(() => new TensorInventory([]));
        var w = new TensorGroup("w", TensorRole.AttentionQuery, TensorKind.LinearWeight, TensorPart.Blocks, 4, 4, 1, 1);
        Assert.Throws<ArgumentException>(() => new TensorInventory([w, w]));
    }

    [Fact]
    public void TensorGroup_FlopsAndActiveParameters()
    {
        // A linear 64 → 128 used by 2 layers costs 2 · 64 · 128 · 2 FLOPs per token; biases and tables cost none.
        var linear = new TensorGroup("w", TensorRole.FeedForwardUp, TensorKind.LinearWeight, TensorPart.Blocks, 128, 64, 2, 2);
        Assert.Equal(2.0 * 64 * 128 * 2, linear.FlopsPerToken);
        Assert.Equal(0, new TensorGroup("b", TensorRole.FeedForwardUp, TensorKind.LinearBias, TensorPart.Blocks, 128, 1, 2, 2).FlopsPerToken);
        // 8 experts stored, 2 used: a quarter active.
        var experts = new TensorGroup("e", TensorRole.ExpertUp, TensorKind.LinearWeight, TensorPart.Blocks, 128, 64, 8, 2);
        Assert.Equal(2L * 128 * 64, experts.ActiveParameters);
    }

    [Fact]
    public void Inventory_LinearFlopsPerToken_ForLlama2_7B_MatchesTwiceTheNonEmbeddingParameters()
    {
        // Every Llama weight is a linear layer except the embedding table and the RMSNorm scales, so linear FLOPs per
        // token = 2 × (P − V·h − norms) = 2 × (6,738,415,616 − 131,072,000 − 65·4096) (formulas.md: 2·(P − V·h)·s).
        var llama = ModelCatalog.BuiltIn.Get("meta-llama/Llama-2-7b-hf");
        Assert.Equal(2.0 * (6_738_415_616 - 131_072_000 - (65 * 4096)), llama.Inventory.LinearFlopsPerToken);
        Assert.Equal(131_072_000L, llama.Inventory.ParametersOf(TensorRole.LanguageModelHead).Count);
    }

    [Fact]
    public void Equality_AndToString()
    {
        var a = ModelCatalog.BuiltIn.Get("gpt2");
        var b = ModelSpecJsonRoundTrip(a);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a.WithId("other"));
        Assert.Equal("gpt2 (gpt2, 124M)", a.ToString());
    }

    private static ModelSpec ModelSpecJsonRoundTrip(ModelSpec spec) => ModelSpecJson.Deserialize(ModelSpecJson.Serialize(spec), "t");
}
