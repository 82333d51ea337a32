using System.Text.Json;
using ModelSelection.OnnxRuntime;
using ModelSelection.Tests.OnnxRuntime;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary>
/// <c>modelselect calibrate --onnx FILE</c>: measures a tiny generated encoder through ONNX Runtime, fits the
/// <c>onnxruntime</c> profile on <c>local</c> and writes configuration that <c>--config</c> binds back. No timing is
/// asserted (shared machines are noisy): only the document's shape, the fit meeting its own shapes, and the round trip.
/// </summary>
[Collection(OnnxRuntimeSerial.Name)]
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-calibrate-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string TinyEncoder()
    {
        var path = Path.Combine(_folder, "tiny.onnx");
        GeneratedEncoder.Write(path, new EncoderShape(2, 64, 4, 256));
        return path;
    }

    [Fact]
    public async Task Calibrate_Json_reports_every_shape_and_writes_configuration_that_binds_back()
    {
        var model = TinyEncoder();
        var written = Path.Combine(_folder, "calibration.json");
        var (exitCode, output, error) = await RunAsync("calibrate", "--onnx", model, "--shapes", "1x16,4x32", "--write", written, "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("local", root.GetProperty("device").GetString());
        Assert.Equal("onnxruntime", root.GetProperty("runtime").GetString());
        var shapes = root.GetProperty("shapes").EnumerateArray().ToList();
        Assert.Equal([(1, 16), (4, 32)], shapes.Select(s => (s.GetProperty("batch").GetInt32(), s.GetProperty("seq").GetInt32())));
        foreach (var shape in shapes)
        {
            Assert.True(shape.GetProperty("measuredSeconds").GetDouble() > 0);
            Assert.True(shape.GetProperty("measuredMemoryBytes").GetInt64() > 0);
        }

        // The calibrated profile meets its own points better than the built-in one (the tiny model's whole weights fit
        // in cache, which the roofline's streaming term does not know, so "closely" is not asserted).
        Assert.True(root.GetProperty("medianLatencyErrorAfter").GetDouble() < root.GetProperty("medianLatencyErrorBefore").GetDouble(), output);
        // Memory is not asserted: in this long-lived test process ONNX Runtime is already loaded and the allocator
        // reuses what earlier tests freed, so the growth is not what a fresh `modelselect calibrate` process sees.
        var configuration = root.GetProperty("configuration").GetProperty("ModelSelection").GetProperty("Runtimes")[0];
        Assert.Equal("onnxruntime", configuration.GetProperty("Id").GetString());
        Assert.True(configuration.GetProperty("DeviceEfficiencies").TryGetProperty("local", out _));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(root.GetProperty("configuration").GetRawText()),
            System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(written))));

        // The written file binds back: the runtime's calibrated source shows in `runtimes --id onnxruntime`.
        var (code, runtimes, runtimesError) = await RunAsync("runtimes", "--id", "onnxruntime", "--config", written, "--json");
        Assert.True(code == 0, runtimesError);
        Assert.Contains("calibrated on local from 2 measured shapes", runtimes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrate_in_rounds_measures_every_shape_in_each_and_says_how_many()
    {
        var (exitCode, output, error) = await RunAsync("calibrate", "--onnx", TinyEncoder(), "--shapes", "1x16,2x16", "--rounds", "3", "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(3, document.RootElement.GetProperty("rounds").GetInt32());
        Assert.Equal(2, document.RootElement.GetProperty("shapes").GetArrayLength());
        Assert.All(document.RootElement.GetProperty("shapes").EnumerateArray(), s => Assert.True(s.GetProperty("measuredSeconds").GetDouble() > 0));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("16")]
    public async Task Rounds_outside_one_to_fifteen_are_refused_naming_the_option(string rounds)
    {
        var (exitCode, _, error) = await RunAsync("calibrate", "--onnx", TinyEncoder(), "--rounds", rounds);
        Assert.Equal(2, exitCode);
        Assert.Contains($"--rounds must be from 1 to 15; was {rounds}.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8by128", "--shapes holds '8by128', which is not a shape")]
    [InlineData("0x16", "--shapes holds '0x16', which is not a shape")]
    [InlineData(",", "--shapes is empty")]
    public async Task Bad_shapes_are_refused_naming_the_option(string shapes, string message)
    {
        var (exitCode, _, error) = await RunAsync("calibrate", "--onnx", TinyEncoder(), "--shapes", shapes);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_is_refused_naming_the_option()
    {
        var (exitCode, _, error) = await RunAsync("calibrate", "--onnx", Path.Combine(_folder, "absent.onnx"));
        Assert.Equal(2, exitCode);
        Assert.Contains("--onnx: no file at", error, StringComparison.Ordinal);
    }
}
