using ModelSelection.Models;

namespace ModelSelection;

/// <summary>
/// Where "small" ends, per kind of model. Defaults: encoders (and encoder-decoders) 100 M parameters — DistilBERT
/// (66 M), MobileBERT (25 M), TinyBERT (14.5 M) and T5-small (61 M) are small, BERT-base (110 M) and up large;
/// decoders 4 B — the "small language models" their vendors ship (Phi-3-mini 3.8 B, Gemma-2B, Qwen2-0.5B) are small,
/// Llama-2-7B and up large. The decoder line sits between the largest vendor-labelled small model (3.8 B) and the
/// smallest 7 B class model.
/// </summary>
/// <param name="Encoder">The threshold for encoders and encoder-decoders.</param>
/// <param name="Decoder">The threshold for decoders.</param>
public sealed record SizeClassThresholds(ParameterCount Encoder, ParameterCount Decoder)
{
    /// <summary>Gets the defaults: 100 M for encoders, 4 B for decoders.</summary>
    public static SizeClassThresholds Default { get; } = new(ParameterCount.FromMillions(100), ParameterCount.FromBillions(4));

    /// <summary>Classifies a model.</summary>
    /// <param name="model">The model.</param>
    /// <returns>Small below the threshold of its kind, else large.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public SizeClass Classify(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var threshold = model.Architecture.Kind == ModelKind.Decoder ? Decoder : Encoder;
        return model.Parameters < threshold ? SizeClass.Small : SizeClass.Large;
    }
}
