using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ModelSelection.Samples.Console;

/// <summary>Where a command writes, and how: one JSON document (camelCase) or readable text on stdout; errors and progress on stderr.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Json">Whether <c>--json</c> was given.</param>
/// <param name="Environment">Whether the streams are terminals and colour is wanted.</param>
internal sealed record CliOutput(TextWriter Out, TextWriter Error, bool Json, CliEnvironment Environment)
{
    /// <summary>The JSON settings of every <c>--json</c> document: camelCase names, indented, nulls written.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private IAnsiConsole? _console;

    /// <summary>The renderer of readable text on stdout: colour and the terminal's width on a terminal, plain text otherwise.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole(Out, ansi: Environment.ColorOut, color: Environment.ColorOut, terminal: false, Environment.OutWidth);

    /// <summary>Writes one JSON document to stdout.</summary>
    public void WriteJson<T>(T document)
    {
        Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
    }

    /// <summary>Writes a table or other renderable to stdout.</summary>
    public void Write(IRenderable renderable) => Console.Write(renderable);

    /// <summary>Writes one line of markup to stdout (plain text where colour is off).</summary>
    public void MarkupLine(string markup) => Console.MarkupLine(markup);

    /// <summary>
    /// Runs <paramref name="work"/> with a spinner and its progress lines on stderr when stderr is a terminal;
    /// otherwise runs it silently (progress never reaches a log file or a captured stream).
    /// </summary>
    /// <param name="status">What is being done, e.g. <c>Measuring this machine</c>.</param>
    /// <param name="work">The work; it reports progress through the callback it is given.</param>
    public async Task<T> WithProgressAsync<T>(string status, Func<IProgress<string>?, Task<T>> work)
    {
        if (!Environment.ErrorIsTerminal)
        {
            return await work(null).ConfigureAwait(false);
        }

        // A terminal: the spinner redraws in place (cursor codes), coloured unless NO_COLOR is set.
        var console = CreateConsole(Error, ansi: true, color: !Environment.NoColor, terminal: true, width: null);
        return await console.Status().StartAsync(status + "…", async context =>
        {
            var progress = new SynchronousProgress(line => context.Status(Markup.Escape($"{status}: {line}")));
            return await work(progress).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool ansi, bool color, bool terminal, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (width is { } columns)
        {
            console.Profile.Width = columns;
        }

        return console;
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool and could report after the work ended).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
