namespace ModelSelection.Devices;

/// <summary>How the local probe measures: its time budget, threads, repeats, progress sink and cache.</summary>
public sealed class LocalProbeOptions
{
    /// <summary>Gets or sets the wall-clock budget for all measurements and their repeats together, 0.1 s to 60 s.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the threads to measure on, 1 to 1024; <see langword="null"/> for every logical core.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? Threads { get; set; }

    /// <summary>Gets or sets how many times each measurement runs, 1 to 50; the profile takes the median and reports the range.</summary>
    /// <value>The default value is 5.</value>
    public int Repeats { get; set; } = 5;

    /// <summary>Gets or sets where progress lines go (e.g. a console's stderr), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IProgress<string>? Progress { get; set; }

    /// <summary>
    /// Gets or sets whether a measurement is read from, and written to, the per-machine cache file, so that later
    /// probes on the same machine (in this process or another) do not run the kernels again.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseCache { get; set; } = true;

    /// <summary>Gets or sets whether to measure even when a cached measurement exists; the new one replaces it (with <see cref="UseCache"/>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Refresh { get; set; }

    /// <summary>
    /// Gets or sets the cache directory; <see langword="null"/> for <c>$XDG_CACHE_HOME/ModelSelection</c> (or
    /// <c>~/.cache/ModelSelection</c>) on Linux and <c>ModelSelection</c> under the local application data folder elsewhere.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CacheDirectory { get; set; }
}
