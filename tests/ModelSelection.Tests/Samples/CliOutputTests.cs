using ModelSelection.Samples.Console;

namespace ModelSelection.Tests.Samples;

/// <summary>Colour on terminals only: none when output is redirected or <c>NO_COLOR</c> is set, and <c>--json</c> byte-for-byte the same everywhere.</summary>
public class CliOutputTests
{
    private const string Escape = "\u001b[";

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(CliEnvironment environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await ModelSelectApp.RunAsync(args, stdout, stderr, environment);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static CliEnvironment Terminal(bool noColor) => new(OutIsTerminal: true, ErrorIsTerminal: false, NoColor: noColor, TerminalWidth: 200);

    [Fact]
    public async Task A_terminal_gets_colour()
    {
        var (exitCode, output, _) = await RunAsync(Terminal(noColor: false), "select", "--device", "nvidia-t4", "--candidates", "gpt2,meta-llama/Llama-2-70b-hf");
        Assert.Equal(0, exitCode);
        Assert.Contains(Escape, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_color_or_redirected_output_gets_plain_text()
    {
        string[] args = ["select", "--device", "nvidia-t4", "--candidates", "gpt2,meta-llama/Llama-2-70b-hf"];
        var (_, noColor, _) = await RunAsync(Terminal(noColor: true), args);
        var (_, redirected, _) = await RunAsync(CliEnvironment.Redirected, args);
        Assert.DoesNotContain(Escape, noColor, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, redirected, StringComparison.Ordinal);
        Assert.Contains("gpt2 @ fp16 on nvidia-t4", redirected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models")]
    [InlineData("devices")]
    [InlineData("select", "--device", "nvidia-t4", "--candidates", "gpt2,meta-llama/Llama-2-70b-hf")]
    public async Task Json_is_the_same_on_a_terminal_and_redirected(params string[] command)
    {
        string[] args = [.. command, "--json"];
        var (_, terminal, _) = await RunAsync(Terminal(noColor: false), args);
        var (_, redirected, _) = await RunAsync(CliEnvironment.Redirected, args);
        Assert.Equal(redirected, terminal);
        Assert.DoesNotContain(Escape, terminal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_are_laid_out_by_the_renderer_not_by_hand()
    {
        var (_, output, _) = await RunAsync(CliEnvironment.Redirected, "devices");
        var lines = output.Split('\n');
        var header = Assert.Single(lines, line => line.Contains("bandwidth", StringComparison.Ordinal) && line.Contains("power", StringComparison.Ordinal));
        var a100 = Assert.Single(lines, line => line.Contains("nvidia-a100-80gb-sxm", StringComparison.Ordinal));
        // Right-aligned numbers: the power column ends where its header ends.
        Assert.Equal(header.IndexOf("power", StringComparison.Ordinal) + "power".Length, a100.IndexOf("400 W", StringComparison.Ordinal) + "400 W".Length);
    }
}
