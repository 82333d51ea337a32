using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Json;

/// <summary>Writes a <see cref="FlopCount"/> as its FLOPs as a number (`22353100800`); reads that number or text such as `"22.35 GFLOP"`. Trim- and AOT-safe; <see cref="FlopCount"/> names it in its <see cref="JsonConverterAttribute"/>, so every serializer uses it.</summary>
public sealed class FlopCountJsonConverter : JsonConverter<FlopCount>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is neither a number nor text, or it is out of range or unreadable; the message says which.</exception>
    public override FlopCount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonQuantity.Read(ref reader, "a FLOP count", "22.35 GFLOP", static (ref Utf8JsonReader r) => FlopCount.FromFlops(JsonQuantity.Number(ref r)));

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, FlopCount value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Flops);
    }
}
