using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Json;

/// <summary>Writes a <see cref="ComputeBudget"/> as its FLOPs as a number (`1e21`); reads that number or text such as `"1e21 FLOP"`. Trim- and AOT-safe; <see cref="ComputeBudget"/> names it in its <see cref="JsonConverterAttribute"/>, so every serializer uses it.</summary>
public sealed class ComputeBudgetJsonConverter : JsonConverter<ComputeBudget>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is neither a number nor text, or it is out of range or unreadable; the message says which.</exception>
    public override ComputeBudget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonQuantity.Read(ref reader, "a compute budget in FLOPs", "1e21 FLOP", static (ref Utf8JsonReader r) => ComputeBudget.FromFlops(JsonQuantity.Number(ref r)));

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ComputeBudget value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Flops);
    }
}
