using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Json;

/// <summary>Writes a <see cref="DatasetSize"/> as a whole number of tokens; reads that number or text such as `"1.4T tokens"`. Trim- and AOT-safe; <see cref="DatasetSize"/> names it in its <see cref="JsonConverterAttribute"/>, so every serializer uses it.</summary>
public sealed class DatasetSizeJsonConverter : JsonConverter<DatasetSize>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is neither a number nor text, or it is out of range or unreadable; the message says which.</exception>
    public override DatasetSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonQuantity.Read(ref reader, "a dataset size in tokens", "1.4T tokens", static (ref Utf8JsonReader r) => DatasetSize.FromTokens(JsonQuantity.WholeNumber(ref r, "a dataset size in tokens")));

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DatasetSize value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Tokens);
    }
}
