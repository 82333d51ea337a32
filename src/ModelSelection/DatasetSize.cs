using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection;

/// <summary>
/// The size of a data set in tokens, from 0 to 10¹⁸.
/// </summary>
/// <remarks>
/// <para>
/// Build it from tokens, from examples × tokens per example, or from a size in bytes × tokens per byte (English text
/// under a BPE tokenizer averages about 4 characters, so 0.25 tokens, per byte: <see cref="TypicalTokensPerByteOfEnglishText"/>).
/// Prints short as <c>1.4T tokens</c>.
/// </para>
/// <para>
/// Arithmetic outside [0, 10¹⁸] throws <see cref="ArgumentOutOfRangeException"/>; nothing wraps and nothing
/// saturates. The default value is <see cref="Zero"/>. This type is immutable and thread-safe.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.DatasetSizeJsonConverter))]
public readonly struct DatasetSize : IEquatable<DatasetSize>, IComparable<DatasetSize>, IComparable, System.Numerics.IComparisonOperators<DatasetSize, DatasetSize, bool>, ISpanFormattable, IParsable<DatasetSize>
{
    /// <summary>The largest size this type holds: 10¹⁸ tokens.</summary>
    public const long MaxTokens = 1_000_000_000_000_000_000L;

    /// <summary>
    /// About 0.25 tokens per byte: English text under GPT-style BPE tokenizers averages roughly four characters
    /// per token (OpenAI, "What are tokens and how to count them?"). Other languages and code differ; pass your own
    /// ratio when you know it.
    /// </summary>
    public const double TypicalTokensPerByteOfEnglishText = 0.25;

    private static readonly string[] UnitWords = ["tokens", "token"];

    private readonly long _tokens;

    private DatasetSize(long tokens) => _tokens = tokens;

    /// <summary>Gets an empty data set.</summary>
    public static DatasetSize Zero => default;

    /// <summary>Gets the number of tokens.</summary>
    public long Tokens => _tokens;

    /// <summary>Creates a size from a number of tokens.</summary>
    /// <param name="tokens">The tokens, 0 to <see cref="MaxTokens"/>.</param>
    /// <returns>The size.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokens"/> is negative or above <see cref="MaxTokens"/>.</exception>
    public static DatasetSize FromTokens(long tokens) => new(Guard.InRange(tokens, 0, MaxTokens, "Dataset size in tokens"));

    /// <summary>Creates a size from examples and their average length, rounded to the nearest token.</summary>
    /// <param name="examples">The number of examples, 0 or more.</param>
    /// <param name="tokensPerExample">The average tokens per example; finite, 0 or more.</param>
    /// <returns>The size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not finite, or the product exceeds <see cref="MaxTokens"/>.</exception>
    public static DatasetSize FromExamples(long examples, double tokensPerExample)
    {
        Guard.InRange(examples, 0, MaxTokens, "Number of examples");
        Guard.FiniteNonNegative(tokensPerExample, "Tokens per example");
        return FromProduct(examples, tokensPerExample, "Examples × tokens per example");
    }

    /// <summary>Creates a size from a number of bytes of text and a tokenizer's tokens per byte, rounded to the nearest token.</summary>
    /// <param name="bytes">The size of the text in bytes, 0 or more.</param>
    /// <param name="tokensPerByte">Tokens per byte; finite, greater than 0 (see <see cref="TypicalTokensPerByteOfEnglishText"/>).</param>
    /// <returns>The size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the product exceeds <see cref="MaxTokens"/>.</exception>
    public static DatasetSize FromBytes(long bytes, double tokensPerByte)
    {
        Guard.InRange(bytes, 0, long.MaxValue, "Size in bytes");
        Guard.FinitePositive(tokensPerByte, "Tokens per byte");
        return FromProduct(bytes, tokensPerByte, "Bytes × tokens per byte");
    }

    /// <summary>Creates a size from an amount of text (a UnitsNet <see cref="Information"/>) and tokens per byte.</summary>
    /// <param name="size">The size of the text; 0 or more.</param>
    /// <param name="tokensPerByte">Tokens per byte; finite, greater than 0 (see <see cref="TypicalTokensPerByteOfEnglishText"/>).</param>
    /// <returns>The size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the product exceeds <see cref="MaxTokens"/>.</exception>
    public static DatasetSize FromInformation(Information size, double tokensPerByte) =>
        FromBytes(UnitConversions.ToBytes(size), tokensPerByte);

    /// <summary>Gets the size of this many tokens as text, at a tokenizer's tokens per byte, rounded up to a whole byte.</summary>
    /// <param name="tokensPerByte">Tokens per byte; finite, greater than 0.</param>
    /// <returns>The size as a UnitsNet <see cref="Information"/> in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokensPerByte"/> is out of range, or the size exceeds <see cref="long.MaxValue"/> bytes.</exception>
    public Information ToInformation(double tokensPerByte)
    {
        Guard.FinitePositive(tokensPerByte, "Tokens per byte");
        var bytes = Math.Ceiling(_tokens / tokensPerByte);
        Guard.InRange(bytes, 0, long.MaxValue, "Size in bytes", nameof(tokensPerByte));
        return UnitConversions.ToInformation((long)bytes);
    }

    /// <summary>Gets the tokens seen over several passes (epochs) of this data set, rounded to the nearest token.</summary>
    /// <param name="epochs">The number of passes; finite, 0 or more (fractions allowed).</param>
    /// <returns>The tokens seen.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is out of range, or the product exceeds <see cref="MaxTokens"/>.</exception>
    public DatasetSize Repeat(double epochs)
    {
        Guard.FiniteNonNegative(epochs, "Epochs");
        return FromProduct(_tokens, epochs, "Tokens × epochs");
    }

    /// <summary>Adds two data sets.</summary>
    /// <param name="other">The data set to add.</param>
    /// <returns>The combined size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum exceeds <see cref="MaxTokens"/>.</exception>
    public DatasetSize Add(DatasetSize other) =>
        new(Guard.InRange(_tokens + other._tokens, 0, MaxTokens, "The sum of dataset sizes", nameof(other)));

    /// <inheritdoc/>
    public bool Equals(DatasetSize other) => _tokens == other._tokens;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DatasetSize other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _tokens.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(DatasetSize other) => _tokens.CompareTo(other._tokens);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="DatasetSize"/>.</exception>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        DatasetSize other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(DatasetSize)}; was {obj.GetType()}.", nameof(obj)),
    };

    /// <summary>Formats the size short, e.g. <c>1.4T tokens</c>, in the current culture.</summary>
    /// <returns>The text (format <c>G</c>).</returns>
    public override string ToString() => ToString(null, null);

    /// <summary>Formats the size.</summary>
    /// <param name="format">
    /// <c>G</c> or empty (default): at most three significant digits with a scale letter — <c>1.4T tokens</c>,
    /// <c>300B tokens</c>; <c>G1</c>…<c>G15</c> choose the digits. <c>N</c>: every digit with the culture's group
    /// separator — <c>1,400,000,000,000 tokens</c>.
    /// </param>
    /// <param name="formatProvider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The formatted size.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not one of the formats above.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (!QuantityText.TryReadFormat(format, 3, out var letter, out var digits))
        {
            throw new FormatException($"Dataset size format must be G, G1 to G15 or N; was '{format}'.");
        }

        return letter switch
        {
            'G' => QuantityText.FormatShortCount(_tokens, digits, formatProvider) + " tokens",
            'N' when format!.Length == 1 => _tokens.ToString("N0", formatProvider) + " tokens",
            _ => throw new FormatException($"Dataset size format must be G, G1 to G15 or N; was '{format}'."),
        };
    }

    /// <inheritdoc cref="ToString(string?, IFormatProvider?)"/>
    /// <param name="destination">The span to write to.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">The format; see <see cref="ToString(string?, IFormatProvider?)"/>.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns><see langword="true"/> when the text fitted in <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SpanFormatting.TryCopy(ToString(format.IsEmpty ? null : format.ToString(), provider), destination, out charsWritten);

    /// <summary>Parses a size: <c>1.4T tokens</c>, <c>300B</c>, <c>2,000,000 tokens</c>, <c>15 trillion tokens</c>.</summary>
    /// <param name="s">
    /// A number in the culture of <paramref name="provider"/>, an optional scale (K, M, B, T, thousand, million,
    /// billion, trillion) and an optional unit word (tokens). A scaled value rounds to the nearest token; an
    /// unscaled one must be whole.
    /// </param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The size.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a size between 0 and 10¹⁸ tokens.</exception>
    public static DatasetSize Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, provider, out var result, out var error)
            ? result
            : throw new FormatException($"'{s}' is not a valid dataset size: {error}.");
    }

    /// <summary>Parses a size in the current culture, as <see cref="ToString()"/> formats it; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The size.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a size between 0 and 10¹⁸ tokens.</exception>
    public static DatasetSize Parse(string s) => Parse(s, CultureInfo.CurrentCulture);

    /// <summary>Tries to parse a size; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <param name="result">The size, or <see cref="Zero"/> when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> was a valid size.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DatasetSize result) =>
        TryParse(s, provider, out result, out _);

    /// <summary>Adds two data sets.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns>The combined size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum exceeds <see cref="MaxTokens"/>.</exception>
    public static DatasetSize operator +(DatasetSize left, DatasetSize right) => left.Add(right);

    /// <summary>Compares two sizes for equality.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(DatasetSize left, DatasetSize right) => left.Equals(right);

    /// <summary>Compares two sizes for inequality.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(DatasetSize left, DatasetSize right) => !left.Equals(right);

    /// <summary>Tells whether the first size is smaller.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(DatasetSize left, DatasetSize right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether the first size is larger.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    public static bool operator >(DatasetSize left, DatasetSize right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether the first size is smaller or equal.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(DatasetSize left, DatasetSize right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether the first size is larger or equal.</summary>
    /// <param name="left">The first size.</param>
    /// <param name="right">The second size.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger or equal.</returns>
    public static bool operator >=(DatasetSize left, DatasetSize right) => left.CompareTo(right) >= 0;

    private static DatasetSize FromProduct(long count, double factor, string what)
    {
        var product = Math.Round(count * factor, MidpointRounding.AwayFromZero);
        if (!(product <= MaxTokens))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor,
                $"{what} must be between 0 and {Guard.Show((double)MaxTokens)} tokens; was {Guard.Show(count * factor)}.");
        }

        return new((long)product);
    }

    private static bool TryParse(string? s, IFormatProvider? provider, out DatasetSize result, out string? error)
    {
        var ok = QuantityText.TryParseCountText(s, UnitWords, provider, MaxTokens, out var tokens, out error);
        result = ok ? new DatasetSize(tokens) : Zero;
        return ok;
    }
}
