using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace ModelSelection.Tests.Generators;

/// <summary>
/// A realistic transformer shape in a family's config vocabulary: heads × head width = hidden, KV heads dividing the
/// heads, experts ≥ experts per token. <see cref="ToJson"/> writes it as that family's <c>config.json</c>.
/// </summary>
public sealed record ConfigShape(string Family, int Layers, int Heads, int KvHeads, int HeadDim, int Ffn, int Vocab, bool Tied, int Experts, int PerToken)
{
    public int Hidden => Heads * HeadDim;

    public string ToJson() => Family switch
    {
        "bert" => Json(("model_type", "bert"), ("vocab_size", Vocab), ("hidden_size", Hidden), ("num_hidden_layers", Layers), ("num_attention_heads", Heads), ("intermediate_size", Ffn), ("max_position_embeddings", 8192), ("type_vocab_size", 2)),
        "gpt2" => Json(("model_type", "gpt2"), ("vocab_size", Vocab), ("n_embd", Hidden), ("n_layer", Layers), ("n_head", Heads), ("n_inner", Ffn), ("n_positions", 8192), ("tie_word_embeddings", Tied)),
        "t5" => Json(("model_type", "t5"), ("vocab_size", Vocab), ("d_model", Hidden), ("d_kv", HeadDim), ("d_ff", Ffn), ("num_layers", Layers), ("num_heads", Heads), ("tie_word_embeddings", Tied)),
        "mixtral" => Json(("model_type", "mixtral"), ("vocab_size", Vocab), ("hidden_size", Hidden), ("num_hidden_layers", Layers), ("num_attention_heads", Heads), ("num_key_value_heads", KvHeads), ("intermediate_size", Ffn), ("num_local_experts", Experts), ("num_experts_per_tok", PerToken), ("tie_word_embeddings", Tied)),
        "phi3" => Json(("model_type", "phi3"), ("vocab_size", Vocab), ("hidden_size", Hidden), ("num_hidden_layers", Layers), ("num_attention_heads", Heads), ("num_key_value_heads", KvHeads), ("intermediate_size", Ffn), ("tie_word_embeddings", Tied)),
        _ => Json(("model_type", Family), ("vocab_size", Vocab), ("hidden_size", Hidden), ("num_hidden_layers", Layers), ("num_attention_heads", Heads), ("num_key_value_heads", KvHeads), ("head_dim", HeadDim), ("intermediate_size", Ffn), ("tie_word_embeddings", Tied)),
    };

    /// <summary>Whether the family has grouped-query attention (KV heads fewer than heads).</summary>
    public bool SupportsGqa => Family is "llama" or "mistral" or "qwen2" or "gemma" or "mixtral" or "phi3";

    /// <summary>Whether the family's LM head can be untied by <c>tie_word_embeddings</c>.</summary>
    public bool SupportsTying => Family != "bert";

    public static Gen<ConfigShape> Generator() =>
        from family in Gen.Elements("bert", "gpt2", "t5", "llama", "mistral", "qwen2", "gemma", "mixtral", "phi3")
        from layers in Gen.Choose(1, 12)
        from heads in Gen.Elements(1, 2, 4, 8, 12, 16, 32)
        from kvDivisor in Gen.Elements(1, 2, 4, 8)
        from headDim in Gen.Elements(8, 16, 32, 64, 128)
        from ffnMultiple in Gen.Choose(1, 8)
        from vocab in Gen.Choose(100, 64_000)
        from tied in Gen.Elements(true, false)
        from experts in Gen.Choose(2, 16)
        from perToken in Gen.Choose(1, 4)
        let kv = heads % kvDivisor == 0 ? heads / kvDivisor : heads
        select new ConfigShape(family, layers, heads, family is "bert" or "gpt2" or "t5" ? heads : kv, headDim, ffnMultiple * heads * headDim, vocab, tied, family == "mixtral" ? experts : 0, family == "mixtral" ? Math.Min(perToken, experts) : 0);

    private static string Json(params (string Key, object Value)[] entries) =>
        "{" + string.Join(",", entries.Select(e => $"\"{e.Key}\":{Format(e.Value)}")) + "}";

    private static string Format(object value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException("unexpected value", nameof(value)),
    };
}
