namespace ModelSelection.Tests.Gguf;

/// <summary>The Llama-shaped GGUF files the llama.cpp tests and the validation run write.</summary>
internal static class LlamaCppGgufWriter
{
    /// <summary>
    /// Writes a Llama-shaped file. Type -1 is llama-quantize's Q4_K_M as its source says (llama-quant.cpp): Q4_K, with
    /// attn_v and ffn_down at Q6_K in the first and last eighth of the layers and every third layer between, and the
    /// output at Q6_K.
    /// </summary>
    public static void Write(string path, int hidden, int layers, int heads, int kvHeads, int ff, int type, int vocab = 32000)
    {
        bool More(int i) => i < layers / 8 || i >= 7 * layers / 8 || (i - (layers / 8)) % 3 == 2;
        int TypeOf(string tensor, int layer) => type >= 0 ? type
            : tensor == "output.weight" ? 14
            : tensor is "attn_v.weight" or "ffn_down.weight" && More(layer) ? 14
            : 12;
        var fileType = type switch { 1 => 1u, 8 => 7u, 2 => 2u, 0 => 0u, _ => 15u };
        GgufTestWriter.Llama(vocab, hidden, layers, heads, kvHeads, ff, 4096, fileType, TypeOf).Write(path);
    }
}
