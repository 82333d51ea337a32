namespace ModelSelection.Samples.Console;

/// <summary>The console's exit codes, a public contract scripts depend on.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>No candidate satisfies the constraints.</summary>
    public const int NoCandidate = 1;

    /// <summary>Bad input: one clear line on stderr.</summary>
    public const int BadInput = 2;
}
