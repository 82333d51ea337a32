namespace ModelSelection.Estimation;

/// <summary>
/// FLOPs of a request, with the convention they were counted under (FLOPs = 2 × multiply-accumulates; linear layers
/// and the attention score and context products; see <see cref="Convention"/>).
/// </summary>
/// <param name="Forward">One forward pass over the input: an encoder over batch × sequence, a decoder's prefill over the prompt (LM head on every position), an encoder-decoder's encoder plus its first decoder step.</param>
/// <param name="PerGeneratedToken">One decoding step at the average context during generation (all sequences of the batch); <see langword="null"/> for encoders.</param>
/// <param name="Total">The whole request: forward plus every generated token.</param>
/// <param name="Convention">What was counted.</param>
public readonly record struct FlopEstimate(FlopCount Forward, FlopCount? PerGeneratedToken, FlopCount Total, FlopOptions Convention);
