namespace ModelSelection.Models;

/// <summary>Which part of the model a tensor group belongs to, and so which tokens pass through it.</summary>
public enum TensorPart
{
    /// <summary>Input embeddings (looked up for every input token).</summary>
    Embeddings = 0,

    /// <summary>The transformer blocks: the only stack of an encoder or a decoder-only model, the encoder of an encoder-decoder.</summary>
    Blocks = 1,

    /// <summary>The decoder blocks of an encoder-decoder.</summary>
    DecoderBlocks = 2,

    /// <summary>Output heads: the pooler, the language-model head.</summary>
    Head = 3,
}
