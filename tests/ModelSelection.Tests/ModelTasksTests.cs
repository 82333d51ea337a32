using ModelSelection.Models;

namespace ModelSelection.Tests;

public class ModelTasksTests
{
    [Fact]
    public void Names_RoundTrip()
    {
        foreach (var task in Enum.GetValues<ModelTask>())
        {
            Assert.Equal(task, ModelTasks.Parse(ModelTasks.ToName(task)));
            Assert.True(ModelTasks.TryParse(task.ToString().ToUpperInvariant(), out var parsed));
            Assert.Equal(task, parsed);
        }

        Assert.Equal(["embedding", "classification", "extractive-qa", "text-generation", "seq2seq", "language-modeling"], ModelTasks.AllNames);
    }

    [Fact]
    public void Parse_Unknown_ListsTheKnown()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelTasks.Parse("chat"));
        Assert.StartsWith("Unknown task 'chat'; known tasks: embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelTasks.ToName((ModelTask)42));
    }

    [Fact]
    public void DefaultFor_FollowsTheArchitecture()
    {
        Assert.Equal([ModelTask.Embedding, ModelTask.Classification, ModelTask.ExtractiveQuestionAnswering], ModelTasks.DefaultFor(ModelKind.Encoder).AsEnumerable());
        Assert.Equal([ModelTask.TextGeneration, ModelTask.LanguageModeling], ModelTasks.DefaultFor(ModelKind.Decoder).AsEnumerable());
        Assert.Contains(ModelTask.SequenceToSequence, ModelTasks.DefaultFor(ModelKind.EncoderDecoder));
    }
}
