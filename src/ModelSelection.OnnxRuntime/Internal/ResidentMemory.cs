using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// The process's resident set: on Linux <c>VmRSS</c> and the peak <c>VmHWM</c> from <c>/proc/self/status</c>, the peak
/// reset by writing 5 to <c>/proc/self/clear_refs</c> (Linux 4.0 and later); elsewhere the working set
/// (<see cref="Process.WorkingSet64"/>). <see cref="Settle"/> collects garbage fully and, with glibc, returns freed
/// native heap to the system (<c>malloc_trim(0)</c>), so the resident set before a measurement holds no garbage of the
/// one before.
/// </summary>
internal static partial class ResidentMemory
{
    private const string StatusPath = "/proc/self/status";
    private const string ClearRefsPath = "/proc/self/clear_refs";

    // 0: not tried yet, 1: malloc_trim works, -1: no glibc malloc_trim here (musl, or no libc by that name).
    private static int _trim;

    /// <summary>Gets what <see cref="Current"/> reads: <c>VmRSS</c> or the working set.</summary>
    public static string CurrentName => OperatingSystem.IsLinux() ? "VmRSS" : "working set";

    /// <summary>Collects every generation twice around the finalizers, then trims the native heap where glibc allows.</summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        TrimNativeHeap();
    }

    /// <summary>The resident set now, in bytes.</summary>
    public static long Current()
    {
        if (OperatingSystem.IsLinux() && ReadStatus("VmRSS") is { } rss)
        {
            return rss;
        }

        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>The peak resident set since the process started or the peak was last reset (<c>VmHWM</c>), in bytes; <see langword="null"/> off Linux or when it cannot be read.</summary>
    public static long? Peak() => OperatingSystem.IsLinux() ? ReadStatus("VmHWM") : null;

    /// <summary>Resets the kernel's peak resident set to the current one; <see langword="false"/> when that is not possible here.</summary>
    public static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText(ClearRefsPath, "5");
            return ReadStatus("VmHWM") is not null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Calls glibc's <c>malloc_trim(0)</c> on Linux; where there is no such function (musl, another libc) it is skipped from then on.</summary>
    public static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _trim) < 0)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
            Volatile.Write(ref _trim, 1);
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref _trim, -1);
        }
    }

    /// <summary>A <c>/proc/self/status</c> line's value in bytes (the file gives kB), or <see langword="null"/>.</summary>
    private static long? ReadStatus(string key)
    {
        try
        {
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (line.StartsWith(key, StringComparison.Ordinal) && line.Length > key.Length && line[key.Length] == ':')
                {
                    var value = line.AsSpan(key.Length + 1).Trim();
                    var space = value.IndexOf(' ');
                    return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes)
                        ? checked(kilobytes * 1024)
                        : null;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
