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
        // docs/contract is what readers see (and what SharedFiles.Contract prefers): the same schema as the tests' copy,
        // its descriptions free to point into this repository's docs rather than to design files readers lack.
        Assert.All(Files.Where(f => f.StartsWith("contract/", StringComparison.Ordinal)), f => Assert.True(
            System.Text.Json.Nodes.JsonNode.DeepEquals(WithoutDescriptions(Path.Combine(SharedFiles.RepositoryRoot, "docs", f)), WithoutDescriptions(Path.Combine(SharedFiles.Shared, f))),
            $"docs/{f} differs from the tests' copy {f} beyond its descriptions."));
        Assert.All(Directory.EnumerateFiles(Path.Combine(SharedFiles.RepositoryRoot, "docs", "contract")), f => Assert.DoesNotContain("DESIGN.md", File.ReadAllText(f), StringComparison.Ordinal));
    }

    private static System.Text.Json.Nodes.JsonNode? WithoutDescriptions(string path)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path));
        Strip(node);
        return node;

        static void Strip(System.Text.Json.Nodes.JsonNode? node)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    o.Remove("description");
                    foreach (var (_, child) in o)
                    {
                        Strip(child);
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray a:
                    foreach (var child in a)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }
}
