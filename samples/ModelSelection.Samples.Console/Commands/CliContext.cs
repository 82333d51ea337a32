using System.CommandLine;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>What every command shares: the global <c>--json</c> option and the output streams.</summary>
/// <param name="JsonOption">The recursive <c>--json</c> option.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CliContext(Option<bool> JsonOption, TextWriter Out, TextWriter Error)
{
    /// <summary>The output of one invocation.</summary>
    public CliOutput OutputFor(ParseResult parseResult) => new(Out, Error, parseResult.GetValue(JsonOption));
}
