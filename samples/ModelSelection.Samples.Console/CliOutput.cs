using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Samples.Console;

/// <summary>Where a command writes, and how: one JSON document (camelCase) or readable text on stdout; errors on stderr.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Json">Whether <c>--json</c> was given.</param>
internal sealed record CliOutput(TextWriter Out, TextWriter Error, bool Json)
{
    /// <summary>The JSON settings of every <c>--json</c> document: camelCase names, indented, nulls written.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one JSON document to stdout.</summary>
    public void WriteJson<T>(T document)
    {
        Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
    }
}
