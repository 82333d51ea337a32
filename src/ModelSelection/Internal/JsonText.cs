using System.Text.Json;

namespace ModelSelection.Internal;

/// <summary>The one place JSON strings are read: an escaped lone surrogate (<c>"\ud800"</c>, valid JSON) is not a .NET string.</summary>
internal static class JsonText
{
    /// <summary>The string value, or <see langword="null"/> when it holds an unpaired surrogate escape (not representable as UTF-16 text).</summary>
    public static string? TryGetString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The string value, or a <see cref="ModelImportException"/> that names the location.</summary>
    public static string GetString(JsonElement element, string source, string location) =>
        TryGetString(element) ?? throw new ModelImportException(source, location, "expected a string of valid Unicode; found an unpaired surrogate escape");

    /// <summary>Deserialises a catalog document, turning malformed JSON into the library's import exception with the JSON path.</summary>
    public static T? Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, string sourceName, string expected)
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException exception)
        {
            throw new ModelImportException(sourceName, exception.Path ?? "$", $"expected {expected}: " + exception.Message, exception);
        }
    }
}
