namespace ModelSelection.Samples.Console;

/// <summary>
/// What the console knows about where its output goes: whether stdout and stderr are terminals, whether colour was
/// turned off (<c>NO_COLOR</c>, https://no-color.org), and the terminal's width. Colour and progress are for
/// terminals only: redirected output and captured writers get plain text.
/// </summary>
/// <param name="OutIsTerminal">Whether stdout is an interactive terminal.</param>
/// <param name="ErrorIsTerminal">Whether stderr is an interactive terminal.</param>
/// <param name="NoColor">Whether <c>NO_COLOR</c> is set to a non-empty value.</param>
/// <param name="TerminalWidth">The terminal's width in columns, when stdout is one.</param>
internal sealed record CliEnvironment(bool OutIsTerminal, bool ErrorIsTerminal, bool NoColor, int? TerminalWidth)
{
    /// <summary>The width tables are laid out in when stdout is not a terminal: wide enough that no cell wraps.</summary>
    public const int RedirectedWidth = 400;

    /// <summary>Output captured by writers (tests, redirection): no colour, no progress.</summary>
    public static CliEnvironment Redirected { get; } = new(false, false, NoColor: true, TerminalWidth: null);

    /// <summary>Whether text on stdout may carry ANSI colour codes.</summary>
    public bool ColorOut => OutIsTerminal && !NoColor;

    /// <summary>The width tables on stdout are laid out in.</summary>
    public int OutWidth => OutIsTerminal && TerminalWidth is > 0 and var width ? width : RedirectedWidth;

    /// <summary>The environment of this process's real console.</summary>
    public static CliEnvironment Detect()
    {
        var outIsTerminal = !System.Console.IsOutputRedirected;
        int? width = null;
        if (outIsTerminal)
        {
            try
            {
                width = System.Console.WindowWidth;
            }
            catch (IOException)
            {
                // No console window after all (a pseudo-terminal without a size): lay out as redirected.
            }
        }

        return new(outIsTerminal, !System.Console.IsErrorRedirected, !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")), width);
    }
}
