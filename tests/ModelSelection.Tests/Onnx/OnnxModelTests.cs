using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Onnx;

namespace ModelSelection.Tests.Onnx;

/// <summary><see cref="OnnxModel"/>: the all-MiniLM-L6-v2 export against its config, small models written by hand, and hostile files.</summary>
public sealed class OnnxModelTests : IDisposable
{
    private const string MiniLmId = "sentence-transformers/all-MiniLM-L6-v2";
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_MiniLm_HasExactlyTheConfigParameterCount()
    {
        var model = OnnxModel.Read(MiniLmOnnx.Path);

        // The catalog's count from config.json (BERT: embeddings 30522·384 + 512·384 + 2·384 + LayerNorm 2·384; six layers
        // of 4·(384·384 + 384) + 384·1536 + 1536 + 1536·384 + 384 + 2·2·384; pooler 384·384 + 384) = 22,713,216. The export
        // keeps every tensor, the pooler included (its output "924" is the pooled vector), so nothing is missing.
        Assert.Equal(22_713_216L, model.ParameterElements);
        Assert.Equal(ModelCatalog.BuiltIn.Get(MiniLmId).Parameters.Count, model.ParameterElements);
        Assert.Equal(4 * 22_713_216L, model.WeightBytes);
        Assert.Equal(4 * 22_713_216L, Assert.Single(model.BytesByType, kv => kv.Key == OnnxDataType.Float).Value);
        Assert.Single(model.BytesByType);

        // Not parameters: the position_ids buffer [1, 512] and 44 one-element int64 shape constants of the export.
        Assert.Equal(512 + 44, model.BufferElements);
        Assert.Equal(13, model.Opset);
        Assert.Equal("pytorch", model.ProducerName);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Inputs.Select(i => i.Name));
        Assert.Equal(["batch", "sequence"], model.Inputs[0].Dimensions!.Value.Select(d => d.Symbol));
    }

    [Fact]
    public void Flops_MiniLm_Batch1Seq128_MatchesTheDerivationAndTheConfigEstimate()
    {
        var model = OnnxModel.Read(MiniLmOnnx.Path);

        var flops = model.Flops(1, 128);

        // Independent derivation, s = 128, h = 384, ff = 1536, 12 heads × 32, 6 layers, 2 FLOPs per multiply-add:
        // per layer Q, K, V, O 4·2·s·h·h = 150,994,944; FFN 2·2·s·h·ff = 301,989,888; Q·Kᵀ and weights·V 2·2·12·s·s·32 =
        // 25,165,824 → 478,150,656 × 6 = 2,868,903,936 in MatMul; the pooler's Gemm on the first token 2·h·h = 294,912.
        Assert.Empty(flops.Uncounted);
        Assert.Equal(2_868_903_936d, flops.ByOperator["MatMul"].Flops);
        Assert.Equal(294_912d, flops.ByOperator["Gemm"].Flops);
        Assert.Equal(2_869_198_848d, flops.Total.Flops);
        var config = ModelEstimator.EstimateFlops(ModelCatalog.BuiltIn.Get(MiniLmId), new InferenceWorkload { Batch = 1, InputTokens = 128 }).Forward.Flops;
        Assert.InRange(flops.Total.Flops / config, 0.99, 1.01);
        Assert.Equal(flops.Total.Flops / 128, model.FlopsPerToken(128).Flops, 6);
        Assert.Equal(4 * flops.Total.Flops, model.Flops(4, 128).Total.Flops);
    }

    [Fact]
    public void ToModelSpec_MiniLm_RecoversTheBertArchitectureAndEstimatesAsTheConfig()
    {
        var model = OnnxModel.Read(MiniLmOnnx.Path);
        var config = ModelCatalog.BuiltIn.Get(MiniLmId);

        var spec = model.ToModelSpec("minilm-onnx");

        var a = Assert.IsType<ModelArchitecture>(model.Architecture);
        Assert.Null(model.ArchitectureProblem);
        Assert.Equal((ModelKind.Encoder, 6, 384, 12, 12, 32, 1536, 30522, 512), (a.Kind, a.Layers, a.HiddenSize, a.AttentionHeads, a.KeyValueHeads, a.HeadDimension, a.FeedForwardSize, a.VocabularySize, a.MaxPositions));
        Assert.False(a.GatedFeedForward);
        Assert.Equal("bert", spec.Family);
        Assert.Equal(config.Parameters, spec.Parameters);
        var workload = new InferenceWorkload { Batch = 1, InputTokens = 128 };
        Assert.Equal(ModelEstimator.EstimateFlops(config, workload).Forward.Flops, ModelEstimator.EstimateFlops(spec, workload).Forward.Flops, 0);
        Assert.Equal(ModelEstimator.EstimateMemory(config, workload).KvCacheBytes, ModelEstimator.EstimateMemory(spec, workload).KvCacheBytes);
    }

    [Fact]
    public async Task ReadAsync_MiniLm_EqualsRead()
    {
        var read = OnnxModel.Read(MiniLmOnnx.Path);
        var fromPath = await OnnxModel.ReadAsync(MiniLmOnnx.Path);
        await using var stream = File.OpenRead(MiniLmOnnx.Path);
        var fromStream = await OnnxModel.ReadAsync(stream, "minilm");

        Assert.Equal(read.ParameterElements, fromPath.ParameterElements);
        Assert.Equal(read.ParameterElements, fromStream.ParameterElements);
        Assert.Equal(read.Initializers.Select(Describe), fromStream.Initializers.Select(Describe));
        Assert.Equal(read.Flops(2, 64).Total, fromPath.Flops(2, 64).Total);
    }

    [Fact]
    public void Read_SmallModel_CountsParametersFlopsAndSymbols()
    {
        var model = Read(OnnxProto.Model(OnnxProto.LinearGraph()));

        Assert.Equal(15, model.ParameterElements);
        Assert.Equal(60, model.WeightBytes);
        Assert.Equal(17, model.Opset);
        Assert.Equal(8, model.IrVersion);
        var x = Assert.Single(model.Inputs);
        Assert.Equal("x: Float[batch_size, sequence_length, 4]", x.ToString());
        Assert.Equal(2.0 * 2 * 5 * 4 * 3, model.Flops(2, 5).Total.Flops);
        Assert.Null(model.Architecture);
        Assert.Contains("no token embedding", model.ArchitectureProblem, StringComparison.Ordinal);
        var error = Assert.Throws<ModelImportException>(() => model.ToModelSpec());
        Assert.Contains("could not be recovered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SharedInitializerListedTwice_IsCountedOnce()
    {
        var graph = OnnxProto.LinearGraph().Message(5, OnnxProto.Tensor("W", 4, 3));

        Assert.Equal(15, Read(OnnxProto.Model(graph)).ParameterElements);
    }

    [Fact]
    public void Read_SameNameDifferentShape_IsRefused()
    {
        var graph = OnnxProto.LinearGraph().Message(5, OnnxProto.Tensor("W", 3, 4));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));
        Assert.Contains("$.graph.initializer[2]", error.Location, StringComparison.Ordinal);
        Assert.Contains("declared twice", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryProperPrefixOfAValidModel_IsAModelImportException()
    {
        var bytes = OnnxProto.Model(OnnxProto.LinearGraph());
        Assert.Equal(15, Read(bytes).ParameterElements);

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            var error = Assert.Throws<ModelImportException>(() => Read(prefix));
            Assert.Equal("prefix", error.SourceName);
            Assert.False(string.IsNullOrEmpty(error.Problem));
        }
    }

    [Fact]
    public void Read_HugeDeclaredLength_IsRefusedWithoutAllocating()
    {
        var bytes = new OnnxProto().Int(1, 8).Declared(7, 1UL << 62, new byte[16]).ToArray();

        var error = Assert.Throws<ModelImportException>(() => Read(bytes));

        Assert.StartsWith("$.graph (byte 3)", error.Location, StringComparison.Ordinal);
        Assert.Contains($"declares {1L << 62} bytes; only 16 remain in the file", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeDeclaredLengthOfANode_NamesTheEnclosingMessage()
    {
        var graph = new OnnxProto().Declared(1, 1_000_000, new byte[8]);
        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.StartsWith("$.graph.node[0]", error.Location, StringComparison.Ordinal);
        Assert.Contains("declares 1000000 bytes; only 8 remain in the file", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DimensionsThatOverflow_NameTheDimension()
    {
        var graph = new OnnxProto().Message(5, new OnnxProto().Int(1, 1L << 40).Int(1, 1L << 40).Int(2, 1).Text(8, "huge").Bytes(9, new byte[48]));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.StartsWith("$.graph.initializer[0].dims[1]", error.Location, StringComparison.Ordinal);
        Assert.Contains("multiply past", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeDimensionsWithoutData_AreRefused()
    {
        var graph = new OnnxProto().Message(5, new OnnxProto().Int(1, 1_000_000_000_000).Int(2, 1).Text(8, "ghost"));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.StartsWith("$.graph.initializer[0].dims", error.Location, StringComparison.Ordinal);
        Assert.Contains("declare 1000000000000 elements; the tensor holds only 0 bytes of data", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RawDataOfTheWrongSize_IsRefused()
    {
        var graph = new OnnxProto().Message(5, new OnnxProto().Int(1, 4).Int(1, 3).Int(2, 1).Text(8, "W").Bytes(9, new byte[40]));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.StartsWith("$.graph.initializer[0].raw_data", error.Location, StringComparison.Ordinal);
        Assert.Contains("need 48 bytes; raw_data holds 40", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeDimension_IsRefused()
    {
        var graph = new OnnxProto().Message(5, new OnnxProto().Int(1, -3).Int(2, 1).Text(8, "W"));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.StartsWith("$.graph.initializer[0].dims", error.Location, StringComparison.Ordinal);
        Assert.Contains("-3", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Cycle_IsRefusedNamingANodeOnIt()
    {
        var graph = new OnnxProto()
            .Message(1, OnnxProto.Node("Add", "first", ["x", "z"], ["y"]))
            .Message(1, OnnxProto.Node("Relu", "second", ["y"], ["z"]))
            .Message(11, OnnxProto.Value("x", "batch", 4));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.StartsWith("$.graph.node[", error.Location, StringComparison.Ordinal);
        Assert.Contains("the graph has a cycle", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NodeConsumingItsOwnOutput_IsACycle()
    {
        var graph = new OnnxProto().Message(1, OnnxProto.Node("Add", "self", ["x", "y"], ["y"]));

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.Equal("$.graph.node[0]", error.Location);
        Assert.Contains("node 'self' (Add) depends", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SubgraphsNestedTooDeep_AreRefused()
    {
        var graph = new OnnxProto().Message(1, OnnxProto.Node("Relu", "leaf", ["x"], ["y"]));
        for (var level = 0; level < 12; level++)
        {
            var node = OnnxProto.Node("If", $"if{level}", ["c"], ["y"]).Message(5, new OnnxProto().Text(1, "then_branch").Message(6, graph).Int(20, 5));
            graph = new OnnxProto().Message(1, node);
        }

        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(graph)));

        Assert.Contains(".attribute[0].g.node[0]", error.Location, StringComparison.Ordinal);
        Assert.Contains("expected at most 32", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShallowSubgraph_IsReadAndItsInitializersCounted()
    {
        var body = new OnnxProto().Message(1, OnnxProto.Node("Relu", "leaf", ["x"], ["y"])).Message(5, OnnxProto.Tensor("inner", 2, 2));
        var graph = OnnxProto.LinearGraph().Message(1, OnnxProto.Node("If", "branch", ["c"], ["z"]).Message(5, new OnnxProto().Text(1, "then_branch").Message(6, body).Int(20, 5)));

        var model = Read(OnnxProto.Model(graph));

        Assert.Equal(15 + 4, model.ParameterElements);
        Assert.Equal("inner", Assert.Single(model.SubgraphInitializers).Name);
        Assert.Contains(model.Flops(1, 1).Uncounted, u => u.Contains("If 'branch'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../secret.bin")]
    [InlineData("weights/../../secret.bin")]
    [InlineData("/etc/passwd")]
    public void Read_ExternalDataOutsideTheFolder_IsRefused(string location)
    {
        var path = WriteModel(External(location, length: 48));

        var error = Assert.Throws<ModelImportException>(() => OnnxModel.Read(path));

        Assert.StartsWith("$.graph.initializer[0].external_data", error.Location, StringComparison.Ordinal);
        Assert.Contains("it is not read", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExternalDataLinkedOutsideTheFolder_IsRefused()
    {
        var outside = Directory.CreateTempSubdirectory("modelselect-onnx-outside-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(outside, "w.bin"), new byte[48]);
            File.CreateSymbolicLink(Path.Combine(_folder, "w.bin"), Path.Combine(outside, "w.bin"));
            var path = WriteModel(External("w.bin", length: 48));

            var error = Assert.Throws<ModelImportException>(() => OnnxModel.Read(path));

            Assert.Contains("outside the checkpoint folder", error.Problem, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Read_ExternalDataInTheFolder_IsSizedFromLengthOrTheFile()
    {
        File.WriteAllBytes(Path.Combine(_folder, "w.bin"), new byte[48]);

        Assert.Equal(12, OnnxModel.Read(WriteModel(External("w.bin", length: 48))).ParameterElements);
        var unsized = OnnxModel.Read(WriteModel(External("w.bin", length: null)));
        Assert.Equal("w.bin", Assert.Single(unsized.Initializers).ExternalLocation);
        var beyond = Assert.Throws<ModelImportException>(() => OnnxModel.Read(WriteModel(External("w.bin", length: 48, offset: 8))));
        Assert.Contains("beyond the end of 'w.bin' (48 bytes)", beyond.Problem, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => OnnxModel.Read(WriteModel(External("missing.bin", length: 48))));
    }

    [Fact]
    public void Read_StreamWithExternalDataWithoutLength_IsRefused()
    {
        var error = Assert.Throws<ModelImportException>(() => Read(OnnxProto.Model(External("w.bin", length: null))));

        Assert.Contains("read the model from its path", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedVarint_IsRefused()
    {
        byte[] bytes = [0x08, .. Enumerable.Repeat((byte)0xFF, 11)];

        var error = Assert.Throws<ModelImportException>(() => Read(bytes));

        Assert.Contains("varint", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoGraph_IsRefused()
    {
        var error = Assert.Throws<ModelImportException>(() => Read(new OnnxProto().Int(1, 8).ToArray()));

        Assert.Equal("$.graph", error.Location);
    }

    [Fact]
    public void Flops_OutOfRange_Throws()
    {
        var model = Read(OnnxProto.Model(OnnxProto.LinearGraph()));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Flops(0, 5));
        Assert.Contains("Batch must be between 1 and 1E+6; was 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CanceledToken_Throws()
    {
        using var stream = new MemoryStream(OnnxProto.Model(OnnxProto.LinearGraph()));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OnnxModel.ReadAsync(stream, "canceled", new CancellationToken(canceled: true)));
    }

    private static string Describe(OnnxTensorInfo t) => $"{t.Name} {t.DataType}[{string.Join(", ", t.Dimensions)}] {t.Bytes}";

    private static OnnxModel Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return OnnxModel.Read(stream, "prefix");
    }

    private static OnnxProto External(string location, long? length, long offset = 0)
    {
        var tensor = new OnnxProto().Int(1, 4).Int(1, 3).Int(2, 1).Text(8, "W")
            .Message(13, new OnnxProto().Text(1, "location").Text(2, location))
            .Message(13, new OnnxProto().Text(1, "offset").Text(2, offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (length is { } l)
        {
            tensor.Message(13, new OnnxProto().Text(1, "length").Text(2, l.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new OnnxProto().Message(5, tensor.Int(14, 1));
    }

    private string WriteModel(OnnxProto graph)
    {
        var path = Path.Combine(_folder, $"model-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, OnnxProto.Model(graph));
        return path;
    }
}
