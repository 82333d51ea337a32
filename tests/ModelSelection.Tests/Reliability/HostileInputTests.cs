using System.Diagnostics;
using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Safetensors;
using ModelSelection.Tests.Safetensors;

namespace ModelSelection.Tests.Reliability;

/// <summary>Reproducers from the hostile-input pass: each escaped the documented exceptions, read without bound or followed a link out of its folder.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("""{"model_type":"\ud800","vocab_size":1}""")]
    [InlineData("""{"architectures":["\udfff"],"vocab_size":1}""")]
    [InlineData("""{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1,"_name_or_path":"\ud800"}""")]
    public void Config_LoneSurrogateEscapes_AreImportErrors(string json)
    {
        Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Parse(json, "hostile.json", null));
        Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(Write("config.json", json)));
    }

    [Fact]
    public void Safetensors_LoneSurrogateNames_AndDuplicateNames_AreImportErrors()
    {
        var surrogate = Path.Combine(_folder, "surrogate.safetensors");
        File.WriteAllBytes(surrogate, SafetensorsBuilder.Raw("""{"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4));
        Assert.Throws<ModelImportException>(() => SafetensorsFile.Read(surrogate));

        var duplicate = Path.Combine(_folder, "duplicate.safetensors");
        File.WriteAllBytes(duplicate, SafetensorsBuilder.Raw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8));
        var error = Assert.Throws<ModelImportException>(() => SafetensorsFile.Read(duplicate));
        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metadata":{"total_size":"lots"},"weight_map":{"w":"model.safetensors"}}""", "$.metadata.total_size")]
    [InlineData("""{"metadata":{"total_size":-4},"weight_map":{"w":"model.safetensors"}}""", "$.metadata.total_size")]
    [InlineData("""{"weight_map":{}}""", "$.weight_map")]
    [InlineData("""{"weight_map":{"w":"model.safetensors","w":"model.safetensors"}}""", "$.weight_map")]
    [InlineData("""{"weight_map":{"\ud800":"model.safetensors"}}""", "$.weight_map")]
    [InlineData("""{"weight_map":{"w":"\ud800"}}""", "$.weight_map['w']")]
    public void Index_MalformedTotalsAndMaps_AreImportErrorsAtThePath(string json, string location)
    {
        File.WriteAllBytes(Path.Combine(_folder, "model.safetensors"), SafetensorsBuilder.File([("w", "F32", [1])]));
        var error = Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(Write("model.safetensors.index.json", json)));
        Assert.Contains(location, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    public void SpecialFiles_AreRefusedWithoutReading(string device)
    {
        if (!File.Exists(device))
        {
            return; // not a Unix machine
        }

        var watch = Stopwatch.StartNew();
        Assert.Contains("not a regular file", Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(device)).Message, StringComparison.Ordinal);
        Assert.Throws<ModelImportException>(() => SafetensorsFile.Read(device));
        var link = Path.Combine(_folder, "config.json");
        File.CreateSymbolicLink(link, device);
        Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(link));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30)); // never reads gigabytes of zeros
    }

    [Fact]
    public async Task Fifos_AreRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = Path.Combine(_folder, "config.json");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false }))
        {
            mkfifo?.WaitForExit();
        }

        if (!File.Exists(fifo))
        {
            return; // no mkfifo here
        }

        var load = Task.Run(() => HuggingFaceConfig.Load(fifo));
        var finished = await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(load, finished); // reading a FIFO must not block
        await Assert.ThrowsAsync<ModelImportException>(() => load);
    }

    [Fact]
    public void SymlinkLoops_AreImportErrors()
    {
        var a = Path.Combine(_folder, "a.json");
        var b = Path.Combine(_folder, "b.json");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);
        Assert.Contains("cannot be resolved", Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(a)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shards_LinkedOutsideTheCheckpointFolder_AreRefused()
    {
        var outside = Directory.CreateTempSubdirectory("modelselect-outside-").FullName;
        try
        {
            var secret = Path.Combine(outside, "secret.safetensors");
            File.WriteAllBytes(secret, SafetensorsBuilder.File([("w", "F32", [1])]));
            File.CreateSymbolicLink(Path.Combine(_folder, "model-00001-of-00001.safetensors"), secret);
            var index = Write("model.safetensors.index.json", """{"weight_map":{"w":"model-00001-of-00001.safetensors"}}""");
            var error = Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(index));
            Assert.Contains("outside the checkpoint folder", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Choose_RejectsAnEstimateBeyondTwoToThe63_InsteadOfThrowing()
    {
        // 160 MHA layers of 64 × 128: 5.2 MB of KV cache per token; 10⁶ sequences × 10⁷ tokens need ~5·10¹⁹ bytes.
        var giant = HuggingFaceConfig.Parse("""
            {"model_type":"llama","vocab_size":32000,"hidden_size":8192,"intermediate_size":22016,"num_hidden_layers":160,
             "num_attention_heads":64,"num_key_value_heads":64,"max_position_embeddings":10000000}
            """, "giant", "giant");
        var result = new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn).Select(new SelectionRequest
        {
            Models = [giant],
            DeviceIds = ["nvidia-h200-sxm-141gb"],
            Workload = new InferenceWorkload { Batch = InferenceWorkload.MaxBatch, InputTokens = InferenceWorkload.MaxTokens },
        });
        Assert.Null(result.Choice);
        Assert.Equal(RejectionCode.ExceedsMemory, Assert.Single(Assert.Single(result.Rejected).Reasons).Code);
    }

    [Fact]
    public void HalfABillionLayers_EstimateWithoutOverflow()
    {
        // 2^29 layers used to overflow the int product 4 · layers in the attention FLOPs (OverflowException).
        var deep = HuggingFaceConfig.Parse("""
            {"model_type":"llama","vocab_size":8,"hidden_size":8,"intermediate_size":8,"num_hidden_layers":536870912,"num_attention_heads":1,"max_position_embeddings":64}
            """, "deep", "deep");
        var flops = ModelEstimator.EstimateFlops(deep, new InferenceWorkload { InputTokens = 16, GeneratedTokens = 4 });
        Assert.True(double.IsFinite(flops.Total.Flops) && flops.Total.Flops > 0);
        Assert.True(new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn).Select(new SelectionRequest { Models = [deep], DeviceIds = ["nvidia-h100-sxm-80gb"] }).Choice is null);
    }

    [Fact]
    public void KvGuard_FiresAtTwoToThe63Bytes_NotAnEighthOfIt()
    {
        // fp16 KV of a 160-layer MHA model (64 × 128): 2 · 160 · 8192 · 2 B = 5,242,880 B per token and sequence.
        // 2·10¹² token-sequences need 1.05·10¹⁹ B (over 2⁶³); 1.5·10¹² need 7.9·10¹⁸ B (under, but over 2⁶³/8).
        var giant = HuggingFaceConfig.Parse("""
            {"model_type":"llama","vocab_size":32000,"hidden_size":8192,"intermediate_size":22016,"num_hidden_layers":160,
             "num_attention_heads":64,"num_key_value_heads":64,"max_position_embeddings":10000000}
            """, "giant", "giant");
        var under = ModelEstimator.EstimateMemory(giant, new InferenceWorkload { Batch = 300_000, InputTokens = 5_000_000 });
        Assert.Equal(5_242_880L * 300_000 * 5_000_000, under.KvCacheBytes);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelEstimator.EstimateMemory(giant, new InferenceWorkload { Batch = 400_000, InputTokens = 5_000_000 }));
        Assert.Contains("more than the 2^63", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransformerXl_WithThousandsOfCutoffs_IsRefusedBeforeItAllocates()
    {
        var cutoffs = string.Join(",", Enumerable.Range(1, 5000));
        var error = Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Parse(
            $$"""{"model_type":"transfo-xl","vocab_size":100000,"d_model":8,"d_embed":8,"n_head":1,"d_head":8,"d_inner":8,"n_layer":1,"cutoffs":[{{cutoffs}}]}""", "txl.json", null));
        Assert.Contains("$.cutoffs", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("surrogate")]
    [InlineData("loop")]
    public async Task Console_HostileFiles_ExitTwoWithOneLine(string kind)
    {
        var path = kind switch
        {
            "surrogate" => Write("config.json", """{"model_type":"\ud800"}"""),
            "loop" => Loop(),
            _ => kind,
        };
        if (!File.Exists(path) && kind == "/dev/zero")
        {
            return;
        }

        foreach (var option in new[] { "--hf-config", "--safetensors" })
        {
            var (exitCode, output, error) = await ModelSelection.Tests.Samples.Cli.RunAsync("estimate", option, path);
            Assert.Equal(2, exitCode);
            Assert.Empty(output);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("modelselect: ", line, StringComparison.Ordinal);
        }

        string Loop()
        {
            var a = Path.Combine(_folder, "a.json");
            var b = Path.Combine(_folder, "b.json");
            File.CreateSymbolicLink(a, b);
            File.CreateSymbolicLink(b, a);
            return a;
        }
    }

    [Fact]
    public void Safetensors_MillionsOfEmptyTensors_AreRefusedBeforeParsing()
    {
        // 1.7 M zero-sized tensors in a 100 MB header took 5 s and 1.4 GB; now the entries are counted first.
        var header = new System.Text.StringBuilder("{");
        for (var i = 0; i < SafetensorsFile.MaxTensors + 10; i++)
        {
            header.Append(i == 0 ? string.Empty : ",").Append("\"t").Append(i).Append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }

        var path = Path.Combine(_folder, "many.safetensors");
        File.WriteAllBytes(path, SafetensorsBuilder.Raw(header.Append('}').ToString(), 0));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ModelImportException>(() => SafetensorsFile.Read(path));
        Assert.Contains($"at most {SafetensorsFile.MaxTensors} tensors", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "refusing allocated more than the header itself and change");
    }

    [Fact]
    public void FineTuningPlanner_RejectsATrainingEstimateBeyondTwoToThe63_InsteadOfThrowing()
    {
        // Korthikanti activations of a 160-layer, 8192-wide model at a million sequences of 10⁶ tokens pass 2⁶³ bytes.
        var giant = HuggingFaceConfig.Parse("""
            {"model_type":"llama","vocab_size":32000,"hidden_size":8192,"intermediate_size":22016,"num_hidden_layers":160,
             "num_attention_heads":64,"num_key_value_heads":64,"max_position_embeddings":10000000}
            """, "giant", "giant");
        var result = ModelSelection.Planning.FineTuningPlanner.Plan(new ModelSelection.Planning.FineTuningRequest
        {
            Models = [giant],
            Dataset = DatasetSize.FromTokens(1_000_000),
            Device = DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb"),
            Training = new TrainingWorkload { Batch = 1_000_000, SequenceLength = 1_000_000 },
        });
        Assert.Null(result.Choice);
        Assert.Equal(RejectionCode.ExceedsMemory, Assert.Single(result.Rejected).Reasons[0].Code);
    }
}
