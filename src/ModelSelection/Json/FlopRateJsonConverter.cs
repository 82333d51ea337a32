using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Json;

/// <summary>Writes a <see cref="FlopRate"/> as its FLOP/s as a number (`3.12e14`); reads that number or text such as `"312 TFLOP/s"`. Trim- and AOT-safe; <see cref="FlopRate"/> names it in its <see cref="JsonConverterAttribute"/>, so every serializer uses it.</summary>
public sealed class FlopRateJsonConverter : JsonConverter<FlopRate>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is neither a number nor text, or it is out of range or unreadable; the message says which.</exception>
    public override FlopRate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonQuantity.Read(ref reader, "a FLOP rate", "312 TFLOP/s", static (ref Utf8JsonReader r) => FlopRate.FromFlopsPerSecond(JsonQuantity.Number(ref r)));

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, FlopRate value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.FlopsPerSecond);
    }
}
