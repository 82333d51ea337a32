using System.Text.Json;
using ModelSelection.Tests.Safetensors;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary><c>modelselect models</c> and <c>modelselect estimate</c>: real output validated against the JSON contract.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Models_Json_MatchesTheCatalogSchemaAndListsEveryModelWithScores()
    {
        var (exitCode, output, error) = await RunAsync("models", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("catalog.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var models = document.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(ModelSelection.Catalog.ModelCatalog.BuiltIn.Models.Length, models.Count);
        Assert.True(models.Count >= 62, $"{models.Count} models");
        var mixtral = models.Single(m => m.GetProperty("id").GetString() == "mistralai/Mixtral-8x7B-v0.1");
        Assert.Equal(46_702_792_704L, mixtral.GetProperty("parameters").GetInt64());
        Assert.Equal(12_879_925_248L, mixtral.GetProperty("activeParameters").GetInt64());
        Assert.Equal(70.6, mixtral.GetProperty("qualityScores").GetProperty("mmlu-5shot").GetDouble());
        Assert.Contains(mixtral.GetProperty("sources").EnumerateArray(), s => s.GetString()!.Contains("Mixtral of Experts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_Text_ShowsTheTable()
    {
        var (exitCode, output, _) = await RunAsync("models");
        Assert.Equal(0, exitCode);
        Assert.Contains("distilbert-base-uncased", output);
        Assert.Contains("66,362,880", output);
        Assert.Contains($"{ModelSelection.Catalog.ModelCatalog.BuiltIn.Models.Length} models.", output);
    }

    [Theory]
    [InlineData("bert-base-uncased", 109_482_240L, "bert")]
    [InlineData("t5-small", 60_506_624L, "t5")]
    [InlineData("microsoft/phi-2", 2_779_683_840L, "phi")]
    public async Task Estimate_CatalogModel_Json_MatchesTheEstimateSchema(string id, long parameters, string family)
    {
        var (exitCode, output, error) = await RunAsync("estimate", "--model", id, "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(parameters, document.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(family, document.RootElement.GetProperty("family").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("activeParameters").ValueKind);
        Assert.StartsWith("Unique trainable parameters", document.RootElement.GetProperty("countingConvention").GetString());
    }

    [Fact]
    public async Task Estimate_HfConfig_ReadsTheFile()
    {
        var (exitCode, output, _) = await RunAsync("estimate", "--hf-config", SharedFiles.PublicConfig("llama-2-7b-hf.config.json"), "--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(6_738_415_616L, document.RootElement.GetProperty("parameters").GetInt64());
    }

    [Fact]
    public async Task Estimate_Safetensors_WithAndWithoutConfig()
    {
        // A one-layer GPT-2 (V 10, h 8, 4 positions) saved as safetensors beside its config: 1,000 parameters
        // (derivation in ModelCatalogTests.FromJson_GoodEntry_ImportsItsConfig); the tied lm_head is not stored.
        var path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllBytes(path, SafetensorsBuilder.File(
        [
            ("transformer.wte.weight", "F32", [10, 8]), ("transformer.wpe.weight", "F32", [4, 8]),
            ("transformer.h.0.ln_1.weight", "F32", [8]), ("transformer.h.0.ln_1.bias", "F32", [8]),
            ("transformer.h.0.attn.c_attn.weight", "F32", [8, 24]), ("transformer.h.0.attn.c_attn.bias", "F32", [24]),
            ("transformer.h.0.attn.c_proj.weight", "F32", [8, 8]), ("transformer.h.0.attn.c_proj.bias", "F32", [8]),
            ("transformer.h.0.ln_2.weight", "F32", [8]), ("transformer.h.0.ln_2.bias", "F32", [8]),
            ("transformer.h.0.mlp.c_fc.weight", "F32", [8, 32]), ("transformer.h.0.mlp.c_fc.bias", "F32", [32]),
            ("transformer.h.0.mlp.c_proj.weight", "F32", [32, 8]), ("transformer.h.0.mlp.c_proj.bias", "F32", [8]),
            ("transformer.ln_f.weight", "F32", [8]), ("transformer.ln_f.bias", "F32", [8]),
            ("transformer.h.0.attn.bias", "BOOL", [1, 1, 4, 4]),
        ]));

        var (bareExit, bare, _) = await RunAsync("estimate", "--safetensors", path, "--json");
        Assert.Equal(0, bareExit);
        ContractSchemas.AssertValid("estimate.schema.json", bare);
        using (var document = JsonDocument.Parse(bare))
        {
            Assert.Equal(1000L, document.RootElement.GetProperty("parameters").GetInt64());
            Assert.Equal(16L, document.RootElement.GetProperty("checkpoint").GetProperty("bufferElements").GetInt64());
        }

        await File.WriteAllTextAsync(Path.Combine(_folder, "config.json"), """{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1,"n_positions":4}""");
        var (exitCode, output, _) = await RunAsync("estimate", "--safetensors", _folder, "--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var withConfig = JsonDocument.Parse(output);
        Assert.Equal("gpt2", withConfig.RootElement.GetProperty("family").GetString());
        Assert.True(withConfig.RootElement.GetProperty("checkpoint").GetProperty("matchesConfig").GetBoolean());

        var (textExit, text, _) = await RunAsync("estimate", "--safetensors", path);
        Assert.Equal(0, textExit);
        Assert.Contains("the checkpoint's tensors add up to the config's count", text);
    }

    [Fact]
    public async Task Estimate_BadFiles_ExitTwoWithOneLine()
    {
        var broken = Path.Combine(_folder, "broken.safetensors");
        File.WriteAllBytes(broken, SafetensorsBuilder.Raw("{}", 0, declaredLength: 999_999_999));
        var (exitCode, output, error) = await RunAsync("estimate", "--safetensors", broken, "--json");
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal($"modelselect: {broken}: header length: expected at most 100000000 bytes; the file declares 999999999", error.Trim());

        var config = Path.Combine(_folder, "config.json");
        await File.WriteAllTextAsync(config, """{"model_type":"bart"}""");
        (exitCode, output, error) = await RunAsync("estimate", "--hf-config", config);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"modelselect: {config}: $.model_type: unsupported model_type \"bart\"", error.Trim());
        Assert.Single(error.Trim().Split('\n'));

        (exitCode, _, error) = await RunAsync("estimate", "--hf-config", Path.Combine(_folder, "absent.json"));
        Assert.Equal(2, exitCode);
        Assert.Contains("absent.json", error);

        (exitCode, _, error) = await RunAsync("estimate", "--model", "gpt2", "--hf-config", config);
        Assert.Equal(2, exitCode);
        Assert.Equal("modelselect: estimate needs exactly one of --model ID, --hf-config FILE, --safetensors FILE, --gguf FILE or --onnx FILE.", error.Trim());
    }
}

/// <summary><c>modelselect devices</c>: the catalog, one device, and the probe, validated against the JSON contract.</summary>
public class DevicesCommandTests
{
    [Fact]
    public async Task Devices_Json_MatchesTheCatalogSchema()
    {
        var (exitCode, output, error) = await RunAsync("devices", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("catalog.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var devices = document.RootElement.GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(ModelSelection.Catalog.DeviceCatalog.BuiltIn.Devices.Length, devices.Count);
        Assert.True(devices.Count >= 43, $"{devices.Count} devices");
        var a100 = devices.Single(d => d.GetProperty("id").GetString() == "nvidia-a100-80gb-sxm");
        Assert.Equal(85_899_345_920L, a100.GetProperty("memoryBytes").GetInt64());
        Assert.Equal(312e12, a100.GetProperty("peakFlops").GetProperty("fp16").GetDouble());
        Assert.Equal(JsonValueKind.Null, a100.GetProperty("peakFlops").GetProperty("fp8").ValueKind);
        Assert.Equal("datacenter-gpu", a100.GetProperty("class").GetString());
    }

    [Fact]
    public async Task Devices_Text_ShowsKeyFigures()
    {
        var (exitCode, output, _) = await RunAsync("devices");
        Assert.Equal(0, exitCode);
        Assert.Contains("raspberry-pi-4-4gb", output);
        Assert.Contains($"{ModelSelection.Catalog.DeviceCatalog.BuiltIn.Devices.Length} devices.", output);
        var (oneExit, one, _) = await RunAsync("devices", "--id", "nvidia-a10g");
        Assert.Equal(0, oneExit);
        Assert.Contains("estimated     PeakFlops: community values", one);
    }

    [Fact]
    public async Task Devices_Probe_Json_IsOneDeviceWithItsMeasurement_AndNoProgressWhenStderrIsNotATerminal()
    {
        var (exitCode, output, error) = await RunAsync("devices", "--probe", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error); // progress is for terminals only (a spinner); captured or redirected stderr stays clean
        ContractSchemas.AssertValid("catalog.schema.json", output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("local", document.RootElement.GetProperty("id").GetString());
        Assert.Contains("triad", document.RootElement.GetProperty("measurement").GetString());
    }

    [Fact]
    public async Task Devices_Probe_Refresh_MeasuresAgain_AndShowsItsMedians()
    {
        var (exitCode, output, error) = await RunAsync("devices", "--probe", "--refresh");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains("measured      ", output);
        Assert.Contains("median", output);
        Assert.DoesNotContain("Read from the probe cache", output); // --refresh never answers from the cache
    }

    [Fact]
    public async Task Devices_UnknownId_ExitsTwo()
    {
        var (exitCode, output, error) = await RunAsync("devices", "--id", "toaster");
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("modelselect: Unknown device id 'toaster'; known ids: ", error);
    }
}

/// <summary><c>modelselect estimate</c> with a workload and a device: the full estimate JSON of DESIGN.md §7.</summary>
public class EstimateWorkloadCommandTests
{
    [Theory]
    [InlineData(new[] { "estimate", "--model", "bert-base-uncased", "--new-tokens", "5" }, "modelselect: Model 'bert-base-uncased' is an encoder: it generates no tokens, so generated tokens must be 0; was 5.")]
    [InlineData(new[] { "estimate", "--model", "bert-base-uncased", "--seq", "100000" }, "modelselect: Model 'bert-base-uncased' has learned position embeddings for 512 tokens, so a sequence must be at most 512 tokens; was 100000 (input 100000 + generated 0).")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--seq", "1000", "--new-tokens", "100" }, "modelselect: Model 'gpt2' has learned position embeddings for 1024 tokens, so a sequence must be at most 1024 tokens; was 1100 (input 1000 + generated 100).")]
    public async Task Estimate_BeyondWhatTheModelCanRun_ExitsTwo(string[] args, string expected)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal(expected, error.Trim());
    }

    [Fact]
    public async Task Estimate_DecoderOnDevice_Json_HasMemoryFlopsAndPerformance()
    {
        var (exitCode, output, error) = await RunAsync("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--seq", "512", "--new-tokens", "128", "--device", "nvidia-a100-80gb-sxm", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var memory = root.GetProperty("memory");
        Assert.Equal(2 * 6_738_415_616L, memory.GetProperty("weightsBytes").GetInt64());
        Assert.Equal(524_288L * 640, memory.GetProperty("kvCacheBytes").GetInt64());
        Assert.Equal(memory.GetProperty("weightsBytes").GetInt64() + memory.GetProperty("kvCacheBytes").GetInt64() + memory.GetProperty("activationsBytes").GetInt64() + memory.GetProperty("overheadBytes").GetInt64(), memory.GetProperty("totalBytes").GetInt64());
        var performance = root.GetProperty("performance");
        Assert.True(performance.GetProperty("fits").GetBoolean());
        Assert.Equal("mixed", performance.GetProperty("bound").GetString());
        Assert.True(performance.GetProperty("timeToFirstTokenSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("flops").GetProperty("perGeneratedToken").GetDouble() > 0);
    }

    [Fact]
    public async Task Estimate_EncoderInt8OnPi_Text_SaysItFellBack()
    {
        var (exitCode, output, _) = await RunAsync("estimate", "--model", "distilbert-base-uncased", "--precision", "int8", "--device", "raspberry-pi-4-4gb");
        Assert.Equal(0, exitCode);
        Assert.Contains("computes in fp32 (fallback)", output);
        Assert.Contains("sequences/s", output);
    }

    [Fact]
    public async Task Estimate_Training_Json_HasGradientsAndOptimizerStates()
    {
        var (exitCode, output, _) = await RunAsync("estimate", "--model", "meta-llama/Llama-2-7b-hf", "--training", "--lora-rank", "16", "--qlora", "--seq", "1024", "--device", "nvidia-rtx-4090", "--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var memory = document.RootElement.GetProperty("memory");
        Assert.Equal(2 * 8_388_608L, memory.GetProperty("gradientsBytes").GetInt64());
        Assert.Equal(12 * 8_388_608L, memory.GetProperty("optimizerStatesBytes").GetInt64());
        Assert.True(document.RootElement.GetProperty("performance").GetProperty("fits").GetBoolean());
    }

    [Theory]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--device", "google-coral-edge-tpu" }, "modelselect: Device 'google-coral-edge-tpu' has no compute path for fp16 (computed in fp16) nor for any precision it falls back to.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--precision", "fp64" }, "modelselect: --precision: 'fp64' is not a known numeric precision; known: fp32, tf32, fp16, bf16, fp8-e4m3, fp8-e5m2, int8, int4, gptq-int4-g128, awq-int4-g128, nf4, nf4-dq, q4_0, q8_0, q4_k_m, q5_k_m, q6_k, q4_1, q5_0, q5_1, q2_k, q2_k_s, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q5_k_s, iq1_s, iq1_m, iq2_xxs, iq2_xs, iq2_s, iq2_m, iq3_xxs, iq3_xs, iq3_s, iq3_m, iq4_xs, iq4_nl.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--batch", "0" }, "modelselect: --batch must be between 1 and 1000000; was 0.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--training", "--new-tokens", "5" }, "modelselect: --new-tokens applies to inference; a --training step uses --batch and --seq.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--devices", "2", "--device", "apple-m2" }, "modelselect: Device 'apple-m2' has no interconnect bandwidth, so it cannot be estimated with 2 devices in tensor parallel.")]
    public async Task Estimate_BadWorkloads_ExitTwoWithOneLine(string[] args, string expected)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal(expected, error.Trim());
    }
}

/// <summary><c>modelselect select</c>: the decision JSON of shared/contract/select.schema.json and the exit codes.</summary>
public class SelectCommandTests
{
    [Fact]
    public async Task Select_Json_MatchesTheSchemaAndExplains()
    {
        var (exitCode, output, error) = await RunAsync("select", "--device", "nvidia-jetson-orin-nano-8gb", "--candidates", "meta-llama/Llama-2-13b-hf,meta-llama/Llama-2-7b-hf,microsoft/phi-2,Qwen/Qwen2-0.5B",
            "--benchmark", "mmlu-5shot", "--seq", "256", "--new-tokens", "64", "--precisions", "fp16,q4_k_m", "--max-tpot", "100ms", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("select.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var choice = root.GetProperty("choice");
        Assert.Equal("nvidia-jetson-orin-nano-8gb", choice.GetProperty("device").GetString());
        Assert.Contains(choice.GetProperty("model").GetString()!, root.GetProperty("explanation").GetString());
        var rejected = root.GetProperty("rejected").EnumerateArray().ToList();
        var thirteen = rejected.First(r => r.GetProperty("model").GetString() == "meta-llama/Llama-2-13b-hf" && r.GetProperty("precision").GetString() == "fp16");
        var memory = thirteen.GetProperty("reasons").EnumerateArray().First(r => r.GetProperty("code").GetString() == "ExceedsMemory");
        Assert.StartsWith("needs ", memory.GetProperty("message").GetString());
        Assert.True(memory.GetProperty("required").GetDouble() > memory.GetProperty("limit").GetDouble());
    }

    [Fact]
    public async Task Select_NothingFits_ExitsOneWithReasons_AndBestEffortFlagsTheNearest()
    {
        var (exitCode, output, _) = await RunAsync("select", "--device", "raspberry-pi-4-4gb", "--candidates", "meta-llama/Llama-2-70b-hf,meta-llama/Llama-2-13b-hf", "--json");
        Assert.Equal(1, exitCode);
        ContractSchemas.AssertValid("select.schema.json", output);
        using (var document = JsonDocument.Parse(output))
        {
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("choice").ValueKind);
            Assert.All(document.RootElement.GetProperty("rejected").EnumerateArray(), r => Assert.NotEmpty(r.GetProperty("reasons").EnumerateArray()));
        }

        var (bestExit, best, _) = await RunAsync("select", "--device", "raspberry-pi-4-4gb", "--candidates", "meta-llama/Llama-2-70b-hf,meta-llama/Llama-2-13b-hf", "--best-effort", "--json");
        Assert.Equal(0, bestExit);
        using var bestDocument = JsonDocument.Parse(best);
        Assert.True(bestDocument.RootElement.GetProperty("bestEffort").GetBoolean());
        Assert.Equal("meta-llama/Llama-2-13b-hf", bestDocument.RootElement.GetProperty("choice").GetProperty("model").GetString());
    }

    [Fact]
    public async Task Select_Profile_FromAppSettings()
    {
        var (exitCode, output, _) = await RunAsync("select", "--profile", "edge", "--candidates", "microsoft/phi-2,Qwen/Qwen2-0.5B");
        Assert.Equal(0, exitCode);
        Assert.Contains("nvidia-jetson-orin-nano-8gb", output);
    }

    [Theory]
    [InlineData(new[] { "select" }, "modelselect: select needs --device ID (or --profile NAME).")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--max-latency", "soon" }, "modelselect: --max-latency must be a duration such as 50ms or 2s; was 'soon'.")]
    [InlineData(new[] { "select", "--device", "toaster" }, "modelselect: Unknown device id 'toaster'; known ids: ")]
    [InlineData(new[] { "select", "--profile", "nope" }, "modelselect: Unknown selection profile 'nope'; configured: cloud, edge.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--benchmark", "mmlu" }, "modelselect: --benchmark: Unknown benchmark 'mmlu'; did you mean mmlu-5shot? Known: ")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--benchmark", "nope" }, "modelselect: --benchmark: Unknown benchmark 'nope'; known: glue-dev-no-wnli, ")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--benchmark", "glue" }, "modelselect: --benchmark: Benchmark 'glue' is retired: it mixed dev and test sets")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--task", "chat" }, "modelselect: --task must be one of embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling; was 'chat'.")]
    [InlineData(new[] { "select", "--device", "raspberry-pi-5-8gb", "--max-tpot", "100ms" }, "modelselect: --max-tpot limits the time per generated token, but nothing is generated: add --new-tokens N.")]
    [InlineData(new[] { "select", "--device", "raspberry-pi-5-8gb", "--min-quality", "50" }, "modelselect: --min-quality needs a benchmark to refer to: add --benchmark ID or --task NAME.")]
    public async Task Select_BadInput_ExitsTwo(string[] args, string expectedStart)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(expectedStart, error.Trim());
    }

    [Fact]
    public async Task Select_TextGeneration_RejectsEncodersWithTheirOwnCode_AndSaysWhatRanked()
    {
        var (exitCode, output, error) = await RunAsync("select", "--device", "nvidia-l4", "--new-tokens", "256", "--objective", "latency", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("select.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("text-generation", root.GetProperty("task").GetString());
        Assert.Equal("latency", root.GetProperty("rankedBy").GetString());
        Assert.Equal("mmlu-5shot", root.GetProperty("benchmark").GetString());
        var tinybert = root.GetProperty("rejected").EnumerateArray().First(r => r.GetProperty("model").GetString() == "huawei-noah/TinyBERT_General_4L_312D");
        var reason = Assert.Single(tinybert.GetProperty("reasons").EnumerateArray());
        Assert.Equal("UnsupportedTask", reason.GetProperty("code").GetString());
        Assert.Equal("huawei-noah/TinyBERT_General_4L_312D is an encoder that serves embedding, classification, extractive-qa, not text-generation", reason.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Select_LongPrompt_RejectsShortContextsWithBothNumbers()
    {
        var (exitCode, output, _) = await RunAsync("select", "--device", "nvidia-a100-80gb-sxm", "--candidates", "microsoft/Phi-3-mini-4k-instruct,Qwen/Qwen2-0.5B", "--seq", "32000", "--new-tokens", "256", "--json");
        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("Qwen/Qwen2-0.5B", document.RootElement.GetProperty("choice").GetProperty("model").GetString());
        var phi = Assert.Single(document.RootElement.GetProperty("rejected").EnumerateArray());
        var reason = Assert.Single(phi.GetProperty("reasons").EnumerateArray());
        Assert.Equal("ExceedsContext", reason.GetProperty("code").GetString());
        Assert.Equal(32256, reason.GetProperty("required").GetDouble());
        Assert.Equal(4096, reason.GetProperty("limit").GetDouble());
        Assert.Equal("needs 32256 tokens of context (32000 prompt + 256 generated); microsoft/Phi-3-mini-4k-instruct serves 4096", reason.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Select_Quantised_ShowsThePublishedScoreAndTheDelta()
    {
        var (exitCode, output, _) = await RunAsync("select", "--device", "nvidia-rtx-4090", "--candidates", "meta-llama/Llama-2-13b-hf", "--precisions", "fp16,int8,q4_k_m", "--new-tokens", "128", "--json");
        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var choice = document.RootElement.GetProperty("choice");
        Assert.Equal("int8", choice.GetProperty("precision").GetString());
        Assert.Equal(54.8, choice.GetProperty("publishedQuality").GetDouble());
        Assert.Equal(54.8 * 0.993, choice.GetProperty("quality").GetDouble(), 9);
        Assert.Contains("99.3 %", choice.GetProperty("qualityDeltaSource").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_Benchmarks_ListsTheRegistryWithDefaults()
    {
        var (exitCode, output, error) = await RunAsync("models", "--benchmarks", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        using var document = JsonDocument.Parse(output);
        var benchmarks = document.RootElement.GetProperty("benchmarks").EnumerateArray().ToList();
        var ppl = benchmarks.Single(b => b.GetProperty("id").GetString() == "wikitext103-test-ppl");
        Assert.False(ppl.GetProperty("higherIsBetter").GetBoolean());
        Assert.Equal("language-modeling", ppl.GetProperty("task").GetString());
        Assert.Equal(5, ppl.GetProperty("scoredModels").GetInt32()); // 4 GPT-2 sizes and Transformer-XL
        Assert.Equal("glue-test", document.RootElement.GetProperty("defaults").GetProperty("classification").GetString());

        var (textExit, text, _) = await RunAsync("models", "--benchmarks");
        Assert.Equal(0, textExit);
        Assert.Contains("Defaults: embedding → mteb-en-v1, classification → glue-test", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_Json_CarriesTasksContextAndRelatedCheckpoints()
    {
        var (exitCode, output, _) = await RunAsync("models", "--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("catalog.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var models = document.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(["embedding", "classification", "extractive-qa"], models["bert-base-uncased"].GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(512, models["bert-base-uncased"].GetProperty("contextLength").GetInt32());
        Assert.Equal(0, models["transfo-xl/transfo-xl-wt103"].GetProperty("contextLength").GetInt32());
        Assert.StartsWith("TinyBERT4 after task-specific distillation", models["huawei-noah/TinyBERT_General_4L_312D"].GetProperty("qualityScoreCheckpoints").GetProperty("glue-test").GetString(), StringComparison.Ordinal);
    }
}
