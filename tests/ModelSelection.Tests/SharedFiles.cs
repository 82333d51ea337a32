namespace ModelSelection.Tests;

/// <summary>
/// The shared material the tests check against — the console's JSON contract, the device facts, public model
/// configs — read from the copy in <c>tests/ModelSelection.Tests/SharedCopy</c>, so that a clone anywhere (also
/// without <c>../shared</c> beside it) runs every test. <see cref="SharedCopyTests"/> fails when the copy drifts from
/// <c>../shared</c> where that folder exists.
/// </summary>
public static class SharedFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The in-repository copy of the shared files the tests use.</summary>
    public static string Shared => Path.Combine(RepositoryRoot, "tests", "ModelSelection.Tests", "SharedCopy");

    /// <summary>The <c>shared/</c> folder beside the repository, or <see langword="null"/> when this checkout has none.</summary>
    public static string? Original => Directory.Exists(Path.Combine(RepositoryRoot, "..", "shared", "contract"))
        ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
        : null;

    public static string PublicConfig(string name) => Path.Combine(Shared, "data", "public-configs", name);

    public static string Contract(string name) => File.Exists(Path.Combine(RepositoryRoot, "docs", "contract", name))
        ? Path.Combine(RepositoryRoot, "docs", "contract", name)
        : Path.Combine(Shared, "contract", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelSelection.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ModelSelection.sln not found above {AppContext.BaseDirectory}.");
    }
}
