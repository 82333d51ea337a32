using ModelSelection.Catalog;
using ModelSelection.Comparison;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Comparison;

/// <summary>The large-versus-small comparison on the built-in catalogs, checked against physics and the papers, never against its own output.</summary>
public class ModelComparerTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);
    private static readonly ComparisonResult Default = new ModelComparer(Selector).Compare(new ComparisonRequest());

    private static ModelComparisonRow Row(string id) => Default.Rows.Single(r => r.ModelId == id);

    private static DeviceFigures On(string model, string device) => Row(model).Devices.Single(d => d.DeviceId == device);

    [Fact]
    public void Default_HasTheSeedModelsOnOneDevicePerTier_EveryDimensionFilledOrExplained()
    {
        Assert.Equal(ComparisonRequest.SeedModels, Default.Rows.Select(r => r.ModelId));
        Assert.Equal([DeviceTier.Cloud, DeviceTier.Desktop, DeviceTier.Laptop, DeviceTier.Mobile, DeviceTier.Embedded], Default.Choices.Select(c => c.Tier));
        foreach (var row in Default.Rows)
        {
            Assert.True(row.Parameters > 0 && row.WeightBytes > 0 && row.ForwardFlops > 0, row.ModelId);
            Assert.False(string.IsNullOrWhiteSpace(row.ScoreNote), row.ModelId);
            Assert.True(row.FineTuningSeconds > 0 || row.FineTuningNote.StartsWith("cannot", StringComparison.Ordinal), row.ModelId);
            Assert.Equal(5, row.Devices.Count);
            Assert.All(row.Devices, d => Assert.True(d.LatencySeconds > 0 || d.Note.Length > 0, $"{row.ModelId} on {d.DeviceId}"));
            Assert.All(row.Devices.Where(d => !d.MeetsBudget), d => Assert.NotEmpty(d.Note));
        }
    }

    [Fact]
    public void Latency_WithinTheBertFamily_FollowsDepthAndWidth_OnEveryDevice()
    {
        // BERT-large (24 layers of 1024) does more work than BERT-base (12 of 768), which does twice DistilBERT's (6 of 768):
        // on any device one request takes longer on the larger (Devlin et al. 2019 §3; Sanh et al. 2019 §3).
        foreach (var device in ComparisonRequest.TierDevices)
        {
            var large = On("bert-large-uncased", device).LatencySeconds!.Value;
            var base_ = On("bert-base-uncased", device).LatencySeconds!.Value;
            var distil = On("distilbert-base-uncased", device).LatencySeconds!.Value;
            Assert.True(large > base_ && base_ > distil, $"{device}: {large} {base_} {distil}");
        }
    }

    [Fact]
    public void Cloud_ChoosesTheLargeModel_AndThePiASmallOne_AsThePhysicsSays()
    {
        // A100: BERT-large's ~79 GFLOP per 128-token request is 0.25 ms at the 312 TFLOP/s fp16 peak, 5 ms even at 5 %:
        // well inside 100 ms, so the best GLUE score (BERT-large, 82.1, Devlin et al. 2019 Table 1) wins.
        var cloud = Default.Choices.Single(c => c.Tier == DeviceTier.Cloud);
        Assert.Equal("bert-large-uncased", cloud.ModelId);
        Assert.Equal(SizeClass.Large, cloud.SizeClass);

        // Raspberry Pi 5: four Cortex-A76 at 2.4 GHz, two 128-bit FMA pipes each: 4 × 2.4e9 × 16 = 153.6 GFLOP/s fp32 at
        // best, so BERT-large needs at least 0.51 s and BERT-base at least 0.15 s: neither meets 100 ms; a small one does.
        var embedded = Default.Choices.Single(c => c.Tier == DeviceTier.Embedded);
        Assert.Equal(SizeClass.Small, embedded.SizeClass);
        Assert.True(On("bert-large-uncased", "raspberry-pi-5-8gb").LatencySeconds >= 79e9 / 153.6e9);
        Assert.False(On("bert-large-uncased", "raspberry-pi-5-8gb").MeetsBudget);
        Assert.False(On("bert-base-uncased", "raspberry-pi-5-8gb").MeetsBudget);
        Assert.Contains(DeviceTier.Embedded, Row("huawei-noah/TinyBERT_General_4L_312D").RealTimeTiers);
        Assert.DoesNotContain(DeviceTier.Embedded, Row("bert-large-uncased").RealTimeTiers);
    }

    [Fact]
    public void Scores_AreTheTasksBenchmark_OrExplainedWhenMissing()
    {
        Assert.Equal(82.1, Row("bert-large-uncased").Score!.Value, 1);   // Devlin et al. 2019, Table 1, at fp16 (lossless)
        Assert.Equal(78.8, Row("google/mobilebert-uncased").Score!.Value, 1); // Sun et al. 2020, Table 4
        Assert.Null(Row("roberta-large").Score);                           // RoBERTa published GLUE dev, not test, averages
        Assert.Contains("glue-test", Row("roberta-large").ScoreNote, StringComparison.Ordinal);
        Assert.Null(Row("huawei-noah/TinyBERT_General_4L_312D").Score);      // its GLUE score is of a task-distilled checkpoint
        Assert.Contains("related checkpoint", Row("huawei-noah/TinyBERT_General_4L_312D").ScoreNote, StringComparison.Ordinal);

        // Transformer-XL classifies nothing: it is compared on language modelling, by WikiText-103 perplexity (Dai et al. 2019, Table 1).
        var xl = Row("transfo-xl/transfo-xl-wt103");
        Assert.Equal(ModelTask.LanguageModeling, xl.Task);
        Assert.Equal("wikitext103-test-ppl", xl.Benchmark);
        Assert.Equal(18.3, xl.Score!.Value, 1);
    }

    [Fact]
    public void Pretraining_IsAsPublished_AndComputeIsSixNd()
    {
        var large = Row("bert-large-uncased").Pretraining!;
        Assert.Contains("64 TPU chips", large.Hardware, StringComparison.Ordinal); // Devlin et al. 2019, Appendix A.2
        Assert.Equal(4, large.Days);
        // 1M steps of 256 sequences, 90 % at 128 tokens and 10 % at 512: 256 × (0.9 × 128 + 0.1 × 512) × 1e6 tokens.
        Assert.Equal(256 * ((0.9 * 128) + (0.1 * 512)) * 1e6, large.Tokens!.Value, 0);
        Assert.Equal(6.0 * Row("bert-large-uncased").Parameters * large.Tokens!.Value, Row("bert-large-uncased").PretrainingComputeFlops!.Value, 1e6);

        var distil = Row("distilbert-base-uncased").Pretraining!;
        Assert.Equal(90.0 / 24, distil.Days!.Value, 6); // "approximately 90 hours" on 8 × 16 GB V100 (Sanh et al. 2019 §3)
        Assert.Null(Row("distilbert-base-uncased").PretrainingComputeFlops); // no steps or sequence length published

        Assert.NotNull(Row("google/mobilebert-uncased").Pretraining!.Missing);
        Assert.Null(Row("roberta-base").Pretraining!.Days);
    }

    [Fact]
    public void FineTuning_OfBertBaseOnAnSst2SizedJob_TakesMinutesOnAnA100()
    {
        // 6 × 109.5 M parameters × (67,349 × 128 × 3) tokens = 1.70e16 FLOP; at 15–60 % of the A100's 312 TFLOP/s that
        // is 91–363 s.
        var seconds = Row("bert-base-uncased").FineTuningSeconds!.Value;
        Assert.InRange(seconds, 91, 363);
        Assert.True(Row("bert-large-uncased").FineTuningSeconds > seconds && seconds > Row("distilbert-base-uncased").FineTuningSeconds);
    }

    [Fact]
    public void Compare_OneDevice_ComparesOnThatDeviceOnly()
    {
        var result = new ModelComparer(Selector).Compare(new ComparisonRequest { DeviceIds = ["nvidia-jetson-orin-nano-8gb"], LatencyBudget = TimeSpan.FromMilliseconds(20) });

        Assert.All(result.Rows, r => Assert.Equal("nvidia-jetson-orin-nano-8gb", Assert.Single(r.Devices).DeviceId));
        Assert.Equal(DeviceTier.Embedded, Assert.Single(result.Choices).Tier);
    }

    [Fact]
    public void Compare_BadInput_IsRefusedWithTheRule()
    {
        var comparer = new ModelComparer(Selector);
        Assert.Contains("Unknown model id 'bert-huge'", Assert.Throws<ArgumentException>(() => comparer.Compare(new ComparisonRequest { ModelIds = ["bert-huge"] })).Message, StringComparison.Ordinal);
        Assert.Contains("must be probed", Assert.Throws<ArgumentException>(() => comparer.Compare(new ComparisonRequest { DeviceIds = ["local"] })).Message, StringComparison.Ordinal);
        Assert.Contains("at least one model", Assert.Throws<ArgumentException>(() => comparer.Compare(new ComparisonRequest { ModelIds = [] })).Message, StringComparison.Ordinal);
        Assert.Contains("at least one device", Assert.Throws<ArgumentException>(() => comparer.Compare(new ComparisonRequest { DeviceIds = [] })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComparisonRequest { LatencyBudget = TimeSpan.FromMilliseconds(-5) });
        Assert.Throws<ArgumentNullException>(() => new ModelComparer(null!));
    }

    [Fact]
    public void Tiers_FollowTheClass_UnlessTheDeviceStatesOne()
    {
        Assert.Equal(DeviceTier.Cloud, DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb").Tier);
        Assert.Equal(DeviceTier.Embedded, DeviceCatalog.BuiltIn.Get("google-coral-edge-tpu").Tier);
        Assert.Equal(DeviceTier.Laptop, DeviceCatalog.BuiltIn.Get("amd-ryzen-ai-9-hx-370-cpu").Tier); // an edge-CPU-class laptop chip
        Assert.Equal(DeviceTier.Desktop, DeviceCatalog.BuiltIn.Get("apple-m2-ultra").Tier);          // a Mac Studio's
        var json = """{"devices":[{"id":"x-board","class":"edge-cpu","tier":"spaceship","memoryBytes":1,"memoryBandwidthBytesPerSecond":1,"peakFlops":{"fp32":1}}]}""";
        var error = Assert.Throws<ModelImportException>(() => DeviceCatalog.FromJson(json, "test"));
        Assert.Contains("$.devices[0].tier", error.Message, StringComparison.Ordinal);
        Assert.Contains("cloud, desktop, laptop, mobile, embedded", error.Message, StringComparison.Ordinal);
    }
}
