namespace ModelSelection.Tests;

/// <summary>The in-repository copy of the shared files is complete and, where <c>../shared</c> exists, identical to it.</summary>
public class SharedCopyTests
{
    private static readonly string[] Files =
    [
        "contract/catalog.schema.json",
        "contract/estimate.schema.json",
        "contract/plan.schema.json",
        "contract/select.schema.json",
        "data/devices.json",
        "data/public-configs/bert-base-uncased.config.json",
        "data/public-configs/gpt2.config.json",
        "data/public-configs/llama-2-7b-hf.config.json",
    ];

    [Fact]
    public void Copy_HoldsEveryFileTheTestsRead()
    {
        Assert.All(Files, f => Assert.True(File.Exists(Path.Combine(SharedFiles.Shared, f)), $"{f} is missing from {SharedFiles.Shared}"));
        Assert.Equal(Files.Length, Directory.EnumerateFiles(SharedFiles.Shared, "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void Copy_EqualsTheOriginalWhereThisCheckoutHasOne()
    {
        if (SharedFiles.Original is not { } original)
        {
            return; // a clone without ../shared: nothing to compare against
        }

        Assert.All(Files, f => Assert.True(
            File.ReadAllBytes(Path.Combine(original, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(SharedFiles.Shared, f))),
            $"{f} differs from {original}/{f}: copy it again (cp ../shared/{f} tests/ModelSelection.Tests/SharedCopy/{f})."));
    }

    [Fact]
    public void TheDocumentedContracts_AreTheOnesTheTestsCheck()
    {
        // docs/contract is what readers see (and what SharedFiles.Contract prefers); it must not drift from the copy.
        Assert.All(Files.Where(f => f.StartsWith("contract/", StringComparison.Ordinal)), f => Assert.True(
            File.ReadAllBytes(Path.Combine(SharedFiles.RepositoryRoot, "docs", f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(SharedFiles.Shared, f))),
            $"docs/{f} differs from the tests' copy {f}."));
    }
}
