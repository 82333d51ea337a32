namespace ModelSelection.Tests;

/// <summary>Finds the repository root and the <c>shared/</c> folder beside it (present in every checkout and in CI).</summary>
public static class SharedFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string PublicConfig(string name) => Path.Combine(Shared, "data", "public-configs", name);

    public static string Contract(string name) => Path.Combine(Shared, "contract", name);

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
