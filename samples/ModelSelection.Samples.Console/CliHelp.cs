using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ModelSelection.Samples.Console.Commands;

namespace ModelSelection.Samples.Console;

/// <summary>The help of every command, followed by its examples.</summary>
/// <param name="help">System.CommandLine's own help.</param>
/// <param name="context">Where the examples are kept.</param>
internal sealed class CliHelp(HelpAction help, CliContext context) : SynchronousCommandLineAction
{
    /// <summary>Replaces the help action of <paramref name="root"/>'s help option (shared by every command).</summary>
    public static void AttachTo(RootCommand root, CliContext context)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help } helpOption)
            {
                helpOption.Action = new CliHelp(help, context);
            }
        }
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = help.Invoke(parseResult);
        var examples = context.ExamplesOf(parseResult.CommandResult.Command);
        if (examples.Count > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return exitCode;
    }
}
