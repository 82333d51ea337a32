using System.CommandLine;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>One <c>modelselect</c> command, resolved from the host's services.</summary>
internal interface ICliCommand
{
    /// <summary>Builds the command; its action writes through <paramref name="context"/>.</summary>
    Command Create(CliContext context);
}
