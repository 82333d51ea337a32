using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelSelection.Json;

/// <summary>Writes a <see cref="NumericPrecision"/> as its canonical name (<c>"fp16"</c>, <c>"q4_k_m"</c>) and reads any spelling <see cref="NumericPrecision.Parse(string, IFormatProvider?)"/> accepts. Trim- and AOT-safe.</summary>
public sealed class NumericPrecisionJsonConverter : JsonConverter<NumericPrecision>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is not a string naming a known format; the message lists the accepted spellings.</exception>
    public override NumericPrecision Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a numeric precision as its name, such as \"fp16\" or \"q4_k_m\"; found {JsonQuantity.Describe(reader.TokenType)}.");
        }

        try
        {
            return NumericPrecision.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (FormatException exception)
        {
            throw new JsonException("Expected a numeric precision: " + exception.Message, exception);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, NumericPrecision value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Name);
    }

    /// <inheritdoc/>
    public override NumericPrecision ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(ref reader, typeToConvert, options);

    /// <inheritdoc/>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, NumericPrecision value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Name);
    }
}
