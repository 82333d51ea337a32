using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Models;
using ModelSelection.Runtimes;

namespace ModelSelection.Tests.Runtimes;

/// <summary>The built-in runtime catalog: its ids (a public contract), the facts each engine's documentation states, its defaults, JSON and configuration.</summary>
public class RuntimeCatalogTests
{
    private static readonly RuntimeCatalog Catalog = RuntimeCatalog.BuiltIn;

    [Fact]
    public void The_ids_are_the_published_contract()
    {
        string[] expected =
        [
            "tensorrt", "tensorrt-llm", "vllm", "llama.cpp", "onnxruntime", "onnxruntime-cuda", "onnxruntime-directml", "onnxruntime-coreml",
            "onnxruntime-qnn", "pytorch", "pytorch-compile", "coreml", "litert", "mlc-llm",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Catalog.Runtimes.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GGUF_formats_run_only_on_llama_cpp_and_AWQ_GPTQ_only_on_the_engines_that_load_them()
    {
        // llama.cpp's quantize README lists the GGUF types; vLLM, TensorRT-LLM and transformers document AWQ and GPTQ.
        NumericPrecision[] gguf = [NumericPrecision.Parse("q4_0", null), NumericPrecision.Parse("q8_0", null), NumericPrecision.GgufQ4KM, NumericPrecision.GgufQ5KM, NumericPrecision.GgufQ6K];
        foreach (var format in gguf)
        {
            Assert.Equal(["llama.cpp"], Catalog.Runtimes.Where(r => r.Runs(format)).Select(r => r.Id));
        }

        foreach (var format in new[] { NumericPrecision.Parse("awq", null), NumericPrecision.Parse("gptq", null) })
        {
            Assert.Equal(["pytorch", "tensorrt-llm", "vllm"], Catalog.Runtimes.Where(r => r.Runs(format)).Select(r => r.Id).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void CUDA_engines_run_only_on_NVIDIA_and_Core_ML_only_on_Apple()
    {
        foreach (var id in new[] { "tensorrt", "tensorrt-llm", "vllm", "onnxruntime-cuda" })
        {
            var runtime = Catalog.Get(id);
            Assert.All(DeviceCatalog.BuiltIn.Devices.Where(runtime.RunsOn), d => Assert.Equal("nvidia", d.Vendor));
            Assert.False(runtime.RunsOn(DeviceCatalog.BuiltIn.Get("amd-radeon-890m")));
        }

        Assert.All(DeviceCatalog.BuiltIn.Devices.Where(Catalog.Get("coreml").RunsOn), d => Assert.Equal("apple", d.Vendor));
    }

    [Fact]
    public void Every_device_has_a_default_runtime_for_every_kind_that_runs_there()
    {
        foreach (var device in DeviceCatalog.BuiltIn.Devices)
        {
            foreach (var kind in new[] { ModelKind.Encoder, ModelKind.Decoder, ModelKind.EncoderDecoder })
            {
                var runtime = Catalog.DefaultFor(device, kind);
                Assert.NotNull(runtime);
                Assert.True(runtime.RunsOn(device), $"{runtime.Id} on {device.Id}");
            }
        }

        // Documented defaults: vLLM for decoders and TensorRT for encoders on datacenter GPUs, llama.cpp on laptops, Core ML for encoders on iPhones.
        Assert.Equal("vllm", Catalog.DefaultFor(DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb"), ModelKind.Decoder)!.Id);
        Assert.Equal("tensorrt", Catalog.DefaultFor(DeviceCatalog.BuiltIn.Get("nvidia-t4"), ModelKind.Encoder)!.Id);
        Assert.Equal("llama.cpp", Catalog.DefaultFor(DeviceCatalog.BuiltIn.Get("apple-m3-max-40c"), ModelKind.Decoder)!.Id);
        Assert.Equal("coreml", Catalog.DefaultFor(DeviceCatalog.BuiltIn.Get("apple-a17-pro"), ModelKind.Encoder)!.Id);
        Assert.Equal("litert", Catalog.DefaultFor(DeviceCatalog.BuiltIn.Get("qualcomm-snapdragon-8-gen-3"), ModelKind.Encoder)!.Id);
    }

    [Fact]
    public void A_default_that_cannot_run_the_format_gives_way_to_one_that_can()
    {
        // AWQ on an H100: vLLM runs it. Q4_K_M on an H100: only llama.cpp does.
        var h100 = DeviceCatalog.BuiltIn.Get("nvidia-h100-sxm-80gb");
        Assert.Equal("vllm", Catalog.DefaultFor(h100, ModelKind.Decoder, NumericPrecision.Parse("awq", null))!.Id);
        Assert.Equal("llama.cpp", Catalog.DefaultFor(h100, ModelKind.Decoder, NumericPrecision.GgufQ4KM)!.Id);
    }

    [Fact]
    public void Every_runtime_states_its_sources_formats_and_efficiencies()
    {
        Assert.All(Catalog.Runtimes, r =>
        {
            Assert.NotEmpty(r.Sources);
            Assert.NotEmpty(r.Formats);
            Assert.NotEmpty(r.Efficiencies);
            Assert.All(r.Efficiencies.Values, e => Assert.False(string.IsNullOrWhiteSpace(e.Source)));
        });
    }

    [Fact]
    public void The_catalog_round_trips_through_its_JSON()
    {
        var again = RuntimeCatalog.FromJson(Catalog.ToJson(), "round trip");
        Assert.Equal(Catalog.Runtimes.Select(r => r.Id), again.Runtimes.Select(r => r.Id));
        Assert.Equal(Catalog.Defaults.OrderBy(d => d.Key), again.Defaults.OrderBy(d => d.Key));
        Assert.Equal(Catalog.VendorDefaults.OrderBy(d => d.Key.ToString()), again.VendorDefaults.OrderBy(d => d.Key.ToString()));
        foreach (var r in Catalog.Runtimes)
        {
            var s = again.Get(r.Id);
            Assert.Equal(r.Formats.Select(f => f.Name), s.Formats.Select(f => f.Name));
            Assert.Equal(r.Efficiencies.Keys.Order(), s.Efficiencies.Keys.Order());
            foreach (var (deviceClass, e) in r.Efficiencies)
            {
                TestHelper.AssertRelativelyClose(e.ComputeEfficiency, s.Efficiencies[deviceClass].ComputeEfficiency, 1e-3);
                TestHelper.AssertRelativelyClose(e.MemoryEfficiency, s.Efficiencies[deviceClass].MemoryEfficiency, 1e-3);
            }
        }
    }

    [Fact]
    public void An_unknown_id_suggests_the_nearest()
    {
        var error = Assert.Throws<ArgumentException>(() => Catalog.Get("vlm"));
        Assert.Contains("vllm", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"runtimes":[{"id":"x","formats":["fp16"],"efficiencies":{"gpu":{}}}]}""", "$.runtimes[0].efficiencies.gpu")]
    [InlineData("""{"runtimes":[{"id":"x","formats":["fp17"],"efficiencies":{"server-cpu":{}}}]}""", "$.runtimes[0].formats[0]")]
    [InlineData("""{"runtimes":[{"id":"x","formats":["fp16"],"efficiencies":{"server-cpu":{"computeEfficiency":2.5}}}]}""", "$.runtimes[0].efficiencies.server-cpu")]
    [InlineData("""{"runtimes":[{"id":"x","formats":["fp16"],"efficiencies":{"server-cpu":{}}}],"defaults":{"server-cpu":{"decoder":"y"}}}""", "$")]
    public void Bad_catalog_JSON_names_the_entry_and_field(string json, string path)
    {
        var error = Assert.Throws<ModelImportException>(() => RuntimeCatalog.FromJson(json, "test"));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_overrides_a_built_in_runtime_and_adds_one_based_on_another()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ModelSelection:Runtimes:0:Id"] = "vllm",
            ["ModelSelection:Runtimes:0:MaxMemoryFraction"] = "0.8",
            ["ModelSelection:Runtimes:0:Efficiencies:datacenter-gpu:MemoryEfficiency"] = "0.5",
            ["ModelSelection:Runtimes:1:Id"] = "llama.cpp-local",
            ["ModelSelection:Runtimes:1:BasedOn"] = "llama.cpp",
            ["ModelSelection:Runtimes:1:Efficiencies:server-cpu:ComputeEfficiency"] = "0.9",
        }).Build();
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var selector = (ModelSelector)provider.GetRequiredService<IModelSelector>();
        var vllm = selector.Runtimes.Get("vllm");
        Assert.Equal(0.8, vllm.MaxMemoryFraction);
        Assert.Equal(0.5, vllm.EfficiencyFor(DeviceClass.DatacenterGpu).MemoryEfficiency);
        Assert.Equal(Catalog.Get("vllm").Formats, vllm.Formats);
        var local = selector.Runtimes.Get("llama.cpp-local");
        Assert.Equal(0.9, local.EfficiencyFor(DeviceClass.ServerCpu).ComputeEfficiency);
        Assert.Equal(Catalog.Get("llama.cpp").Formats, local.Formats);
    }

    [Fact]
    public void Invalid_runtime_configuration_fails_validation_naming_the_entry()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ModelSelection:Runtimes:0:Id"] = "vllm",
            ["ModelSelection:Runtimes:0:Efficiencies:datacenter-gpu:ComputeEfficiency"] = "2.5",
            ["ModelSelection:Runtimes:1:Id"] = "new-engine",
            ["ModelSelection:Runtimes:1:BasedOn"] = "no-such-engine",
        }).Build();
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IModelSelector>());
        Assert.Contains("Runtimes[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("ComputeEfficiency", error.Message, StringComparison.Ordinal);
        Assert.Contains("Runtimes[1]: BasedOn names 'no-such-engine'", error.Message, StringComparison.Ordinal);
    }
}
