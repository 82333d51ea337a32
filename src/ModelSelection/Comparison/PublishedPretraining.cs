namespace ModelSelection.Comparison;

/// <summary>A model's pre-training as its authors published it; a figure they did not state is <see langword="null"/> and <see cref="Missing"/> says which and why.</summary>
/// <param name="ModelId">The catalog id of the model.</param>
/// <param name="Hardware">The devices, as the authors describe them (e.g. <c>16 Cloud TPUs (64 TPU chips)</c>), or <see langword="null"/>.</param>
/// <param name="Days">The wall-clock time in days, or <see langword="null"/>.</param>
/// <param name="Steps">Optimizer steps, or <see langword="null"/>.</param>
/// <param name="BatchSequences">Sequences per batch, or <see langword="null"/>.</param>
/// <param name="SequenceLength">The sequence length as the authors describe it, or <see langword="null"/>.</param>
/// <param name="Tokens">Tokens processed, steps × batch × sequence length (derived from the stated schedule), or <see langword="null"/>.</param>
/// <param name="Missing">What the authors did not state, or <see langword="null"/> when nothing is missing.</param>
/// <param name="Source">The paper or README, with the section and the quoted sentence.</param>
public sealed record PublishedPretraining(string ModelId, string? Hardware, double? Days, long? Steps, long? BatchSequences, string? SequenceLength, long? Tokens, string? Missing, string Source)
{
    /// <summary>Gets the training compute, 6 × parameters × tokens (Kaplan et al. 2020, eq. 2.1), in FLOPs, or <see langword="null"/> without a token count; derived, not published.</summary>
    /// <param name="parameters">The model's parameter count.</param>
    /// <returns>The compute in FLOPs, or <see langword="null"/>.</returns>
    public double? ComputeFlops(ParameterCount parameters) => Tokens is { } tokens ? 6.0 * parameters.Count * tokens : null;
}
