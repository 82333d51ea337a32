namespace ModelSelection.Extensions.AI.Internal;

/// <summary>The defaults of <see cref="ModelRouterOptions"/>, in one place.</summary>
internal static class ModelRouterDefaults
{
    public const SelectionObjective Objective = SelectionObjective.Quality;

    public const int DefaultMaxOutputTokens = 256;

    /// <summary>The options name of the chat router registered without a key.</summary>
    public const string ChatOptionsName = "ModelSelection.Chat";

    /// <summary>The options name of the embedding router registered without a key.</summary>
    public const string EmbeddingOptionsName = "ModelSelection.Embeddings";
}
