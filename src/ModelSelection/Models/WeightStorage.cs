using System.Collections.Immutable;

namespace ModelSelection.Models;

/// <summary>
/// The exact bytes a model file stores its weights in, by place: the input tensors (token embedding), each block, and
/// the output tensors (final norm, LM head). A spec read from a GGUF file carries them, so its estimates use the file's
/// own bytes for its own format instead of a recipe.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class WeightStorage : IEquatable<WeightStorage>
{
    /// <summary>Creates a storage summary.</summary>
    /// <param name="format">The format the file is in (its GGUF file type).</param>
    /// <param name="inputBytes">Bytes of the tensors before the first block (token and position embeddings), 0 or more.</param>
    /// <param name="layerBytes">Bytes of each block, in order; each 0 or more.</param>
    /// <param name="outputBytes">Bytes of the tensors after the last block (final norm, LM head), 0 or more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layerBytes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A byte count is negative, or the total overflows.</exception>
    public WeightStorage(NumericPrecision format, long inputBytes, IEnumerable<long> layerBytes, long outputBytes)
    {
        ArgumentNullException.ThrowIfNull(layerBytes);
        Internal.Guard.InRange(inputBytes, 0, long.MaxValue, "Input bytes");
        Internal.Guard.InRange(outputBytes, 0, long.MaxValue, "Output bytes");
        LayerBytes = [.. layerBytes];
        var total = (Int128)inputBytes + outputBytes;
        foreach (var bytes in LayerBytes)
        {
            Internal.Guard.InRange(bytes, 0, long.MaxValue, "Layer bytes");
            total += bytes;
        }

        Format = format;
        InputBytes = inputBytes;
        OutputBytes = outputBytes;
        TotalBytes = total <= long.MaxValue ? (long)total : throw new ArgumentOutOfRangeException(nameof(layerBytes), "The weights' bytes overflow a 64-bit count.");
    }

    /// <summary>Gets the format the file is in.</summary>
    public NumericPrecision Format { get; }

    /// <summary>Gets the bytes of the tensors before the first block.</summary>
    public long InputBytes { get; }

    /// <summary>Gets the bytes of each block.</summary>
    public ImmutableArray<long> LayerBytes { get; }

    /// <summary>Gets the bytes of the tensors after the last block.</summary>
    public long OutputBytes { get; }

    /// <summary>Gets Σ of every place: input + layers + output.</summary>
    public long TotalBytes { get; }

    /// <inheritdoc/>
    public bool Equals(WeightStorage? other) => other is not null && Format == other.Format && InputBytes == other.InputBytes
        && OutputBytes == other.OutputBytes && LayerBytes.SequenceEqual(other.LayerBytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WeightStorage);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Format, TotalBytes);
}
