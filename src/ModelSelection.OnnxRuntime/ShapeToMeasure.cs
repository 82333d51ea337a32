using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ModelSelection.OnnxRuntime.Internal;

namespace ModelSelection.OnnxRuntime;

/// <summary>
/// One input shape to measure a model at: the sequences per run (batch) and the tokens per sequence. Written and
/// parsed as <c>BATCHxSEQUENCE</c>, e.g. <c>8x128</c>.
/// </summary>
/// <remarks>
/// The default value (0 × 0) is not a valid shape; <see cref="OnnxRuntimeMeasurer"/> refuses it. Immutable and
/// thread-safe.
/// </remarks>
public readonly record struct ShapeToMeasure : IParsable<ShapeToMeasure>
{
    /// <summary>The largest batch: 1,000,000 (as <c>MeasuredPoint</c> allows).</summary>
    public const int MaxBatch = 1_000_000;

    /// <summary>The longest sequence: 10,000,000 tokens (as <c>MeasuredPoint</c> allows).</summary>
    public const int MaxSequenceLength = 10_000_000;

    /// <summary>Creates a shape.</summary>
    /// <param name="batch">Sequences per run, 1 to <see cref="MaxBatch"/>.</param>
    /// <param name="sequenceLength">Tokens per sequence, 1 to <see cref="MaxSequenceLength"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public ShapeToMeasure(int batch, int sequenceLength)
    {
        Batch = Guard.InRange(batch, 1, MaxBatch, "The batch of a shape to measure");
        SequenceLength = Guard.InRange(sequenceLength, 1, MaxSequenceLength, "The sequence length of a shape to measure");
    }

    /// <summary>Gets the sequences per run.</summary>
    public int Batch { get; }

    /// <summary>Gets the tokens per sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Parses <c>BATCHxSEQUENCE</c>: two whole numbers joined by <c>x</c>, <c>X</c> or <c>×</c>, e.g. <c>8x128</c>; spaces around either number are ignored.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not of that form, or a number is out of range; the message quotes the text and says what was expected.</exception>
    public static ShapeToMeasure Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var shape, out var problem) ? shape : throw new FormatException(problem);
    }

    /// <summary>Parses <c>BATCHxSEQUENCE</c>; see <see cref="Parse(string)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Not used: the numbers are read invariantly.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a shape.</exception>
    public static ShapeToMeasure Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var shape, out var problem) ? shape : throw new FormatException(problem);
    }

    /// <summary>Tries to parse <c>BATCHxSEQUENCE</c>; see <see cref="Parse(string)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The shape, or the default value when the text is not one.</param>
    /// <returns><see langword="true"/> when the text is a shape.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out ShapeToMeasure result) => TryParse(s, out result, out _);

    /// <summary>Tries to parse <c>BATCHxSEQUENCE</c>; see <see cref="Parse(string)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Not used: the numbers are read invariantly.</param>
    /// <param name="result">The shape, or the default value when the text is not one.</param>
    /// <returns><see langword="true"/> when the text is a shape.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ShapeToMeasure result) => TryParse(s, out result, out _);

    /// <summary>Returns the shape as <c>BATCHxSEQUENCE</c>, e.g. <c>8x128</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Batch}x{SequenceLength}");

    private static bool TryParse(string? s, out ShapeToMeasure result, out string problem)
    {
        result = default;
        if (s is null)
        {
            problem = "A shape is required: write BATCHxSEQUENCE, e.g. 8x128.";
            return false;
        }

        var parts = s.Split(['x', 'X', '×']);
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var batch)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            problem = $"'{s}' is not a shape: write BATCHxSEQUENCE, e.g. 8x128.";
            return false;
        }

        if (batch is < 1 or > MaxBatch)
        {
            problem = Guard.Invariant($"'{s}' is not a shape: the batch must be between 1 and {Guard.Show(MaxBatch)}; was {batch}.");
            return false;
        }

        if (sequence is < 1 or > MaxSequenceLength)
        {
            problem = Guard.Invariant($"'{s}' is not a shape: the sequence length must be between 1 and {Guard.Show(MaxSequenceLength)}; was {sequence}.");
            return false;
        }

        result = new ShapeToMeasure(batch, sequence);
        problem = string.Empty;
        return true;
    }
}
