using System.Text.Json;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary>The <c>modelselect</c> console's contract: commands, one JSON document on stdout, exit codes 0 / 1 / 2, one error line on stderr.</summary>
public class ModelSelectAppTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Help_ExitsZeroAndListsCommands()
    {
        var (exitCode, output, error) = await RunAsync("--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("convert", output);
        Assert.Contains("--json", output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task NoArguments_PrintsTheLargeVersusSmallComparison()
    {
        var (exitCode, output, error) = await RunAsync();
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains("Large or small?", output);
        foreach (var model in ModelSelection.Comparison.ComparisonRequest.SeedModels)
        {
            Assert.Equal(2, output.Split('\n').Count(line => line.StartsWith("  " + model + " ", StringComparison.Ordinal))); // dimensions, then latency per device
        }

        foreach (var tier in new[] { "cloud", "desktop", "laptop", "mobile", "embedded" })
        {
            Assert.Contains(output.Split('\n'), line => line.StartsWith("  " + tier + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task NoArguments_Json_IsTheComparison()
    {
        var (exitCode, output, _) = await RunAsync("--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("compare.schema.json", output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(9, document.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(5, document.RootElement.GetProperty("choices").GetArrayLength());
    }

    [Fact]
    public async Task ConvertParameters_Json_PrintsOneCamelCaseDocumentWithExactBytes()
    {
        var (exitCode, output, error) = await RunAsync("convert", "66,362,880", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("parameters", root.GetProperty("kind").GetString());
        Assert.Equal(66_362_880L, root.GetProperty("parameters").GetInt64());
        Assert.Equal("66.4M", root.GetProperty("short").GetString());
        var weights = root.GetProperty("weightBytes");
        Assert.Equal(2 * 66_362_880L, weights.GetProperty("fp16").GetInt64());
        Assert.Equal(4 * 66_362_880L, weights.GetProperty("fp32").GetInt64());
        // GPTQ g128: ⌈66,362,880 × 4.15625 / 8⌉ = 34,477,590 (66,362,880 is a multiple of 128: 518,460 groups × 66.5 bytes).
        Assert.Equal(34_477_590L, weights.GetProperty("gptq-int4-g128").GetInt64());
    }

    [Theory]
    [InlineData("22.35 GFLOP", "flops", "flops", 22.35e9)]
    [InlineData("312 TFLOP/s", "flop-rate", "flopsPerSecond", 312e12)]
    [InlineData("1.4T tokens", "tokens", "tokens", 1.4e12)]
    public async Task Convert_GuessesTheKindFromTheUnit(string input, string kind, string field, double value)
    {
        var (exitCode, output, _) = await RunAsync("convert", input, "--json");
        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(kind, document.RootElement.GetProperty("kind").GetString());
        Assert.Equal(value, document.RootElement.GetProperty(field).GetDouble(), value * 1e-15);
    }

    [Fact]
    public async Task ConvertComputeBudgetAndPrecision_Text()
    {
        var (budgetExit, budget, _) = await RunAsync("convert", "5.76e23", "--as", "compute-budget");
        Assert.Equal(0, budgetExit);
        Assert.Contains("5.76e23 FLOP", budget);

        var (precisionExit, precision, _) = await RunAsync("convert", "Q4_K_M", "--json");
        Assert.Equal(0, precisionExit);
        using var document = JsonDocument.Parse(precision);
        Assert.Equal("q4_k_m", document.RootElement.GetProperty("name").GetString());
        Assert.Equal(4.89, document.RootElement.GetProperty("bitsPerWeight").GetDouble());
        Assert.Equal("int8", document.RootElement.GetProperty("computePrecision").GetString());
    }

    [Theory]
    [InlineData(new[] { "convert", "abc" }, "modelselect: 'abc' is not a valid parameter count: no number was found.")]
    [InlineData(new[] { "convert", "--", "-3" }, "modelselect: '-3' is not a valid parameter count: the value must be between 0 and 1E+15.")]
    [InlineData(new[] { "convert", "1 GB", "--as", "flops", "--json" }, "modelselect: '1 GB' is not a valid FLOP count: 'GB' is not a known SI prefix (use k, M, G, T, P, E, Z or Y).")]
    [InlineData(new[] { "convert", "fp64", "--as", "precision" }, "modelselect: 'fp64' is not a known numeric precision; known: fp32, tf32, fp16, bf16, fp8-e4m3, fp8-e5m2, int8, int4, gptq-int4-g128, awq-int4-g128, nf4, nf4-dq, q4_0, q8_0, q4_k_m, q5_k_m, q6_k, q4_1, q5_0, q5_1, q2_k, q2_k_s, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q5_k_s, iq1_s, iq1_m, iq2_xxs, iq2_xs, iq2_s, iq2_m, iq3_xxs, iq3_xs, iq3_s, iq3_m, iq4_xs, iq4_nl.")]
    [InlineData(new[] { "bogus" }, "modelselect: Unrecognized command or argument 'bogus'.")]
    [InlineData(new[] { "convert" }, "modelselect: Required argument missing for command: 'convert'.")]
    [InlineData(new[] { "convert", "1", "--as", "nope" }, "modelselect: --as must be one of parameters, flops, flop-rate, tokens, compute-budget, precision; was 'nope'.")]
    public async Task BadInput_ExitsTwoWithOneLineOnStderrAndNothingOnStdout(string[] args, string expected)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(Lines(error));
        Assert.Equal(expected, line.TrimEnd('\r'));
    }
}
