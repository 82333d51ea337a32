using System.Globalization;
using System.Text.Json;

namespace ModelSelection.Json;

/// <summary>What the quantity converters share: a quantity is its canonical number on the wire, and reads from that number or from the text its <c>Parse</c> accepts.</summary>
internal static class JsonQuantity
{
    /// <summary>Builds a quantity from the JSON number under the reader.</summary>
    /// <typeparam name="T">The quantity.</typeparam>
    /// <param name="reader">The reader, on a number.</param>
    /// <returns>The quantity.</returns>
    public delegate T NumberReader<T>(ref Utf8JsonReader reader);

    /// <summary>Reads a quantity from a JSON number or string, turning every refusal into a <see cref="JsonException"/> that says what was expected.</summary>
    /// <typeparam name="T">The quantity.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="what">The quantity in words, for messages.</param>
    /// <param name="example">A text the quantity parses, for messages.</param>
    /// <param name="fromNumber">Builds the quantity from the number as read.</param>
    /// <returns>The quantity.</returns>
    public static T Read<T>(ref Utf8JsonReader reader, string what, string example, NumberReader<T> fromNumber)
        where T : IParsable<T>
    {
        try
        {
            return reader.TokenType switch
            {
                JsonTokenType.Number => fromNumber(ref reader),
                JsonTokenType.String => T.Parse(reader.GetString()!, CultureInfo.InvariantCulture),
                _ => throw new JsonException($"Expected {what} as a number or as text such as \"{example}\"; found {Describe(reader.TokenType)}."),
            };
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            throw new JsonException($"Expected {what}: {exception.Message.Split(" (Parameter")[0]}", exception);
        }
    }

    /// <summary>Reads a JSON number as a whole 64-bit integer.</summary>
    /// <param name="reader">The reader, on a number.</param>
    /// <param name="what">The quantity in words, for messages.</param>
    /// <returns>The integer.</returns>
    public static long WholeNumber(ref Utf8JsonReader reader, string what) => reader.TryGetInt64(out var value)
        ? value
        : throw new JsonException($"Expected {what} as a whole number between 0 and {long.MaxValue}; found {Text(ref reader)}.");

    /// <summary>Reads a JSON number as a finite double.</summary>
    /// <param name="reader">The reader, on a number.</param>
    /// <returns>The number.</returns>
    public static double Number(ref Utf8JsonReader reader) => reader.GetDouble();

    /// <summary>Names a token kind for a message.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The words.</returns>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        _ => token.ToString(),
    };

    private static string Text(ref Utf8JsonReader reader) => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
}
