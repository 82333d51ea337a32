using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Runtimes;

/// <summary>Memory as engines allocate it, and multi-device layouts: each expectation derived by hand from the engines' documentation and the model's config.</summary>
public class RuntimeMemoryAndLayoutTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);
    private static readonly RuntimeCatalog Runtimes = RuntimeCatalog.BuiltIn;

    [Fact]
    public void Engines_that_slice_logits_keep_one_row_while_generating_exported_ONNX_keeps_every_prompt_position()
    {
        // Llama-3-8B (vocabulary 128,256), 16 prompts of 3,000 tokens: fp16 logits of every position take
        // 16 × 3000 × 128256 × 2 B = 12.3 GB; the last position's only 16 × 128256 × 2 B = 4.1 MB.
        var model = ModelCatalog.BuiltIn.Get("meta-llama/Meta-Llama-3-8B");
        var l4 = DeviceCatalog.BuiltIn.Get("nvidia-l4");
        var w = new InferenceWorkload { Batch = 16, InputTokens = 3000, GeneratedTokens = 128 };
        var vllm = ModelEstimator.EstimateMemory(model, w, l4, Runtimes.Get("vllm"));
        var onnx = ModelEstimator.EstimateMemory(model, w, l4, Runtimes.Get("onnxruntime-cuda"));
        Assert.True(onnx.ActivationsBytes >= 16.0 * 3000 * 128256 * 2);
        Assert.True(vllm.ActivationsBytes < 2e9, $"{vllm.ActivationsBytes:N0} B");
    }

    [Fact]
    public void vLLM_allocates_the_KV_cache_in_blocks_of_16_tokens_and_uses_90_percent_of_the_memory()
    {
        // Llama-2-7B: 32 layers × 32 KV heads × 128 × 2 (K and V) × 2 B = 524,288 B per token; 1,001 tokens round up to 1,008.
        var model = ModelCatalog.BuiltIn.Get("meta-llama/Llama-2-7b-hf");
        var a100 = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm");
        var w = new InferenceWorkload { Batch = 1, InputTokens = 1000, GeneratedTokens = 1 };
        Assert.Equal(524_288L * 1008, ModelEstimator.EstimateMemory(model, w, a100, Runtimes.Get("vllm")).KvCacheBytes);
        Assert.Equal(524_288L * 1001, ModelEstimator.EstimateMemory(model, w, a100, Runtimes.Get("tensorrt-llm")).KvCacheBytes);
        var p = ModelEstimator.EstimatePerformance(model, w, a100, Runtimes.Get("vllm"));
        var memory = ModelEstimator.EstimateMemory(model, w, a100, Runtimes.Get("vllm"));
        Assert.Equal((long)Math.Floor(a100.MemoryBytes * 0.9) - memory.TotalBytes, p.FreeBytes);
    }

    [Fact]
    public void Pipeline_stages_hold_their_share_of_the_layers_and_do_not_cut_a_single_requests_latency()
    {
        var model = ModelCatalog.BuiltIn.Get("meta-llama/Llama-2-70b-hf");
        var h100 = DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb");
        var vllm = Runtimes.Get("vllm");
        var w = new InferenceWorkload { Batch = 1, InputTokens = 512, GeneratedTokens = 64 };
        var single = ModelEstimator.EstimateMemory(model, w, h100, vllm);
        var piped = ModelEstimator.EstimateMemory(model, w with { Devices = 4, Layout = DeviceLayout.PipelineParallel }, h100, vllm);
        Assert.Equal((single.WeightsBytes + 3) / 4, piped.WeightsBytes);
        Assert.Equal(single.KvCacheBytes * 20 / 80, piped.KvCacheBytes);

        // One request goes through the stages one after another: no faster than the weights read once at full bandwidth.
        var pp = ModelEstimator.EstimatePerformance(model, w with { Devices = 4, Layout = DeviceLayout.PipelineParallel }, h100, vllm);
        var tp = ModelEstimator.EstimatePerformance(model, w with { Devices = 4, Layout = DeviceLayout.TensorParallel }, h100, vllm);
        Assert.True(pp.TimePerOutputTokenSeconds >= single.WeightsBytes / h100.MemoryBandwidthBytesPerSecond);
        Assert.True(tp.TimePerOutputTokenSeconds < pp.TimePerOutputTokenSeconds, "tensor parallel reads a quarter of the weights per device per token");
        Assert.Equal(0.75, pp.PipelineBubbleFraction, 12); // 1 micro-batch, 4 stages: (4 − 1) ÷ (1 + 4 − 1)
    }

    [Fact]
    public void A_throughput_target_on_eight_GPUs_takes_replicas_a_latency_target_takes_tensor_parallel()
    {
        // Serving 8B at batch 32: one H100 decodes a few thousand tokens/s; 8 copies give 8×, splitting one copy 8 ways
        // gives far less (each GPU still reads the KV cache and all-reduces twice per layer).
        var request = new SelectionRequest
        {
            CandidateIds = ["meta-llama/Meta-Llama-3-8B"],
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Workload = new InferenceWorkload { Batch = 32, InputTokens = 512, GeneratedTokens = 256 },
            Objective = SelectionObjective.Cost,
            Constraints = new SelectionConstraints { MaxDeviceCount = 8 },
        };
        var single = Selector.Select(request).Choice!.Performance!.Value.ThroughputPerSecond;
        var result = Selector.Select(request with { Constraints = request.Constraints with { MinThroughputPerSecond = single * 5 } });
        var choice = result.Choice ?? throw new Xunit.Sdk.XunitException(result.Explanation);
        Assert.Equal(DeviceLayout.Replicas, choice.Layout);
        Assert.Equal(8, choice.DeviceCount);
        Assert.True(choice.Performance!.Value.ThroughputPerSecond >= single * 5);
        Assert.Contains("×8 replicas via vllm", choice.Key, StringComparison.Ordinal);

        // 70B within 25 ms per token at batch 1 needs the weights split: tensor parallel.
        var latency = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-2-70b-hf"],
            DeviceIds = ["nvidia-h100-sxm-80gb"],
            Workload = new InferenceWorkload { Batch = 1, InputTokens = 512, GeneratedTokens = 128 },
            Constraints = new SelectionConstraints { MaxDeviceCount = 8, MaxTimePerOutputToken = TimeSpan.FromSeconds(0.025) },
        });
        var fast = latency.Choice ?? throw new Xunit.Sdk.XunitException(latency.Explanation);
        Assert.Equal(DeviceLayout.TensorParallel, fast.Layout);
        Assert.True(fast.Performance!.Value.TimePerOutputTokenSeconds <= 0.025);
    }

    [Fact]
    public void A_format_the_runtime_cannot_run_is_rejected_with_its_own_code()
    {
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["meta-llama/Llama-2-7b-hf"],
            DeviceIds = ["nvidia-a100-80gb-sxm"],
            RuntimeIds = ["vllm", "llama.cpp"],
            Precisions = [NumericPrecision.GgufQ4KM, NumericPrecision.Parse("awq", null)],
            Workload = new InferenceWorkload { InputTokens = 128, GeneratedTokens = 16 },
        });
        var rejected = result.Rejected.Single(r => r.Candidate.Runtime!.Id == "vllm" && r.Candidate.Precision == NumericPrecision.GgufQ4KM);
        Assert.Equal(RejectionCode.UnsupportedFormat, Assert.Single(rejected.Reasons).Code);
        Assert.Contains("vllm does not run q4_k_m", rejected.Reasons[0].Message, StringComparison.Ordinal);
        var awq = result.Rejected.Single(r => r.Candidate.Runtime!.Id == "llama.cpp" && r.Candidate.Precision.Name == "awq-int4-g128");
        Assert.Equal(RejectionCode.UnsupportedFormat, awq.Reasons[0].Code);
        Assert.All(result.Ranked, c => Assert.True(c.Runtime!.Runs(c.Precision)));
        Assert.Equal(2, result.Ranked.Count);
    }

    [Fact]
    public void A_runtime_that_does_not_run_on_the_device_is_rejected_as_unsupported()
    {
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["bert-base-uncased"],
            DeviceIds = ["apple-m2"],
            RuntimeIds = ["tensorrt"],
        });
        var reason = Assert.Single(Assert.Single(result.Rejected).Reasons);
        Assert.Equal(RejectionCode.UnsupportedRuntime, reason.Code);
        Assert.Contains("tensorrt runs on", reason.Message, StringComparison.Ordinal);
        Assert.Null(result.Choice);
    }

    [Fact]
    public void An_unknown_runtime_id_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Selector.Select(new SelectionRequest { DeviceIds = ["nvidia-t4"], RuntimeIds = ["tensorrtllm"] }));
        Assert.StartsWith("RuntimeIds: Unknown runtime id 'tensorrtllm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensorrt-llm", error.Message, StringComparison.Ordinal);
    }
}
