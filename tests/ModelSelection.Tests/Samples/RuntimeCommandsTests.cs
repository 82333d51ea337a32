using System.Text.Json;

namespace ModelSelection.Tests.Samples;

/// <summary>The console's runtime surface: <c>runtimes</c>, <c>accuracy</c>, <c>estimate --runtime/--layout</c>, <c>select --runtimes/--layouts</c>.</summary>
public class RuntimeCommandsTests
{
    [Fact]
    public async Task Runtimes_lists_the_engines_with_their_defaults()
    {
        var (exitCode, output, _) = await Cli.RunAsync("runtimes", "--json");
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.GetProperty("runtimes").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("vllm", ids);
        Assert.Contains("llama.cpp", ids);
        Assert.Equal("vllm", json.RootElement.GetProperty("defaults").GetProperty("datacenter-gpu").GetProperty("decoder").GetString());
    }

    [Fact]
    public async Task Runtimes_shows_one_engine_and_refuses_an_unknown_one()
    {
        var (exitCode, output, _) = await Cli.RunAsync("runtimes", "--id", "llama.cpp");
        Assert.Equal(0, exitCode);
        Assert.Contains("q4_k_m", output, StringComparison.Ordinal);
        Assert.Contains("apple-soc", output, StringComparison.Ordinal);
        var (bad, _, error) = await Cli.RunAsync("runtimes", "--id", "llamacpp");
        Assert.Equal(2, bad);
        Assert.Contains("llama.cpp", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_names_the_runtime_it_assumed_and_takes_another()
    {
        var (exitCode, output, _) = await Cli.RunAsync("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "nvidia-a100-80gb-sxm", "--new-tokens", "64", "--json");
        Assert.Equal(0, exitCode);
        using var byDefault = JsonDocument.Parse(output);
        Assert.Equal("vllm", byDefault.RootElement.GetProperty("performance").GetProperty("runtime").GetString());
        var vllmTpot = byDefault.RootElement.GetProperty("performance").GetProperty("timePerOutputTokenSeconds").GetDouble();

        var (_, roofline, _) = await Cli.RunAsync("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "nvidia-a100-80gb-sxm", "--new-tokens", "64", "--runtime", "none", "--json");
        using var plain = JsonDocument.Parse(roofline);
        Assert.Equal(JsonValueKind.Null, plain.RootElement.GetProperty("performance").GetProperty("runtime").ValueKind);

        var (_, eager, _) = await Cli.RunAsync("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "nvidia-a100-80gb-sxm", "--new-tokens", "64", "--runtime", "pytorch", "--json");
        using var torch = JsonDocument.Parse(eager);
        Assert.True(torch.RootElement.GetProperty("performance").GetProperty("timePerOutputTokenSeconds").GetDouble() > vllmTpot, "eager PyTorch decodes slower than vLLM");
    }

    [Theory]
    [InlineData(new[] { "estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "nvidia-a100-80gb-sxm", "--runtime", "vlm" }, "Unknown runtime id 'vlm'")]
    [InlineData(new[] { "estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "apple-m2", "--runtime", "vllm" }, "vllm runs on")]
    [InlineData(new[] { "estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "nvidia-a100-80gb-sxm", "--precision", "q4_k_m", "--runtime", "vllm" }, "vllm does not run q4_k_m")]
    [InlineData(new[] { "estimate", "--model", "meta-llama/Llama-2-7b-hf", "--runtime", "vllm" }, "--runtime only applies with --device (a runtime's efficiencies are per device class); add --device or remove --runtime.")]
    [InlineData(new[] { "estimate", "--model", "meta-llama/Llama-2-7b-hf", "--device", "nvidia-a100-80gb-sxm", "--devices", "2", "--layout", "ring" }, "--layout must be one of")]
    [InlineData(new[] { "select", "--device", "nvidia-a100-80gb-sxm", "--devices", "2", "--layouts", "tp,ring" }, "--layouts: 'ring' is not a layout")]
    [InlineData(new[] { "select", "--device", "nvidia-a100-80gb-sxm", "--runtimes", "vlm" }, "RuntimeIds: Unknown runtime id 'vlm'")]
    [InlineData(new[] { "accuracy", "--leave-one-out" }, "--leave-one-out only applies with --fit (there is nothing to leave out without a fit); add --fit or remove --leave-one-out.")]
    public async Task Bad_runtime_options_exit_two_with_one_line(string[] args, string expected)
    {
        var (exitCode, _, error) = await Cli.RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Estimate_splits_a_model_across_a_pipeline()
    {
        var (exitCode, output, _) = await Cli.RunAsync("estimate", "--model", "meta-llama/Llama-2-70b-hf", "--device", "nvidia-h100-sxm-80gb", "--devices", "4", "--layout", "pp", "--new-tokens", "16", "--json");
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("pipeline-parallel", json.RootElement.GetProperty("performance").GetProperty("layout").GetString());
        Assert.Equal("pipeline-parallel", json.RootElement.GetProperty("workload").GetProperty("layout").GetString());
        Assert.True(json.RootElement.GetProperty("performance").GetProperty("pipelineBubbleFraction").GetDouble() > 0);
    }

    [Fact]
    public async Task Select_tries_the_runtimes_asked_for_and_reports_each_candidates_runtime()
    {
        var (exitCode, output, _) = await Cli.RunAsync("select", "--device", "nvidia-a100-80gb-sxm", "--candidates", "meta-llama/Llama-2-7b-hf", "--runtimes", "vllm,tensorrt-llm,pytorch", "--new-tokens", "64", "--json");
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var runtimes = json.RootElement.GetProperty("ranked").EnumerateArray().Select(c => c.GetProperty("runtime").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["pytorch", "tensorrt-llm", "vllm"], runtimes);
        Assert.NotEqual("pytorch", json.RootElement.GetProperty("choice").GetProperty("runtime").GetString());
    }

    [Fact]
    public async Task Accuracy_reports_the_summary_and_every_point()
    {
        var (exitCode, output, _) = await Cli.RunAsync("accuracy", "--json");
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var summary = json.RootElement.GetProperty("summary");
        Assert.True(summary.GetProperty("points").GetInt32() >= 40);
        Assert.True(summary.GetProperty("medianAbsoluteError").GetDouble() <= 0.2);
        Assert.All(json.RootElement.GetProperty("points").EnumerateArray(), p => Assert.True(p.GetProperty("predicted").GetDouble() > 0));
    }
}
