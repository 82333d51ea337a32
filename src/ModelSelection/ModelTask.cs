namespace ModelSelection;

/// <summary>
/// What a request asks a model to do. Each model serves the tasks its architecture allows (encoders embed, classify
/// and extract answers; decoders generate and score text; encoder-decoders transform one sequence into another), and
/// each task has a fixed default benchmark (<see cref="Quality.BenchmarkRegistry.DefaultFor(ModelTask)"/>).
/// </summary>
/// <remarks>Names as the console, configuration and JSON write them: <see cref="ModelTasks.ToName(ModelTask)"/>.</remarks>
public enum ModelTask
{
    /// <summary>Sentence or passage embeddings for search, clustering and retrieval (<c>embedding</c>).</summary>
    Embedding = 0,

    /// <summary>Sequence or token classification and other natural-language understanding (<c>classification</c>; GLUE-style).</summary>
    Classification = 1,

    /// <summary>Extractive question answering: a span of a given passage (<c>extractive-qa</c>; SQuAD-style).</summary>
    ExtractiveQuestionAnswering = 2,

    /// <summary>Open-ended generation and chat: a causal decoder writes new tokens (<c>text-generation</c>).</summary>
    TextGeneration = 3,

    /// <summary>Sequence-to-sequence transformation: translation, summarisation (<c>seq2seq</c>).</summary>
    SequenceToSequence = 4,

    /// <summary>Language modelling: scoring or continuing text, measured by perplexity (<c>language-modeling</c>).</summary>
    LanguageModeling = 5,
}
