using System.Text.Json;
using ModelSelection.Models;

namespace ModelSelection.Catalog;

/// <summary>
/// Writes and reads a <see cref="ModelSpec"/> as JSON — id, family, architecture, every tensor group, scores and
/// sources — so a spec imported once (from a config or a checkpoint) can be stored and reloaded without loss.
/// </summary>
/// <remarks>Reflection-free (System.Text.Json source generation) and thread-safe.</remarks>
public static class ModelSpecJson
{
    /// <summary>Writes a spec as indented JSON (camelCase, enums as names).</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    public static string Serialize(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var document = ToDocument(spec);
        return JsonSerializer.Serialize(document, CatalogJsonContext.Default.SpecDocument);
    }

    /// <summary>The most bytes <see cref="DeserializeAsync"/> reads from a stream (16 MiB; a spec is a few kilobytes).</summary>
    public const long MaxStreamBytes = 16L << 20;

    /// <summary>Reads a spec written by <see cref="Serialize(ModelSpec)"/> from a stream asynchronously, with the checks and errors of <see cref="Deserialize(string, string)"/>.</summary>
    /// <param name="stream">The stream of UTF-8 JSON, read to its end; it need not seek. It is left open.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The spec.</returns>
    /// <remarks>At most <see cref="MaxStreamBytes"/> are read; a longer stream is refused.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot read.</exception>
    /// <exception cref="ModelImportException">The stream is empty, too large or not UTF-8; or the JSON is malformed or incomplete, or its tensors do not add up to its declared parameter count.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<ModelSpec> DeserializeAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        var bytes = await Internal.BoundedFile.ReadAllAsync(stream, MaxStreamBytes, "a model spec", sourceName, cancellationToken).ConfigureAwait(false);
        string json;
        try
        {
            json = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException exception)
        {
            throw new ModelImportException(sourceName, "file", "expected UTF-8 JSON; the stream holds bytes that are not UTF-8", exception);
        }

        return Deserialize(json.Length > 0 && json[0] == '\uFEFF' ? json[1..] : json, sourceName);
    }

    /// <summary>Reads a spec written by <see cref="Serialize(ModelSpec)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The JSON is malformed or incomplete, or its tensors do not add up to its declared parameter count.</exception>
    public static ModelSpec Deserialize(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        try
        {
            var document = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.SpecDocument)
                ?? throw new ModelImportException(sourceName, "$", "expected a model spec object; found null");
            return FromDocument(document, sourceName);
        }
        catch (JsonException exception)
        {
            throw new ModelImportException(sourceName, exception.Path ?? "$", "expected a model spec: " + exception.Message, exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new ModelImportException(sourceName, "$", "expected strings of valid Unicode; the document holds an unpaired surrogate escape", exception);
        }
        catch (ArgumentException exception)
        {
            throw new ModelImportException(sourceName, "$", "expected a consistent model spec: " + exception.Message, exception);
        }
    }

    /// <summary>The wire document of a spec: what <see cref="Serialize"/> writes and <see cref="Json.ModelSpecJsonConverter"/> embeds.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The document.</returns>
    internal static SpecDocument ToDocument(ModelSpec spec) => new()
    {
        Id = spec.Id,
        Family = spec.Family,
        Parameters = spec.Parameters.Count,
        Architecture = spec.Architecture,
        Tensors = [.. spec.Inventory.Groups],
        QualityScores = spec.QualityScores.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        Sources = [.. spec.Sources],
        Tasks = [.. spec.Tasks],
        ContextLength = spec.ContextLength,
        StoredWeights = spec.StoredWeights is { } w
            ? new StoredWeightsDocument { Format = w.Format, InputBytes = w.InputBytes, LayerBytes = [.. w.LayerBytes], OutputBytes = w.OutputBytes }
            : null,
    };

    /// <summary>Builds the spec a wire document describes, checking that its tensors hold the parameters it declares.</summary>
    /// <param name="document">The document.</param>
    /// <param name="sourceName">Where it came from, for messages.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ModelImportException">A required key is missing, or the declared parameters disagree with the tensors.</exception>
    /// <exception cref="ArgumentException">A value breaks a rule of the spec (the message states it).</exception>
    internal static ModelSpec FromDocument(SpecDocument document, string sourceName)
    {
        if (document.Architecture is null)
        {
            throw new ModelImportException(sourceName, "$.architecture", "required key is missing");
        }

        if (document.Tensors is null)
        {
            throw new ModelImportException(sourceName, "$.tensors", "required key is missing");
        }

        var stored = document.StoredWeights is { } w
            ? new WeightStorage(w.Format, w.InputBytes, w.LayerBytes ?? [], w.OutputBytes)
            : null;
        var spec = new ModelSpec(document.Id ?? string.Empty, document.Family ?? string.Empty, document.Architecture, new TensorInventory(document.Tensors), document.QualityScores, document.Sources, document.Tasks, document.ContextLength, stored);
        return spec.Parameters.Count == document.Parameters
            ? spec
            : throw new ModelImportException(sourceName, "$.parameters", $"the tensors hold {spec.Parameters.Count} parameters but the document declares {document.Parameters}");
    }
}
