using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary>Help with examples and each default once; value completions for ids and formats (the <c>[suggest]</c> directive dotnet-suggest uses).</summary>
public class CliHelpTests
{
    public static TheoryData<string> Commands => new() { "compare", "select", "plan", "devices", "models", "estimate", "convert", "runtimes", "accuracy" };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_ends_with_examples_of_the_command(string command)
    {
        var (exitCode, output, error) = await RunAsync(command, "--help");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        var examples = output[output.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains($"  modelselect {command}", examples, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_states_each_default_once(string command)
    {
        var (_, output, _) = await RunAsync(command, "--help");
        foreach (var line in output.Split('\n'))
        {
            var mentions = new[] { "[default:", "Default:", "(default", "default)" }.Sum(marker => line.Split(marker, StringSplitOptions.None).Length - 1);
            Assert.True(mentions <= 1, $"'{line.Trim()}' states its default {mentions} times");
        }
    }

    [Fact]
    public async Task Help_says_which_option_counts_devices_and_which_names_them()
    {
        var (_, output, _) = await RunAsync("estimate", "--help");
        Assert.Contains("--device-count, --devices <N>", output, StringComparison.Ordinal);
        Assert.Contains("--device <ID>", output, StringComparison.Ordinal);
        var (_, select, _) = await RunAsync("select", "--help");
        Assert.Contains("--device <ID[,ID…]>", select, StringComparison.Ordinal);
        Assert.Contains("--precision, --precisions <FORMATS>", select, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("estimate --model bert-base-unc", "bert-base-uncased")]
    [InlineData("select --candidates gpt2,distilbert-base-unc", "gpt2,distilbert-base-uncased")]
    [InlineData("select --device raspberry-pi-5", "raspberry-pi-5-8gb")]
    [InlineData("estimate --device loc", "local")]
    [InlineData("estimate --runtime llama", "llama.cpp")]
    [InlineData("estimate --precision q4_k_", "q4_k_m")]
    [InlineData("select --precisions fp16,q8", "fp16,q8_0")]
    [InlineData("runtimes --id vll", "vllm")]
    [InlineData("devices --id nvidia-a100-80", "nvidia-a100-80gb-sxm")]
    public async Task Completions_offer_ids_and_formats(string line, string expected)
    {
        var (exitCode, output, _) = await RunAsync($"[suggest:{line.Length}]", line);
        Assert.Equal(0, exitCode);
        Assert.Contains(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
