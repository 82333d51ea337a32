namespace ModelSelection.Internal;

/// <summary>Copies formatted text into a destination span for <see cref="ISpanFormattable"/> implementations.</summary>
internal static class SpanFormatting
{
    /// <summary>Copies <paramref name="text"/> when it fits.</summary>
    public static bool TryCopy(string text, Span<char> destination, out int charsWritten)
    {
        if (text.AsSpan().TryCopyTo(destination))
        {
            charsWritten = text.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }
}
