namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// Tracks the resident-set peak of one measured shape: starts from a settled process (<see cref="ResidentMemory.Settle"/>),
/// records the resident set before the session is created, then either lets the kernel track the peak (Linux, after
/// resetting <c>VmHWM</c>) or keeps the largest of the samples taken after session creation and after every run.
/// </summary>
internal sealed class PeakTracker
{
    private readonly bool _kernelPeak;
    private long _sampledPeak;

    private PeakTracker(long before, bool kernelPeak)
    {
        Before = before;
        _kernelPeak = kernelPeak;
        _sampledPeak = before;
    }

    /// <summary>Gets the resident set before the session was created, in bytes.</summary>
    public long Before { get; }

    /// <summary>Gets how the peak is found, for a point's detail.</summary>
    public string Method => _kernelPeak
        ? "the peak (VmHWM, reset through /proc/self/clear_refs just before)"
        : $"the largest {ResidentMemory.CurrentName} sampled after session creation, input binding and every run";

    /// <summary>Settles the process, reads the resident set and resets the kernel's peak where it can.</summary>
    public static PeakTracker Start()
    {
        ResidentMemory.Settle();
        var before = ResidentMemory.Current();
        return new PeakTracker(before, ResidentMemory.TryResetPeak());
    }

    /// <summary>Takes a sample when the kernel does not track the peak.</summary>
    public void Sample()
    {
        if (!_kernelPeak)
        {
            _sampledPeak = Math.Max(_sampledPeak, ResidentMemory.Current());
        }
    }

    /// <summary>The peak minus the resident set before, in bytes (0 when the process shrank).</summary>
    public long Growth()
    {
        var peak = _kernelPeak && ResidentMemory.Peak() is { } kernel ? kernel : Math.Max(_sampledPeak, ResidentMemory.Current());
        return Math.Max(0, peak - Before);
    }
}
