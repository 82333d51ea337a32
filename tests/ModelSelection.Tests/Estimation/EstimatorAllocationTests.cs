using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Estimation;

/// <summary>The estimate the selector makes for every candidate allocates nothing, under every runtime (the hot-path target is 0 B).</summary>
public class EstimatorAllocationTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        string[] devices = ["nvidia-a100-80gb-sxm", "nvidia-rtx-4090", "apple-m3-max-40c", "raspberry-pi-5-8gb", "nvidia-jetson-orin-nano-8gb", "apple-a17-pro", "amd-ryzen-ai-9-hx-370-cpu"];
        string[] models = ["meta-llama/Llama-2-7b-hf", "bert-base-uncased"];
        string[] formats = ["fp16", "int8", "q4_k_m"];
        foreach (var runtime in RuntimeCatalog.BuiltIn.Runtimes)
        {
            foreach (var deviceId in devices)
            {
                foreach (var modelId in models)
                {
                    foreach (var format in formats)
                    {
                        var device = DeviceCatalog.BuiltIn.Get(deviceId);
                        var model = ModelCatalog.BuiltIn.Get(modelId);
                        var workload = Workload(modelId, format);
                        if (ModelEstimator.RuntimeMismatch(runtime, model, workload, device) is null && device.PeakFlops.Resolve(runtime.ComputeFormat(workload.WeightPrecision, device.Class)) is not null)
                        {
                            data.Add(runtime.Id, deviceId, modelId + "@" + format);
                        }
                    }
                }
            }
        }

        return data;
    }

    private static InferenceWorkload Workload(string modelId, string format) => new()
    {
        InputTokens = 256,
        GeneratedTokens = modelId.StartsWith("bert", StringComparison.Ordinal) ? 0 : 64,
        WeightPrecision = NumericPrecision.Parse(format, System.Globalization.CultureInfo.InvariantCulture),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EstimatePerformance_UnderARuntime_AllocatesNothing(string runtimeId, string deviceId, string modelAtFormat)
    {
        var runtime = RuntimeCatalog.BuiltIn.Get(runtimeId);
        var device = DeviceCatalog.BuiltIn.Get(deviceId);
        var (modelId, format) = (modelAtFormat[..modelAtFormat.IndexOf('@', StringComparison.Ordinal)], modelAtFormat[(modelAtFormat.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        var model = ModelCatalog.BuiltIn.Get(modelId);
        var workload = Workload(modelId, format);
        ModelEstimator.EstimatePerformance(model, workload, device, runtime); // first use computes the model's per-format weight bytes once

        var before = GC.GetAllocatedBytesForCurrentThread();
        var estimate = ModelEstimator.EstimatePerformance(model, workload, device, runtime);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(estimate.LatencySeconds > 0);
        Assert.Equal(0, allocated);
    }
}
