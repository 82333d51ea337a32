using ModelSelection.Extensions.AI.Internal;
using Xunit.Abstractions;

namespace ModelSelection.Tests.ExtensionsAI;

/// <summary>
/// The prompt token count: the GPT-2 tokenizer for the GPT-2 family, ⌈characters / 4⌉ otherwise. The estimate's error
/// is measured here against the GPT-2 tokenizer on real texts from this repository (English prose, Markdown, C#), and
/// the figures in docs/extensions-ai.md come from this test's output.
/// </summary>
public sealed class PromptTokenCounterTests
{
    private readonly ITestOutputHelper _output;

    public PromptTokenCounterTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Count_gpt2_uses_the_gpt2_tokenizer()
    {
        // "Hello world" is two GPT-2 tokens, "Hello" and "Ġworld" (gpt2 vocab.json; tiktoken's gpt2 encoding agrees).
        Assert.Equal(2, PromptTokenCounter.Count("gpt2", "Hello world"));
        Assert.True(PromptTokenCounter.HasTokenizer("openai-community/gpt2-large"));
        Assert.False(PromptTokenCounter.HasTokenizer("microsoft/Phi-3-mini-4k-instruct"));
    }

    [Fact]
    public void Count_other_models_estimates_a_token_per_four_characters_rounded_up()
    {
        Assert.Equal(3, PromptTokenCounter.Count("microsoft/Phi-3-mini-4k-instruct", "Hello world"));
        Assert.Equal(0, PromptTokenCounter.Count("microsoft/Phi-3-mini-4k-instruct", string.Empty));
    }

    [Theory]
    [InlineData("README.md", 0.30)]
    [InlineData("docs/selection.md", 0.30)]
    [InlineData("LICENSE", 0.25)]
    [InlineData("src/ModelSelection/ModelSelector.cs", 0.40)]
    public void Estimate_error_against_the_gpt2_tokenizer_stays_within_the_documented_bound(string path, double bound)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), path));
        var exact = PromptTokenCounter.CountGpt2(text);
        var estimate = PromptTokenCounter.Estimate(text);
        var error = (estimate - exact) / (double)exact;
        _output.WriteLine($"{path}: {text.Length} characters, gpt2 {exact} tokens ({text.Length / (double)exact:0.00} characters a token), estimate {estimate}, error {error:+0.0%;-0.0%}");
        Assert.InRange(Math.Abs(error), 0, bound);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelSelection.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ModelSelection.sln above {AppContext.BaseDirectory}.");
    }
}
