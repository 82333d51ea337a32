using System.Text.Json;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary><c>--config FILE</c>: an appsettings-shaped JSON file layered over the built-in appsettings.json; a wrong file is one line and exit 2.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("modelselect-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Config_adds_a_profile_and_keeps_the_built_in_ones()
    {
        var path = Write("lab.json", """
            {
              // comments are allowed, as in appsettings.json
              "ModelSelection": {
                "Profiles": {
                  "lab": { "Devices": [ "raspberry-pi-5-8gb" ], "Precisions": [ "int8" ], "Benchmark": "mmlu-5shot", "InputTokens": 64 }
                }
              }
            }
            """);
        var (exitCode, output, error) = await RunAsync("select", "--config", path, "--profile", "lab", "--candidates", "Qwen/Qwen2-0.5B", "--json");
        Assert.True(exitCode == 0, error + output);
        using var document = JsonDocument.Parse(output);
        var choice = document.RootElement.GetProperty("choice");
        Assert.Equal("raspberry-pi-5-8gb", choice.GetProperty("device").GetString());
        Assert.Equal("int8", choice.GetProperty("precision").GetString());

        // Layered: the built-in appsettings.json profiles are still there.
        var (edgeExit, _, edgeError) = await RunAsync("select", "--config", path, "--profile", "edge", "--candidates", "microsoft/phi-2,Qwen/Qwen2-0.5B");
        Assert.True(edgeExit == 0, edgeError);
    }

    [Fact]
    public async Task Config_overrides_a_device_figure_of_the_built_in_catalog()
    {
        var path = Write("t4.json", """{ "ModelSelection": { "Devices": [ { "Id": "nvidia-t4", "UsableMemoryFraction": 0.5 } ] } }""");
        var (exitCode, output, error) = await RunAsync("devices", "--id", "nvidia-t4", "--config", path, "--json");
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(document.RootElement.GetProperty("memoryBytes").GetInt64() / 2, document.RootElement.GetProperty("usableMemoryBytes").GetInt64());
    }

    [Fact]
    public async Task A_missing_file_exits_two_naming_it()
    {
        var path = Path.Combine(_folder, "absent.json");
        var (exitCode, output, error) = await RunAsync("models", "--config", path);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Equal($"modelselect: --config must name an existing JSON file; '{path}' does not exist.", error.Trim());
    }

    [Theory]
    [InlineData("""{ "ModelSelection": { "DefaultObjective": "Quality", }""", "is not valid JSON at line 1, byte ")]
    [InlineData("""[ 1, 2 ]""", "must hold a JSON object in the appsettings shape ({\"ModelSelection\": {…}}); '{0}' holds an array.")]
    [InlineData("""{ "ModelSelection": 3 }""", "--config: the \"ModelSelection\" section of '{0}' must be an object; was a number.")]
    public async Task A_malformed_file_exits_two_with_one_line(string text, string expected)
    {
        var path = Write("bad.json", text);
        var (exitCode, output, error) = await RunAsync("models", "--config", path);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected.Replace("{0}", path, StringComparison.Ordinal), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_exit_two_naming_the_file()
    {
        var path = Write("invalid.json", """{ "ModelSelection": { "MemoryHeadroomFraction": 2 } }""");
        var (exitCode, output, error) = await RunAsync("models", "--config", path);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith($"modelselect: the configuration (--config {path}) is invalid: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
