using ModelSelection.Samples.Console;

namespace ModelSelection.Tests.Samples;

/// <summary>Runs <c>modelselect</c> in process and captures what it writes.</summary>
public static class Cli
{
    /// <summary>Runs the console with <paramref name="args"/>; returns the exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await ModelSelectApp.RunAsync(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
