using System.Collections.Frozen;

namespace ModelSelection.Gguf;

/// <summary>
/// The storage of every ggml tensor type: how many elements one block holds and how many bytes it takes, as the block
/// structs of llama.cpp's <c>ggml/src/ggml-common.h</c> define them (e.g. <c>block_q4_K</c>: 2 + 2 fp16 scales, 12
/// bytes of 6-bit sub-block scales, 128 bytes of nibbles = 144 bytes per 256 weights). A row's length must be a
/// multiple of its type's block; a tensor's bytes are elements ÷ block elements × block bytes.
/// </summary>
public static class GgmlTypes
{
    private static readonly FrozenDictionary<GgmlType, (int Elements, int Bytes, string Name)> Traits = new Dictionary<GgmlType, (int, int, string)>
    {
        [GgmlType.F32] = (1, 4, "f32"),
        [GgmlType.F16] = (1, 2, "f16"),
        [GgmlType.Q4_0] = (32, 18, "q4_0"),
        [GgmlType.Q4_1] = (32, 20, "q4_1"),
        [GgmlType.Q5_0] = (32, 22, "q5_0"),
        [GgmlType.Q5_1] = (32, 24, "q5_1"),
        [GgmlType.Q8_0] = (32, 34, "q8_0"),
        [GgmlType.Q8_1] = (32, 36, "q8_1"),
        [GgmlType.Q2_K] = (256, 84, "q2_K"),
        [GgmlType.Q3_K] = (256, 110, "q3_K"),
        [GgmlType.Q4_K] = (256, 144, "q4_K"),
        [GgmlType.Q5_K] = (256, 176, "q5_K"),
        [GgmlType.Q6_K] = (256, 210, "q6_K"),
        [GgmlType.Q8_K] = (256, 292, "q8_K"),
        [GgmlType.IQ2_XXS] = (256, 66, "iq2_xxs"),
        [GgmlType.IQ2_XS] = (256, 74, "iq2_xs"),
        [GgmlType.IQ3_XXS] = (256, 98, "iq3_xxs"),
        [GgmlType.IQ1_S] = (256, 50, "iq1_s"),
        [GgmlType.IQ4_NL] = (32, 18, "iq4_nl"),
        [GgmlType.IQ3_S] = (256, 110, "iq3_s"),
        [GgmlType.IQ2_S] = (256, 82, "iq2_s"),
        [GgmlType.IQ4_XS] = (256, 136, "iq4_xs"),
        [GgmlType.I8] = (1, 1, "i8"),
        [GgmlType.I16] = (1, 2, "i16"),
        [GgmlType.I32] = (1, 4, "i32"),
        [GgmlType.I64] = (1, 8, "i64"),
        [GgmlType.F64] = (1, 8, "f64"),
        [GgmlType.IQ1_M] = (256, 56, "iq1_m"),
        [GgmlType.BF16] = (1, 2, "bf16"),
        [GgmlType.TQ1_0] = (256, 54, "tq1_0"),
        [GgmlType.TQ2_0] = (256, 66, "tq2_0"),
        [GgmlType.MXFP4] = (32, 17, "mxfp4"),
        [GgmlType.NVFP4] = (64, 36, "nvfp4"),
        [GgmlType.Q1_0] = (128, 18, "q1_0"),
        [GgmlType.Q2_0] = (64, 18, "q2_0"),
    }.ToFrozenDictionary();

    /// <summary>Gets every type a GGUF file may use, in numeric order.</summary>
    public static IReadOnlyList<GgmlType> All { get; } = [.. Traits.Keys.Order()];

    /// <summary>Gets whether <paramref name="type"/> is a defined, storable type (not a retired number).</summary>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> when the table knows it.</returns>
    public static bool IsKnown(GgmlType type) => Traits.ContainsKey(type);

    /// <summary>Gets the elements one block holds (1 for plain types, 32 for Q4_0, 256 for the K-quants).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The block's elements.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known type.</exception>
    public static int BlockElements(GgmlType type) => Get(type).Elements;

    /// <summary>Gets the bytes one block takes (4 for F32, 18 for Q4_0, 144 for Q4_K).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The block's bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known type.</exception>
    public static int BlockBytes(GgmlType type) => Get(type).Bytes;

    /// <summary>Gets llama.cpp's name of the type (<c>q4_K</c>, <c>f16</c>), as its logs and <c>gguf-dump</c> print it.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known type.</exception>
    public static string Name(GgmlType type) => Get(type).Name;

    /// <summary>Gets the bits one element takes on average: block bytes × 8 ÷ block elements (4.5 for Q4_0 and Q4_K).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The bits per element.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known type.</exception>
    public static double BitsPerElement(GgmlType type) => Get(type).Bytes * 8.0 / Get(type).Elements;

    /// <summary>Gets whether the type is quantised in blocks (a block holds more than one element).</summary>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> for Q4_0, the K-quants and the like.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a known type.</exception>
    public static bool IsQuantized(GgmlType type) => Get(type).Elements > 1;

    /// <summary>Gets the bytes of <paramref name="elements"/> elements: elements ÷ block elements × block bytes; the count must fill whole blocks.</summary>
    /// <param name="type">The type.</param>
    /// <param name="elements">The elements, 0 or more, a multiple of <see cref="BlockElements"/>.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is unknown, or <paramref name="elements"/> is negative, fills no whole blocks, or overflows.</exception>
    public static long Bytes(GgmlType type, long elements)
    {
        var (blockElements, blockBytes, name) = Get(type);
        if (elements < 0 || elements % blockElements != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(elements), elements, $"A {name} tensor holds whole blocks of {blockElements} elements; {elements} is not a non-negative multiple.");
        }

        return checked(elements / blockElements * blockBytes);
    }

    private static (int Elements, int Bytes, string Name) Get(GgmlType type) =>
        Traits.TryGetValue(type, out var traits)
            ? traits
            : throw new ArgumentOutOfRangeException(nameof(type), (int)type, $"{(int)type} is not a ggml tensor type a GGUF file stores; known: {string.Join(", ", Traits.OrderBy(t => t.Key).Select(t => $"{t.Value.Name} ({(int)t.Key})"))}.");
}
