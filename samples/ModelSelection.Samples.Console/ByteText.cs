namespace ModelSelection.Samples.Console;

/// <summary>Formats byte counts with binary prefixes (KiB = 2¹⁰, MiB = 2²⁰, GiB = 2³⁰), as the docs state.</summary>
internal static class ByteText
{
    /// <summary>Formats <paramref name="bytes"/>, e.g. <c>12.55 GiB</c>.</summary>
    public static string Format(long bytes) => UnitConversions.FormatBytes(bytes);
}
