using System.Text.Json;
using ModelSelection.Tests.Gguf;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary><c>estimate --gguf</c>, <c>--gpu-layers</c> with a host pool, and <c>select --gguf</c>.</summary>
public sealed class GgufCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ms-gguf-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Estimate_Gguf_ReportsTheFilesExactCountsAndFormat()
    {
        var path = Path.Combine(_folder, "tiny.gguf");
        LlamaCppGgufWriter.Write(path, 256, 4, 4, 2, 768, 2);
        var (exitCode, output, error) = await RunAsync("estimate", "--gguf", path, "--json");
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(ModelSelection.Gguf.GgufModel.Read(path).Parameters.Count, root.GetProperty("parameters").GetInt64());
        Assert.Equal("q4_0", root.GetProperty("precision").GetString());
        Assert.Equal(ModelSelection.Gguf.GgufModel.Read(path).WeightBytes, root.GetProperty("memory").GetProperty("weightsBytes").GetInt64());
    }

    [Fact]
    public async Task Estimate_GpuLayers_SplitsBetweenTheGpuAndTheHost()
    {
        var (exitCode, output, error) = await RunAsync("estimate", "--model", "meta-llama/Llama-3.1-70B", "--precision", "q4_k_m", "--device", "nvidia-rtx-3060-12gb",
            "--runtime", "llama.cpp", "--new-tokens", "16", "--gpu-layers", "20", "--host-memory", "64", "--host-bandwidth", "51.2", "--host-gflops", "1000", "--json");
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var offload = document.RootElement.GetProperty("performance").GetProperty("offload");
        Assert.Equal(20, offload.GetProperty("gpuLayers").GetInt32());
        Assert.Equal(80, offload.GetProperty("layers").GetInt32());
        Assert.Equal("20 of 80 layers on the GPU", offload.GetProperty("summary").GetString());
        var weights = document.RootElement.GetProperty("memory").GetProperty("weightsBytes").GetInt64();
        Assert.Equal(weights, offload.GetProperty("device").GetProperty("weightsBytes").GetInt64() + offload.GetProperty("host").GetProperty("weightsBytes").GetInt64());
    }

    [Theory]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--device", "nvidia-rtx-3060-12gb", "--host-memory", "64" }, "give all three")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--gpu-layers", "4" }, "give --device")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--device", "apple-m1", "--host-memory", "8", "--host-bandwidth", "60", "--host-gflops", "100" }, "unified memory")]
    [InlineData(new[] { "estimate", "--gguf", "/nonexistent/x.gguf" }, "x.gguf")]
    public async Task BadOffloadAndGgufInput_ExitTwoWithOneLine(string[] args, string expected)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Select_OffloadsTheLargestModelThatFitsTheHost()
    {
        var (exitCode, output, error) = await RunAsync("select", "--device", "nvidia-rtx-3060-12gb", "--candidates", "meta-llama/Llama-3.1-70B", "--precisions", "q4_k_m",
            "--runtimes", "llama.cpp", "--new-tokens", "16", "--host-memory", "64", "--host-bandwidth", "51.2", "--host-gflops", "1000");
        Assert.True(exitCode == 0, error);
        Assert.Matches(@"choice\s+meta-llama/Llama-3\.1-70B @ q4_k_m on nvidia-rtx-3060-12gb via llama\.cpp \(\d+ of 80 layers on the GPU\)", output);
    }
}
