namespace ModelSelection.Models;

/// <summary>How a model encodes token positions.</summary>
public enum PositionEncoding
{
    /// <summary>A learned table of position embeddings (BERT, GPT-2); it bounds the sequence length.</summary>
    Learned = 0,

    /// <summary>Rotary embeddings (RoPE) on all or part of each head (<see cref="ModelArchitecture.RotaryFraction"/>).</summary>
    Rotary = 1,

    /// <summary>T5's bucketed relative attention bias.</summary>
    RelativeBias = 2,

    /// <summary>ALiBi linear attention biases (no parameters).</summary>
    Alibi = 3,

    /// <summary>Transformer-XL's sinusoidal relative encodings with learned projections and biases.</summary>
    RelativeSinusoidal = 4,
}
