using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Import;

namespace ModelSelection.Tests.Reliability;

/// <summary>Each documented limit holds exactly: the limit itself is accepted, one past it is the documented exception.</summary>
public sealed class DocumentedLimitsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Workload_Limits()
    {
        _ = new InferenceWorkload { Batch = InferenceWorkload.MaxBatch, InputTokens = InferenceWorkload.MaxTokens, GeneratedTokens = InferenceWorkload.MaxTokens, Devices = 1024 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceWorkload { Batch = InferenceWorkload.MaxBatch + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceWorkload { InputTokens = InferenceWorkload.MaxTokens + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceWorkload { GeneratedTokens = InferenceWorkload.MaxTokens + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceWorkload { Devices = 1025 });
    }

    [Fact]
    public void Quantity_Limits()
    {
        Assert.Equal(ParameterCount.MaxCount, ParameterCount.FromCount(ParameterCount.MaxCount).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCount.FromCount(ParameterCount.MaxCount + 1));
        Assert.Equal(ParameterCount.MaxCount, ParameterCount.Parse("1000000000000000", CultureInfo.InvariantCulture).Count);
        Assert.Throws<FormatException>(() => ParameterCount.Parse("1000000000000001", CultureInfo.InvariantCulture));
        Assert.Equal(DatasetSize.MaxTokens, DatasetSize.FromTokens(DatasetSize.MaxTokens).Tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSize.FromTokens(DatasetSize.MaxTokens + 1));
    }

    [Fact]
    public void Constraint_Limits()
    {
        _ = new SelectionConstraints { MaxDeviceCount = 64, MemoryHeadroomFraction = 0.999 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionConstraints { MaxDeviceCount = 65 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionConstraints { MemoryHeadroomFraction = 1 });
    }

    [Fact]
    public void Context_Limits()
    {
        var spec = ModelCatalog.BuiltIn.Get("gpt2");
        Assert.Equal(ModelSelection.Models.ModelSpec.MaxContextLength, spec.WithContextLength(ModelSelection.Models.ModelSpec.MaxContextLength).ContextLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => spec.WithContextLength(ModelSelection.Models.ModelSpec.MaxContextLength + 1));

        // gpt2 holds 1024 learned positions: 1024 tokens are estimated, 1025 are the documented ArgumentException.
        _ = ModelEstimator.EstimateFlops(spec, new InferenceWorkload { InputTokens = 1000, GeneratedTokens = 24 });
        Assert.Throws<ArgumentException>(() => ModelEstimator.EstimateFlops(spec, new InferenceWorkload { InputTokens = 1000, GeneratedTokens = 25 }));
    }

    [Fact]
    public void ConfigFile_Limit()
    {
        var path = Path.Combine(_folder, "config.json");
        var json = """{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1}""";
        File.WriteAllText(path, json + new string(' ', (int)HuggingFaceConfig.MaxFileBytes - json.Length));
        Assert.Equal("gpt2", HuggingFaceConfig.Load(path).Family);
        File.AppendAllText(path, " ");
        Assert.Contains($"at most {HuggingFaceConfig.MaxFileBytes} bytes", Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_workload_through_every_estimate_and_Choose_is_a_value_or_a_documented_exception()
    {
        var workload = new InferenceWorkload { Batch = InferenceWorkload.MaxBatch, InputTokens = InferenceWorkload.MaxTokens / 2, GeneratedTokens = InferenceWorkload.MaxTokens / 2 };
        var device = DeviceCatalog.BuiltIn.Get("nvidia-h200-sxm-141gb");
        foreach (var model in ModelCatalog.BuiltIn.Models)
        {
            foreach (var call in new Action[]
            {
                () => ModelEstimator.EstimateMemory(model, workload, device),
                () => ModelEstimator.EstimateFlops(model, workload),
                () => ModelEstimator.EstimatePerformance(model, workload, device),
                () => ModelEstimator.EstimateTrainingMemory(model, new TrainingWorkload { Batch = 1_000_000, SequenceLength = Math.Max(1, Math.Min(model.ContextLength == 0 ? 1_000_000 : model.ContextLength, 1_000_000)) }, device),
            })
            {
                try
                {
                    call();
                }
                catch (ArgumentException)
                {
                    // Documented: beyond 2^63 bytes, a workload the model cannot run, a format the device cannot compute.
                }
            }
        }

        var result = new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn).Select(new SelectionRequest { DeviceIds = [device.Id], Workload = workload });
        Assert.Null(result.Choice);
        Assert.All(result.Rejected, r => Assert.NotEmpty(r.Reasons));
    }
}
