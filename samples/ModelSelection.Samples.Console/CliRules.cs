using System.CommandLine;
using System.CommandLine.Parsing;

namespace ModelSelection.Samples.Console;

/// <summary>
/// Rules between a command's options, checked at parse time: a flag that would be ignored, or two that contradict each
/// other, is an error naming both (exit 2) — never a silent success.
/// </summary>
internal static class CliRules
{
    /// <summary>Whether <paramref name="option"/> was typed on the command line (not just defaulted).</summary>
    public static bool Given(this CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary><paramref name="dependent"/> does something only together with <paramref name="required"/>.</summary>
    public static void OnlyWith(Command command, Option dependent, Option required, string? why = null) => command.Validators.Add(result =>
    {
        if (result.Given(dependent) && !result.Given(required))
        {
            result.AddError($"{dependent.Name} only applies with {required.Name}{(why is null ? string.Empty : " (" + why + ")")}; add {required.Name} or remove {dependent.Name}.");
        }
    });

    /// <summary><paramref name="dependent"/> does something only without <paramref name="excluded"/>.</summary>
    public static void OnlyWithout(Command command, Option dependent, Option excluded, string why) => command.Validators.Add(result =>
    {
        if (result.Given(dependent) && result.Given(excluded))
        {
            result.AddError($"{dependent.Name} does not apply with {excluded.Name}: {why}; remove {dependent.Name}.");
        }
    });

    /// <summary><paramref name="first"/> and <paramref name="second"/> contradict each other.</summary>
    public static void NotTogether(Command command, Option first, Option second, string why) => command.Validators.Add(result =>
    {
        if (result.Given(first) && result.Given(second))
        {
            result.AddError($"{first.Name} and {second.Name} cannot be combined: {why}.");
        }
    });
}
