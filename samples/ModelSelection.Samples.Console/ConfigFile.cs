using System.Text.Json;

namespace ModelSelection.Samples.Console;

/// <summary>Checks a <c>--config FILE</c> before the host reads it, so that a wrong file is one clear line and exit 2.</summary>
internal static class ConfigFile
{
    /// <summary>What is wrong with <paramref name="file"/> as an appsettings-shaped JSON file, or <see langword="null"/> when nothing is.</summary>
    public static string? Problem(FileInfo file)
    {
        if (!file.Exists)
        {
            return Directory.Exists(file.FullName)
                ? $"--config must name a JSON file; '{file.FullName}' is a folder."
                : $"--config must name an existing JSON file; '{file.FullName}' does not exist.";
        }

        try
        {
            // The configuration provider's own reading rules: comments and trailing commas allowed.
            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return $"--config must hold a JSON object in the appsettings shape ({{\"ModelSelection\": {{…}}}}); '{file.FullName}' holds {Describe(document.RootElement.ValueKind)}.";
            }

            if (document.RootElement.TryGetProperty("ModelSelection", out var section) && section.ValueKind != JsonValueKind.Object)
            {
                return $"--config: the \"ModelSelection\" section of '{file.FullName}' must be an object; was {Describe(section.ValueKind)}.";
            }
        }
        catch (JsonException exception)
        {
            return $"--config must name a valid JSON file; '{file.FullName}' is not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}.";
        }
        catch (IOException exception)
        {
            return $"--config: '{file.FullName}' cannot be read: {exception.Message}";
        }
        catch (UnauthorizedAccessException)
        {
            return $"--config: '{file.FullName}' cannot be read: permission denied.";
        }

        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
