using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Onnx;
using ModelSelection.OnnxRuntime;

namespace ModelSelection.Tests.OnnxRuntime;

/// <summary><see cref="GeneratedEncoder"/>: the core importer recovers each generated shape exactly, with BERT's parameter count and the graph FLOPs derived by hand.</summary>
public sealed class GeneratedEncoderTests
{
    private static readonly EncoderShape[] Shapes =
    [
        new EncoderShape(2, 64, 4, 256),
        new EncoderShape(3, 96, 6, 384) { VocabularySize = 5000, MaxPositions = 128, TypeVocabularySize = 3 },
        new EncoderShape(1, 128, 2, 200) { VocabularySize = 1000, MaxPositions = 97, TypeVocabularySize = 1 },
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Create_ImportsWithBertsParameterCountAndTheShapesArchitecture(int index)
    {
        var shape = Shapes[index];
        var model = Read(shape);

        // BERT's count, derived independently of the generator: embeddings V·h + P·h + T·h and their LayerNorm 2h; per
        // layer Q, K, V, O 4(h² + h), feed-forward h·ff + ff + ff·h + h, two LayerNorms 4h; the pooler h² + h.
        long h = shape.HiddenSize, ff = shape.FeedForwardSize;
        var embeddings = (shape.VocabularySize * h) + (shape.MaxPositions * h) + (shape.TypeVocabularySize * h) + (2 * h);
        var layer = (4 * ((h * h) + h)) + (h * ff) + ff + (ff * h) + h + (4 * h);
        var pooler = (h * h) + h;
        var expected = embeddings + (shape.Layers * layer) + pooler;
        Assert.Equal(expected, model.ParameterElements);
        Assert.Equal(4 * expected, model.WeightBytes);
        Assert.Equal(OnnxDataType.Float, Assert.Single(model.BytesByType).Key);

        // Not parameters: the position ids [1, P] and nine shape constants (three axes, a start, a step, two scalar
        // indices, the split-heads shape [4] and the merge-heads shape [3]).
        Assert.Equal(shape.MaxPositions + 3 + 1 + 1 + 2 + 4 + 3, model.BufferElements);
        Assert.Equal(13, model.Opset);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Inputs.Select(i => i.Name));
        Assert.Equal(["batch", "sequence"], model.Inputs[0].Dimensions!.Value.Select(d => d.Symbol));
        Assert.Equal(["last_hidden_state", "pooler_output"], model.Outputs.Select(o => o.Name));

        var a = Assert.IsType<ModelArchitecture>(model.Architecture);
        Assert.Null(model.ArchitectureProblem);
        Assert.Equal(
            (ModelKind.Encoder, shape.Layers, shape.HiddenSize, shape.AttentionHeads, shape.AttentionHeads, shape.HiddenSize / shape.AttentionHeads, shape.FeedForwardSize, shape.VocabularySize, shape.MaxPositions, PositionEncoding.Learned),
            (a.Kind, a.Layers, a.HiddenSize, a.AttentionHeads, a.KeyValueHeads, a.HeadDimension, a.FeedForwardSize, a.VocabularySize, a.MaxPositions, a.PositionEncoding));
        Assert.False(a.GatedFeedForward);
        Assert.False(a.TiedEmbeddings);

        var spec = model.ToModelSpec("generated");
        Assert.Equal("bert", spec.Family);
        Assert.Equal(expected, spec.Parameters.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Create_GraphFlopsEqualTheDerivation(int index)
    {
        var shape = Shapes[index];
        var model = Read(shape);
        const int batch = 3, sequence = 40;

        var flops = model.Flops(batch, sequence);

        // OnnxFlopCount counts 2 FLOPs per multiply-add of every MatMul and Gemm (element-wise operators not counted).
        // Per layer, on b·s tokens: Q, K, V and O projections 4 · 2·b·s·h·h; feed-forward up and down 2 · 2·b·s·h·ff;
        // attention Q·Kᵀ and weights·V, each 2·b·heads·s·s·d with heads·d = h, so 2 · 2·b·s²·h. The pooler is one Gemm
        // on the first token of each sequence: 2·b·h·h.
        double b = batch, s = sequence, h = shape.HiddenSize, ff = shape.FeedForwardSize;
        var matMul = shape.Layers * ((4 * 2 * b * s * h * h) + (2 * 2 * b * s * h * ff) + (2 * 2 * b * s * s * h));
        var gemm = 2 * b * h * h;
        Assert.Empty(flops.Uncounted);
        Assert.Equal(matMul, flops.ByOperator["MatMul"].Flops);
        Assert.Equal(gemm, flops.ByOperator["Gemm"].Flops);
        Assert.Equal(matMul + gemm, flops.Total.Flops);

        // The config-free estimate from the recovered spec agrees with the graph.
        var estimate = ModelEstimator.EstimateFlops(model.ToModelSpec(), new InferenceWorkload { Batch = batch, InputTokens = sequence }).Forward.Flops;
        Assert.InRange(estimate / flops.Total.Flops, 0.99, 1.01);
    }

    [Fact]
    public void CreateAndWrite_AreDeterministicPerSeed()
    {
        var shape = new EncoderShape(1, 32, 2, 64) { VocabularySize = 1000, MaxPositions = 128 };
        var path = Path.Combine(Path.GetTempPath(), $"modelselection-generated-{Guid.NewGuid():N}.onnx");
        try
        {
            GeneratedEncoder.Write(path, shape, seed: 7);

            Assert.Equal(GeneratedEncoder.Create(shape, seed: 7), File.ReadAllBytes(path));
            Assert.Equal(GeneratedEncoder.Create(shape, seed: 7), GeneratedEncoder.Create(shape, seed: 7));
            Assert.NotEqual(GeneratedEncoder.Create(shape, seed: 7), GeneratedEncoder.Create(shape, seed: 8));
            Assert.Equal(OnnxModel.Read(path).ParameterElements, Read(shape).ParameterElements);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EncoderShape_Defaults_AreBertsEmbeddingTables()
    {
        var shape = new EncoderShape(12, 768, 12, 3072);

        Assert.Equal((30_522, 512, 2, 64), (shape.VocabularySize, shape.MaxPositions, shape.TypeVocabularySize, shape.HeadDimension));
        Assert.Equal("12 layers, hidden 768, 12 heads, feed-forward 3072, vocabulary 30522, 512 positions, 2 token types", shape.ToString());
        Assert.Equal(shape, new EncoderShape(12, 768, 12, 3072));
        Assert.NotEqual(shape, shape with { MaxPositions = 1024 });
    }

    [Theory]
    [InlineData(0, 64, 4, 256, "layers of an encoder must be between 1 and 128; was 0")]
    [InlineData(129, 64, 4, 256, "layers of an encoder must be between 1 and 128; was 129")]
    [InlineData(2, 0, 1, 256, "hidden size of an encoder must be between 1 and 32,768; was 0")]
    [InlineData(2, 64, 0, 256, "attention heads of an encoder (at most the hidden size) must be between 1 and 64; was 0")]
    [InlineData(2, 64, 5, 256, "heads must divide the hidden size; was 5 heads for hidden size 64")]
    [InlineData(2, 194, 2, 256, "must not be 97")]
    [InlineData(2, 64, 4, 64, "feed-forward size must differ from the hidden size and from three times it, so the ONNX importer tells the feed-forward from the attention projections; was 64 for hidden size 64")]
    [InlineData(2, 64, 4, 192, "feed-forward size must differ from the hidden size and from three times it, so the ONNX importer tells the feed-forward from the attention projections; was 192 for hidden size 64")]
    [InlineData(2, 64, 4, 0, "feed-forward size of an encoder must be between 1 and 131,072; was 0")]
    public void EncoderShape_BadSize_IsRefusedWithTheRule(int layers, int hidden, int heads, int ff, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new EncoderShape(layers, hidden, heads, ff));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncoderShape_BadTables_AreRefusedWithTheRule()
    {
        var shape = new EncoderShape(2, 64, 4, 256);

        Assert.Contains("vocabulary size of an encoder must be between 2 and 1,000,000; was 1", Assert.Throws<ArgumentOutOfRangeException>(() => shape with { VocabularySize = 1 }).Message, StringComparison.Ordinal);
        Assert.Contains("positions of an encoder must be between 97 and 131,072; was 96", Assert.Throws<ArgumentOutOfRangeException>(() => shape with { MaxPositions = 96 }).Message, StringComparison.Ordinal);
        Assert.Contains("token types of an encoder must be between 1 and 63; was 64", Assert.Throws<ArgumentOutOfRangeException>(() => shape with { TypeVocabularySize = 64 }).Message, StringComparison.Ordinal);

        // The rules relating two properties are checked on generation, as an initializer sets them in any order.
        var tied = Assert.Throws<ArgumentException>(() => GeneratedEncoder.Create(shape with { VocabularySize = 512 }));
        Assert.Contains("larger than the positions", tied.Message, StringComparison.Ordinal);
        Assert.Contains("was 512 tokens for 512 positions", tied.Message, StringComparison.Ordinal);
        var ffIsVocabulary = Assert.Throws<ArgumentException>(() => GeneratedEncoder.Create(new EncoderShape(2, 64, 4, 1000) { VocabularySize = 1000, MaxPositions = 128 }));
        Assert.Contains("must differ from the vocabulary size", ffIsVocabulary.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => GeneratedEncoder.Create(null!));
        Assert.Throws<ArgumentException>(() => GeneratedEncoder.Write(" ", shape));
    }

    [Fact]
    public void Create_Over2GiB_IsRefusedWithTheByteCount()
    {
        // 48 layers of hidden 2048 and feed-forward 8192: 48 · (4·2048² + 2·2048·8192 + …) ≈ 2.4 billion parameters, 9.7 GB.
        var shape = new EncoderShape(48, 2048, 16, 8192);

        var error = Assert.Throws<ArgumentException>(() => GeneratedEncoder.Create(shape));

        Assert.Equal("shape", error.ParamName);
        Assert.Matches(@"an ONNX file of [\d,]+ bytes \([\d,]+ fp32 parameters\); one protobuf message holds at most 2,147,483,647 bytes", error.Message);
    }

    private static OnnxModel Read(EncoderShape shape)
    {
        using var stream = new MemoryStream(GeneratedEncoder.Create(shape));
        return OnnxModel.Read(stream, "generated");
    }
}
