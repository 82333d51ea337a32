using System.Text.Json;
using System.Text.Json.Serialization;
using ModelSelection.Catalog;
using ModelSelection.Models;

namespace ModelSelection.Json;

/// <summary>
/// Writes a <see cref="ModelSpec"/> whole, in the shape <see cref="ModelSpecJson"/> reads and writes (id, family,
/// exact parameters, architecture, tensor groups, quality scores, sources, tasks, context length, stored weights),
/// so a result read back estimates exactly what it estimated before. Trim- and AOT-safe.
/// </summary>
public sealed class ModelSpecJsonConverter : JsonConverter<ModelSpec>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is not a model spec object, misses the architecture or the tensors, or its tensors do not hold the parameters it declares; the message says which.</exception>
    public override ModelSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a model spec object; found {JsonQuantity.Describe(reader.TokenType)}.");
        }

        var document = JsonSerializer.Deserialize(ref reader, CatalogJsonContext.Default.SpecDocument)
            ?? throw new JsonException("Expected a model spec object; found null.");
        try
        {
            return ModelSpecJson.FromDocument(document, document.Id ?? "model spec");
        }
        catch (ModelImportException exception)
        {
            throw new JsonException($"Expected a consistent model spec at {exception.Location}: {exception.Problem}.", exception);
        }
        catch (ArgumentException exception)
        {
            throw new JsonException("Expected a consistent model spec: " + exception.Message.Split(" (Parameter")[0], exception);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ModelSpec value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, ModelSpecJson.ToDocument(value), CatalogJsonContext.Default.SpecDocument);
    }
}
