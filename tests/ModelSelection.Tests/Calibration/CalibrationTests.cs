using ModelSelection.Calibration;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Calibration;

/// <summary>The calibration set of published measurements, the fit, and the accuracy the built-in runtimes reach on it.</summary>
public class CalibrationTests
{
    private static readonly CalibrationSet Set = CalibrationSet.BuiltIn;

    [Fact]
    public void The_set_holds_at_least_forty_sourced_points_across_the_runtimes()
    {
        Assert.True(Set.Points.Length >= 40, $"{Set.Points.Length} points");
        Assert.All(Set.Points, p =>
        {
            Assert.True(p.Source.Contains("http", StringComparison.Ordinal) || p.Source.Contains('/', StringComparison.Ordinal), $"{p.Id}: '{p.Source}' is not an address");
            Assert.True(ModelCatalog.BuiltIn.TryGet(p.Model, out _), $"{p.Id}: model {p.Model}");
            Assert.True(DeviceCatalog.BuiltIn.TryGet(p.Device, out _), $"{p.Id}: device {p.Device}");
            Assert.True(RuntimeCatalog.BuiltIn.TryGet(p.Runtime, out _), $"{p.Id}: runtime {p.Runtime}");
        });
        Assert.True(Set.Points.Select(p => p.Runtime).Distinct().Count() >= 8);
        Assert.Contains(Set.Points, p => p.IsTraining);
        Assert.Contains(Set.Points, p => p.Devices > 1 && !p.IsTraining);
    }

    [Fact]
    public void Every_point_can_be_predicted()
    {
        var outcomes = Calibrator.Evaluate(Set.Points, ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, RuntimeCatalog.BuiltIn);
        Assert.All(outcomes, o => Assert.True(o.Predicted is > 0, $"{o.Point.Id}: {o.Problem}"));
    }

    [Fact]
    public void The_built_in_runtimes_meet_the_accuracy_target_on_the_set()
    {
        // Issue target: median |error| ≤ 20 % and at least 80 % of the points within ±35 %.
        var summary = CalibrationSummary.Of(Calibrator.Evaluate(Set.Points, ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, RuntimeCatalog.BuiltIn));
        Assert.True(summary.MedianAbsoluteError <= 0.20, $"median |error| {summary.MedianAbsoluteError:P1}");
        Assert.True(summary.WithinThirtyFivePercent >= 0.80, $"{summary.WithinThirtyFivePercent:P1} within ±35 %");
    }

    [Fact]
    public void Refitting_from_the_priors_reproduces_the_built_in_efficiencies()
    {
        // The catalog's efficiencies are what the documented fit gives: the same points give the same parameters.
        var fit = Calibrator.Fit(Set.Points, ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, RuntimeCatalog.BuiltIn);
        foreach (var group in fit.Groups)
        {
            var stored = RuntimeCatalog.BuiltIn.Get(group.Runtime).EfficiencyFor(group.Class);
            TestHelper.AssertRelativelyClose(stored.ComputeEfficiency, group.Fitted.ComputeEfficiency, 2e-3);
            TestHelper.AssertRelativelyClose(stored.MemoryEfficiency, group.Fitted.MemoryEfficiency, 2e-3);
            TestHelper.AssertRelativelyClose(stored.LayerOverheadSeconds, group.Fitted.LayerOverheadSeconds, 2e-3);
            TestHelper.AssertRelativelyClose(stored.TrainingEfficiency, group.Fitted.TrainingEfficiency, 2e-3);
            Assert.StartsWith("fitted to", stored.Source, StringComparison.Ordinal);
        }

        // The fit improves on the priors it starts from.
        Assert.True(CalibrationSummary.Of(fit.After).MedianAbsoluteError < CalibrationSummary.Of(fit.Before).MedianAbsoluteError);
    }

    [Fact]
    public void The_fit_recovers_efficiencies_that_generated_the_measurements()
    {
        // Measurements made by a known engine (η_c 0.3, η_m 0.6, τ_layer 40 µs on datacenter GPUs): a fit from the priors
        // must predict them again within a few per cent.
        var truth = RuntimeCatalog.BuiltIn.Get("vllm") with
        {
            Efficiencies = RuntimeCatalog.BuiltIn.Get("vllm").Efficiencies.SetItem(DeviceClass.DatacenterGpu, RuntimeEfficiency.Prior(DeviceClass.DatacenterGpu) with { ComputeEfficiency = 0.3, MemoryEfficiency = 0.6, LayerOverheadSeconds = 40e-6 }),
        };
        var truthCatalog = RuntimeCatalog.BuiltIn.With([truth]);
        var shapes = new (string Model, int Batch, int Input, int Generated, CalibrationMetric Metric)[]
        {
            ("meta-llama/Llama-2-7b-hf", 1, 1, 128, CalibrationMetric.DecodeTokensPerSecond),
            ("meta-llama/Llama-2-13b-hf", 1, 1, 128, CalibrationMetric.DecodeTokensPerSecond),
            ("meta-llama/Llama-2-7b-hf", 1, 2048, 1, CalibrationMetric.TimeToFirstTokenMilliseconds),
            ("meta-llama/Llama-2-7b-hf", 64, 512, 128, CalibrationMetric.OutputTokensPerSecond),
            ("meta-llama/Meta-Llama-3-8B", 8, 1024, 256, CalibrationMetric.OutputTokensPerSecond),
            ("meta-llama/Meta-Llama-3-8B", 1, 4096, 1, CalibrationMetric.TimeToFirstTokenMilliseconds),
        };
        var points = shapes.SelectMany((s, i) => new[] { "nvidia-a100-80gb-sxm", "nvidia-h100-sxm-80gb" }.Select(device =>
        {
            var point = new CalibrationPoint
            {
                Id = $"synthetic-{i}-{device}", Model = s.Model, Device = device, Runtime = "vllm", Precision = NumericPrecision.Fp16, Metric = s.Metric,
                Value = 1, Batch = s.Batch, InputTokens = s.Input, GeneratedTokens = s.Generated, Source = "synthetic/test",
            };
            return point with { Value = Calibrator.Predict(point, ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, truthCatalog).Predicted!.Value };
        })).ToList();
        var fit = Calibrator.Fit(points, ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, RuntimeCatalog.BuiltIn, new CalibrationOptions { PriorWeight = 0 });
        var after = CalibrationSummary.Of(fit.After);
        Assert.True(after.MedianAbsoluteError < 0.02, $"median |error| {after.MedianAbsoluteError:P2}");
        Assert.True(CalibrationSummary.Of(fit.Before).MedianAbsoluteError > 0.1);
    }

    [Theory]
    [InlineData("""{"points":[{"id":"a","model":"gpt2","device":"nvidia-t4","runtime":"pytorch","precision":"fp16","metric":"latency-s","value":1,"source":"x/y"}]}""", "$.points[0].metric")]
    [InlineData("""{"points":[{"id":"a","model":"gpt2","device":"nvidia-t4","runtime":"pytorch","precision":"fp16","metric":"latency-ms","value":-1,"source":"x/y"}]}""", "$.points")]
    [InlineData("""{"points":[{"id":"a","model":"gpt2","device":"nvidia-t4","runtime":"pytorch","precision":"fp16","metric":"latency-ms","value":1}]}""", "$.points[0].source")]
    [InlineData("""{"points":[{"id":"a","model":"gpt2","device":"nvidia-t4","runtime":"pytorch","precision":"fp16","metric":"latency-ms","value":1,"source":"x/y","layout":"ring"}]}""", "$.points[0].layout")]
    public void Bad_calibration_JSON_names_the_point_and_field(string json, string path)
    {
        var error = Assert.Throws<ModelImportException>(() => CalibrationSet.FromJson(json, "test"));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_point_the_runtime_cannot_run_is_reported_not_thrown()
    {
        var point = new CalibrationPoint
        {
            Id = "q4-on-vllm", Model = "meta-llama/Llama-2-7b-hf", Device = "nvidia-a100-80gb-sxm", Runtime = "vllm", Precision = NumericPrecision.GgufQ4KM,
            Metric = CalibrationMetric.DecodeTokensPerSecond, Value = 100, GeneratedTokens = 128, Source = "synthetic/test",
        };
        var outcome = Calibrator.Predict(point, ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn, RuntimeCatalog.BuiltIn);
        Assert.Null(outcome.Predicted);
        Assert.Contains("does not run q4_k_m", outcome.Problem, StringComparison.Ordinal);
    }
}
