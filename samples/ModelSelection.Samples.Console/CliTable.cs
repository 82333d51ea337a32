using Spectre.Console;

namespace ModelSelection.Samples.Console;

/// <summary>
/// The console's tables (Spectre.Console): a bold header, columns sized to their content, numbers right-aligned.
/// A column named with a leading <c>&gt;</c> is right-aligned (the marker is not shown).
/// </summary>
internal static class CliTable
{
    /// <summary>A table with the given columns.</summary>
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Minimal).BorderStyle(new Style(Color.Grey));
        foreach (var column in columns)
        {
            var right = column.StartsWith('>');
            var name = right ? column[1..] : column;
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(name)}[/]")) { Alignment = right ? Justify.Right : Justify.Left, NoWrap = right });
        }

        return table;
    }

    /// <summary>Adds a row of plain text cells (no markup is read from them).</summary>
    public static Table Row(this Table table, params string[] cells)
    {
        table.AddRow(cells.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        return table;
    }

    /// <summary>Adds a row of cells already written as markup (values escaped with <see cref="Markup.Escape"/>).</summary>
    public static Table MarkupRow(this Table table, params string[] cells)
    {
        table.AddRow(cells.Select(cell => (Spectre.Console.Rendering.IRenderable)new Markup(cell)).ToArray());
        return table;
    }

    /// <summary>Escapes <paramref name="text"/> and colours it green or red.</summary>
    public static string Verdict(string text, bool good) => $"[{(good ? "green" : "red")}]{Markup.Escape(text)}[/]";
}
