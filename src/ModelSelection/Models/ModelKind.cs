namespace ModelSelection.Models;

/// <summary>The shape of a transformer: which stacks it has and how it is run.</summary>
public enum ModelKind
{
    /// <summary>A bidirectional encoder run once over the input (BERT, RoBERTa, DistilBERT, ALBERT, MobileBERT, TinyBERT).</summary>
    Encoder = 0,

    /// <summary>A causal decoder that generates token by token with a KV cache (GPT-2, Llama, Mistral, Phi, Falcon, Transformer-XL).</summary>
    Decoder = 1,

    /// <summary>An encoder and a decoder with cross-attention (T5).</summary>
    EncoderDecoder = 2,
}
