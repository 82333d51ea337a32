namespace ModelSelection.Internal;

/// <summary>The facts about one numeric format: name, effective bits per weight as an exact fraction, kind, compute format.</summary>
/// <param name="Name">The canonical name, e.g. <c>fp16</c> or <c>q4_k_m</c>.</param>
/// <param name="BitsNumerator">The numerator of the effective bits per weight.</param>
/// <param name="BitsDenominator">The denominator of the effective bits per weight.</param>
/// <param name="Kind">How the format stores numbers.</param>
/// <param name="ComputeCode">The code of the precision the arithmetic runs in.</param>
/// <param name="Description">What the format is and where its bits come from.</param>
/// <param name="Aliases">Other spellings accepted by the parser.</param>
/// <param name="GgufFileType">llama.cpp's <c>llama_ftype</c> (the <c>general.file_type</c> of a GGUF file) the format names, or -1.</param>
internal sealed record PrecisionDescriptor(
    string Name,
    int BitsNumerator,
    int BitsDenominator,
    NumericPrecisionKind Kind,
    byte ComputeCode,
    string Description,
    string[] Aliases,
    int GgufFileType = -1);
