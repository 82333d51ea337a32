using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Json;

/// <summary>Writes a <see cref="ParameterCount"/> as a whole number of parameters (`109482240`); reads that number or text such as `"7.24B"`. Trim- and AOT-safe; <see cref="ParameterCount"/> names it in its <see cref="JsonConverterAttribute"/>, so every serializer uses it.</summary>
public sealed class ParameterCountJsonConverter : JsonConverter<ParameterCount>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is neither a number nor text, or it is out of range or unreadable; the message says which.</exception>
    public override ParameterCount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonQuantity.Read(ref reader, "a parameter count", "7.24B", static (ref Utf8JsonReader r) => ParameterCount.FromCount(JsonQuantity.WholeNumber(ref r, "a parameter count")));

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ParameterCount value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Count);
    }
}
