using System.Text.Json;
using ModelSelection.Tests.Onnx;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary><c>modelselect estimate --onnx FILE</c>: the all-MiniLM-L6-v2 export and a graph without a recoverable architecture, validated against the estimate contract.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-onnx-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Estimate_Onnx_Json_ExtendsTheEstimateContract()
    {
        var (exitCode, output, error) = await RunAsync("estimate", "--onnx", MiniLmOnnx.Path, "--batch", "1", "--seq", "128", "--device", "apple-m3", "--json");

        Assert.True(exitCode == 0, error);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(22_713_216L, root.GetProperty("parameters").GetInt64());
        Assert.Equal("bert", root.GetProperty("family").GetString());
        Assert.Equal("fp32", root.GetProperty("precision").GetString());
        Assert.Equal(6, root.GetProperty("architecture").GetProperty("layers").GetInt32());
        var onnx = root.GetProperty("onnx");
        Assert.Equal(13, onnx.GetProperty("opset").GetInt64());
        Assert.Equal(22_713_216L, onnx.GetProperty("storedParameterElements").GetInt64());
        Assert.Equal(2_869_198_848d, onnx.GetProperty("graphFlops").GetProperty("forward").GetDouble());
        Assert.Equal(["batch", "sequence"], onnx.GetProperty("inputs")[0].GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()));
        Assert.True(onnx.GetProperty("architectureRecovered").GetBoolean());
        Assert.InRange(root.GetProperty("flops").GetProperty("forward").GetDouble() / 2_869_198_848d, 0.99, 1.01);
        Assert.True(root.TryGetProperty("performance", out _));
    }

    [Fact]
    public async Task Estimate_Onnx_Text_ShowsTheGraph()
    {
        var (exitCode, output, _) = await RunAsync("estimate", "--onnx", MiniLmOnnx.Path);

        Assert.Equal(0, exitCode);
        Assert.Contains("onnx         opset 13, IR 7, 650 nodes, from pytorch 1.10", output, StringComparison.Ordinal);
        Assert.Contains("stored       22,713,216 parameter elements", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_OnnxWithoutArchitecture_ReportsCountsAndWhatIsMissing()
    {
        var path = Path.Combine(_folder, "linear.onnx");
        File.WriteAllBytes(path, OnnxProto.Model(OnnxProto.LinearGraph()));

        var (exitCode, output, error) = await RunAsync("estimate", "--onnx", path, "--batch", "2", "--seq", "5", "--json");

        Assert.True(exitCode == 0, error);
        ContractSchemas.AssertValid("estimate.schema.json", output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(15, document.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(240d, document.RootElement.GetProperty("flops").GetProperty("forward").GetDouble());
        Assert.False(document.RootElement.GetProperty("onnx").GetProperty("architectureRecovered").GetBoolean());
        Assert.Contains("no token embedding", document.RootElement.GetProperty("onnx").GetProperty("architectureProblem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_OnnxHostile_IsAnImportErrorNamingThePlace()
    {
        var path = Path.Combine(_folder, "broken.onnx");
        File.WriteAllBytes(path, OnnxProto.Model(OnnxProto.LinearGraph())[..20]);

        var (exitCode, _, error) = await RunAsync("estimate", "--onnx", path);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("broken.onnx", error, StringComparison.Ordinal);
        Assert.Contains("$.graph", error, StringComparison.Ordinal);
    }
}
