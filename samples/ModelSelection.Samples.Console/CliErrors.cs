namespace ModelSelection.Samples.Console;

/// <summary>Turns the exceptions that mean "bad input" into one line on stderr.</summary>
internal static class CliErrors
{
    /// <summary>Whether <paramref name="exception"/> reports a caller's mistake (exit 2) rather than a bug.</summary>
    public static bool IsBadInput(Exception exception) =>
        exception is FormatException or ArgumentException or ModelImportException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException;

    /// <summary>The first line of the message, without the "(Parameter 'x')" suffix the runtime appends.</summary>
    public static string OneLine(Exception exception)
    {
        var message = exception.Message;
        var newline = message.IndexOfAny(['\r', '\n']);
        if (newline >= 0)
        {
            message = message[..newline];
        }

        if (exception is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }
        }

        return message.Trim();
    }

    /// <summary>Joins a multi-line parser message into one line: a list of allowed values becomes comma-separated.</summary>
    public static string Flatten(string message)
    {
        var lines = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                text.Append(lines[i - 1].EndsWith(':') ? " " : ", ");
            }

            text.Append(lines[i]);
        }

        return text.ToString();
    }

    /// <summary>
    /// The first parse error as one line. An unknown option that differs from one of the command's by a trailing
    /// <c>s</c> (<c>--precisions</c> on <c>estimate</c>, <c>--device</c> / <c>--devices</c>) says which is which.
    /// </summary>
    public static string ParseError(System.CommandLine.ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        foreach (var token in parseResult.UnmatchedTokens)
        {
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var near = token.EndsWith('s') ? token[..^1] : token + "s";
            var match = command.Options.FirstOrDefault(o => o.Name == near || o.Aliases.Contains(near));
            if (match is not null)
            {
                var what = match.HelpName is { } helpName ? $" {match.Name} {helpName}" : " " + match.Name;
                return $"{command.Name} has no {token} option; did you mean{what}? {FirstSentence(match.Description)}";
            }
        }

        return Flatten(parseResult.Errors[0].Message);
    }

    private static string FirstSentence(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return string.Empty;
        }

        var end = description.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? description : description[..(end + 1)];
    }

    /// <summary>Writes the error line and returns <see cref="ExitCodes.BadInput"/>.</summary>
    public static int Report(TextWriter error, string message)
    {
        error.WriteLine("modelselect: " + message);
        return ExitCodes.BadInput;
    }
}
