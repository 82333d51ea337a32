using System.Collections.Immutable;
using ModelSelection.Models;

namespace ModelSelection;

/// <summary>
/// The names of <see cref="ModelTask"/> values as the console, configuration and JSON write them, and which tasks each
/// kind of architecture serves by default.
/// </summary>
/// <remarks>
/// Defaults by kind (a catalog entry can override them): encoders — embedding, classification, extractive QA (BERT and
/// its distillations are trained as bidirectional encoders with task heads, Devlin et al. 2019 §3); decoders — text
/// generation and language modelling (causal LMs, Radford et al. 2019); encoder-decoders — sequence-to-sequence,
/// classification and extractive QA cast as text-to-text (Raffel et al. 2020 §2.4). Thread-safe.
/// </remarks>
public static class ModelTasks
{
    private static readonly (ModelTask Task, string Name)[] Names =
    [
        (ModelTask.Embedding, "embedding"), (ModelTask.Classification, "classification"),
        (ModelTask.ExtractiveQuestionAnswering, "extractive-qa"), (ModelTask.TextGeneration, "text-generation"),
        (ModelTask.SequenceToSequence, "seq2seq"), (ModelTask.LanguageModeling, "language-modeling"),
    ];

    private static readonly ImmutableArray<ModelTask> EncoderTasks = [ModelTask.Embedding, ModelTask.Classification, ModelTask.ExtractiveQuestionAnswering];
    private static readonly ImmutableArray<ModelTask> DecoderTasks = [ModelTask.TextGeneration, ModelTask.LanguageModeling];
    private static readonly ImmutableArray<ModelTask> EncoderDecoderTasks = [ModelTask.Classification, ModelTask.ExtractiveQuestionAnswering, ModelTask.SequenceToSequence];

    /// <summary>Gets every task name, for messages and help.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>Gets the kebab-case name of a task, e.g. <c>text-generation</c>.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not a defined value.</exception>
    public static string ToName(ModelTask task)
    {
        foreach (var (value, name) in Names)
        {
            if (value == task)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(task), task, $"Task must be one of {string.Join(", ", AllNames)}; was {(int)task}.");
    }

    /// <summary>Reads a task from its kebab-case name or its enum name, ignoring case.</summary>
    /// <param name="name">The name, e.g. <c>extractive-qa</c> or <c>ExtractiveQuestionAnswering</c>.</param>
    /// <param name="task">The task, when known.</param>
    /// <returns><see langword="true"/> when the name is a known task.</returns>
    public static bool TryParse(string? name, out ModelTask task)
    {
        foreach (var (value, text) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(name, value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                task = value;
                return true;
            }
        }

        task = default;
        return false;
    }

    /// <summary>Reads a task from its name.</summary>
    /// <param name="name">The name, e.g. <c>classification</c>.</param>
    /// <returns>The task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is not a known task; the message lists the known ones.</exception>
    public static ModelTask Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var task)
            ? task
            : throw new ArgumentException($"Unknown task '{name}'; known tasks: {string.Join(", ", AllNames)}.", nameof(name));
    }

    /// <summary>Gets the tasks an architecture kind serves by default.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The tasks, in enum order.</returns>
    public static ImmutableArray<ModelTask> DefaultFor(ModelKind kind) => kind switch
    {
        ModelKind.Encoder => EncoderTasks,
        ModelKind.Decoder => DecoderTasks,
        _ => EncoderDecoderTasks,
    };
}
