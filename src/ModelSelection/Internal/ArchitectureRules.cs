using ModelSelection.Models;

namespace ModelSelection.Internal;

/// <summary>The consistency rules every <see cref="ModelArchitecture"/> obeys.</summary>
internal static class ArchitectureRules
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the model and the field when a rule is broken.</summary>
    public static void Validate(ModelArchitecture a, string id, string paramName)
    {
        Positive(a.Layers, nameof(a.Layers), id, paramName);
        Positive(a.HiddenSize, nameof(a.HiddenSize), id, paramName);
        Positive(a.AttentionHeads, nameof(a.AttentionHeads), id, paramName);
        Positive(a.KeyValueHeads, nameof(a.KeyValueHeads), id, paramName);
        Positive(a.HeadDimension, nameof(a.HeadDimension), id, paramName);
        Positive(a.FeedForwardSize, nameof(a.FeedForwardSize), id, paramName);
        Positive(a.VocabularySize, nameof(a.VocabularySize), id, paramName);
        NotNegative(a.DecoderLayers, nameof(a.DecoderLayers), id, paramName);
        NotNegative(a.EmbeddingSize, nameof(a.EmbeddingSize), id, paramName);
        NotNegative(a.MaxPositions, nameof(a.MaxPositions), id, paramName);
        NotNegative(a.Experts, nameof(a.Experts), id, paramName);
        NotNegative(a.ExpertsPerToken, nameof(a.ExpertsPerToken), id, paramName);
        NotNegative(a.MemoryLength, nameof(a.MemoryLength), id, paramName);
        if (a.AttentionHeads % a.KeyValueHeads != 0)
        {
            throw new ArgumentException($"Model '{id}': {nameof(a.KeyValueHeads)} must divide {nameof(a.AttentionHeads)}; was {a.KeyValueHeads} and {a.AttentionHeads}.", paramName);
        }

        if (a.ExpertsPerToken > a.Experts)
        {
            throw new ArgumentException($"Model '{id}': {nameof(a.ExpertsPerToken)} must be at most {nameof(a.Experts)}; was {a.ExpertsPerToken} and {a.Experts}.", paramName);
        }

        if (a.Kind == ModelKind.EncoderDecoder ? a.DecoderLayers < 1 : a.DecoderLayers != 0)
        {
            throw new ArgumentException($"Model '{id}': {nameof(a.DecoderLayers)} must be at least 1 for an encoder-decoder and 0 otherwise; was {a.DecoderLayers} for {a.Kind}.", paramName);
        }

        if (a.SlidingWindow is < 1)
        {
            throw new ArgumentException($"Model '{id}': {nameof(a.SlidingWindow)} must be at least 1 when set; was {a.SlidingWindow}.", paramName);
        }

        if (!double.IsFinite(a.RotaryFraction) || a.RotaryFraction < 0 || a.RotaryFraction > 1)
        {
            throw new ArgumentException($"Model '{id}': {nameof(a.RotaryFraction)} must be between 0 and 1; was {Guard.Show(a.RotaryFraction)}.", paramName);
        }
    }

    private static void Positive(int value, string field, string id, string paramName)
    {
        if (value < 1)
        {
            throw new ArgumentException($"Model '{id}': {field} must be at least 1; was {value}.", paramName);
        }
    }

    private static void NotNegative(int value, string field, string id, string paramName)
    {
        if (value < 0)
        {
            throw new ArgumentException($"Model '{id}': {field} must be 0 or more; was {value}.", paramName);
        }
    }
}
