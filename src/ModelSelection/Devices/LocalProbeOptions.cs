namespace ModelSelection.Devices;

/// <summary>How the local probe measures: its time budget, threads and progress sink.</summary>
public sealed class LocalProbeOptions
{
    /// <summary>Gets or sets the wall-clock budget for both measurements, 0.1 s to 60 s.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the threads to measure on; <see langword="null"/> for every logical core.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Threads { get; set; }

    /// <summary>Gets or sets where progress lines go (e.g. a console's stderr), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IProgress<string>? Progress { get; set; }
}
