using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ModelSelection.Internal;

namespace ModelSelection.Devices;

/// <summary>
/// Measures this machine's CPU within a time budget: memory available to the process (container limits respected),
/// logical cores, instruction sets, the core clock, sustained fp32 FLOP/s and int8 OP/s (register-tiled GEMM
/// micro-kernels at the widest vectors, one thread per logical core) and sustained memory bandwidth (a STREAM triad
/// over three arrays of 32 MiB), each repeated and summarised by its median and range; the result is cached per machine.
/// </summary>
/// <remarks>
/// <para>
/// The fp32 kernel is the inner loop of a BLAS-style GEMM: a 6-row × two-vector register tile with twelve independent
/// accumulators (enough to hide the fused multiply-add latency), the A values broadcast and the B panel streamed from
/// L1, written with <c>System.Runtime.Intrinsics</c> for AVX-512F (512-bit), FMA3 (256-bit) or Arm AdvSimd (128-bit),
/// whichever is widest. The int8 kernel has the same shape with AVX-VNNI <c>vpdpbusd</c>, AVX-512BW/AVX2
/// <c>vpmaddubsw</c> + <c>vpmaddwd</c> (the path ONNX Runtime's MLAS takes without VNNI) or Arm <c>sdot</c>; an int8
/// multiply-add counts as two operations. .NET 10 exposes no AVX-512 VNNI (EVEX) and no bf16 dot product, so an AVX-512
/// VNNI machine without AVX-VNNI is measured with the AVX-512BW sequence, and bf16 is never measured (it falls back to
/// fp32); the profile's <see cref="DeviceProfile.Notes"/> say so.
/// </para>
/// <para>
/// Measured peaks are sustained figures, so the profile's efficiencies are 1. The profile's
/// <see cref="DeviceProfile.Measurement"/> gives each median with its min–max over the repeats, the clock and FLOPs per
/// cycle; <see cref="DeviceProfile.Notes"/> warns when the machine looked loaded (a range above 15 % of the median, or
/// a load average above the logical core count).
/// </para>
/// <para>
/// Contention below the guest (another machine on the vCPUs' sibling hyperthreads) slows every run of a probe alike, so
/// neither the range nor the busy-time correction shows it. On Linux the probe therefore divides the fp32 rate by the
/// physical cores it ran on (hyperthreads of one core count once) and the measured clock; under 60 % of the fewest FLOP
/// per cycle any core issues with the kernel's instruction (32 for AVX-512F, 16 for FMA3, 4 for AdvSimd), it waits 1 s,
/// measures again, keeps the faster measurement and says so in the notes, with a warning when the kept one is still
/// that slow. Such a probe takes about twice its budget.
/// </para>
/// <para>
/// Caching: a measurement is written to <c>local-probe-*.json</c> in <see cref="LocalProbeOptions.CacheDirectory"/>,
/// keyed by CPU model, logical cores, memory, runtime, architecture, this probe's version and its settings, and read
/// back by later probes in any process (<see cref="LocalProbeOptions.Refresh"/> re-measures). Calls with
/// <see langword="null"/> options are also cached per probe instance. The kernels refuse to run when this assembly was
/// built without JIT optimisation (a Debug build), whose figures are several times too low.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class LocalDeviceProbe : ILocalDeviceProbe
{
    /// <summary>The probe's version; part of the cache key, so a new kernel never reads an old measurement.</summary>
    internal const int Version = 2;

    private const int Fp32Depth = 128;     // B panel: 128 × 32 floats = 16 KiB, L1-resident
    private const int Int8Depth = 256;     // B panel: 256 × 32 bytes = 8 KiB
    private const int CallsPerCheck = 16;  // tile calls between deadline checks (tens of microseconds)
    private const int TriadElements = 4 << 20; // 4 Mi doubles = 32 MiB per array, 96 MiB for three
    private const double SpreadWarning = 0.15;
    private const double ContendedShare = 0.6; // of the fewest FLOP per cycle any core issues with the kernel's instruction

    private readonly object _gate = new();
    private readonly LocalProbeOptions _defaults;
    private Task<DeviceProfile>? _cached;
    private int _measurements;

    /// <summary>Initializes a probe whose <see langword="null"/>-options calls use the default <see cref="LocalProbeOptions"/>.</summary>
    public LocalDeviceProbe()
        : this(new LocalProbeOptions())
    {
    }

    /// <summary>Initializes a probe whose <see langword="null"/>-options calls use <paramref name="defaults"/> (e.g. another cache directory).</summary>
    /// <param name="defaults">The options for calls that pass none; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="defaults"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The budget, threads or repeats are out of range.</exception>
    public LocalDeviceProbe(LocalProbeOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Validate(defaults);
        _defaults = defaults;
    }

    /// <summary>Gets the shared probe, whose default-options result is cached per process and per machine.</summary>
    public static LocalDeviceProbe Default { get; } = new();

    /// <summary>Gets how many times this instance has run the kernels (cache hits do not count); for tests and diagnostics.</summary>
    internal int Measurements => Volatile.Read(ref _measurements);

    /// <summary>Gets or sets whether to behave as if the assembly were a Debug build (tests of the refusal).</summary>
    internal bool AssumeJitOptimizerDisabled { get; init; }

    /// <summary>Gets or sets the FLOP per cycle per core to judge contention against in place of the kernel's (tests of the second measurement).</summary>
    internal double? AssumeKernelMinimumFlopsPerCycle { get; init; }

    /// <summary>Gets whether this assembly was compiled with the JIT optimiser disabled (a Debug build).</summary>
    internal static bool IsJitOptimizerDisabled { get; } =
        typeof(LocalDeviceProbe).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;

    /// <summary>Probes this machine with the default options, cached per process and per machine.</summary>
    /// <param name="cancellationToken">Cancels the wait (and the measurement, when this call started it).</param>
    /// <returns>The profile.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="InvalidOperationException">Nothing is cached and this assembly is a Debug build, whose kernels would measure several times too low.</exception>
    public static Task<DeviceProfile> ProbeThisMachineAsync(CancellationToken cancellationToken = default) => Default.ProbeAsync(null, cancellationToken);

    /// <summary>Gets the SIMD instruction sets the runtime reports for this machine.</summary>
    /// <returns>Names such as AVX2, FMA, AVX-512F, AVX-512BW, AVX-VNNI, NEON, DOTPROD, SVE.</returns>
    public static IReadOnlyList<string> InstructionSets()
    {
        var sets = new List<string>();
        if (Sse42.IsSupported) { sets.Add("SSE4.2"); }
        if (Avx2.IsSupported) { sets.Add("AVX2"); }
        if (Fma.IsSupported) { sets.Add("FMA"); }
        if (Avx512F.IsSupported) { sets.Add("AVX-512F"); }
        if (Avx512BW.IsSupported) { sets.Add("AVX-512BW"); }
        if (ProbeKernels.HasAvxVnni) { sets.Add("AVX-VNNI"); }
#if NET9_0_OR_GREATER
        if (Avx10v1.IsSupported) { sets.Add("AVX10.1"); }
#endif
        if (AdvSimd.IsSupported) { sets.Add("NEON"); }
        if (AdvSimd.Arm64.IsSupported) { sets.Add("NEON-A64"); }
        if (Dp.IsSupported) { sets.Add("DOTPROD"); }
#if NET9_0_OR_GREATER
#pragma warning disable SYSLIB5003 // SVE is experimental in .NET 9/10; only its presence is read.
        if (Sve.IsSupported) { sets.Add("SVE"); }
#pragma warning restore SYSLIB5003
#endif
        return sets;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The options' budget, thread count or repeats are out of range.</exception>
    /// <exception cref="InvalidOperationException">A measurement is needed and this assembly is a Debug build, whose kernels would measure several times too low.</exception>
    public Task<DeviceProfile> ProbeAsync(LocalProbeOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options is not null)
        {
            Validate(options);
            return Task.Run(() => Resolve(options, cancellationToken), cancellationToken);
        }

        Task<DeviceProfile> run;
        lock (_gate)
        {
            if (_cached is null || _cached.IsFaulted || _cached.IsCanceled)
            {
                _cached = Task.Run(() => Resolve(_defaults, cancellationToken), cancellationToken);
            }

            run = _cached;
        }

        return run.WaitAsync(cancellationToken);
    }

    private static void Validate(LocalProbeOptions options)
    {
        if (options.TimeBudget < TimeSpan.FromSeconds(0.1) || options.TimeBudget > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TimeBudget, $"Probe time budget must be between 0.1 s and 60 s; was {options.TimeBudget.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }

        if (options.Threads is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Threads, $"Probe threads must be between 1 and 1024, or null for every core; was {options.Threads}.");
        }

        if (options.Repeats is < 1 or > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Repeats, $"Probe repeats must be between 1 and 50; was {options.Repeats.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private DeviceProfile Resolve(LocalProbeOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var threads = options.Threads ?? Environment.ProcessorCount;
        var memory = Math.Max(1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        var cpu = CpuModel();
        var key = string.Create(CultureInfo.InvariantCulture,
            $"probe v{Version}|{cpu}|{Environment.ProcessorCount} logical cores|{memory} bytes|{RuntimeInformation.FrameworkDescription}|{RuntimeInformation.ProcessArchitecture}|{string.Join(",", InstructionSets())}|threads {threads}|repeats {options.Repeats}|budget {options.TimeBudget.TotalMilliseconds} ms");
        var path = options.UseCache ? ProbeCache.PathFor(options.CacheDirectory ?? ProbeCache.DefaultDirectory, key) : null;
        if (path is not null && !options.Refresh && ProbeCache.TryRead(path, key) is { } cached)
        {
            options.Progress?.Report($"read the cached measurement {path}");
            return cached;
        }

        if (AssumeJitOptimizerDisabled || IsJitOptimizerDisabled)
        {
            throw new InvalidOperationException(
                "The local probe does not measure with a Debug build of ModelSelection: its JIT optimiser is disabled (DebuggableAttribute.IsJITOptimizerDisabled), " +
                "which makes the SIMD kernels several times slower and the profile wrong. Build with -c Release, or read a measurement cached by a Release build.");
        }

        Interlocked.Increment(ref _measurements);
        var measuredUtc = DateTime.UtcNow;
        var minimum = AssumeKernelMinimumFlopsPerCycle ?? ProbeKernels.Fp32MinimumFlopsPerCycle;
        var profile = Measure(options, threads, memory, cpu, minimum, cancellationToken, out var contended);
        if (contended is { } first)
        {
            // A contention episode below the guest (another machine on the vCPUs' sibling hyperthreads) halves every run
            // of a probe alike, so the spread cannot show it; it passes within seconds to minutes. Measure once more after
            // a pause and keep the faster measurement.
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"fp32 reached {first.FlopsPerCycle:0.0} FLOP per cycle per core, under {ContendedShare * 100:0} % of the {first.Minimum:0} any core issues with this kernel: the cores look shared; measuring again in 1 s"));
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            cancellationToken.ThrowIfCancellationRequested();
            var again = Measure(options, threads, memory, cpu, minimum, cancellationToken, out _);
            var kept = again.PeakFlops.Fp32 > profile.PeakFlops.Fp32 ? again : profile;
            var note = string.Create(CultureInfo.InvariantCulture, $"Measured twice: the first measurement read fp32 {profile.PeakFlops.Fp32:0.###e0} FLOP/s ({first.FlopsPerCycle:0.0} FLOP per cycle per core, under {ContendedShare * 100:0} % of the {first.Minimum:0} any core issues with this kernel), the second {again.PeakFlops.Fp32:0.###e0}; this profile is the {(ReferenceEquals(kept, again) ? "second" : "first")}.");
            profile = kept with { Notes = kept.Notes is null ? note : kept.Notes + " " + note };
        }

        if (path is not null)
        {
            var written = ProbeCache.TryWrite(path, key, profile, measuredUtc);
            options.Progress?.Report(written ? $"cached the measurement in {path}" : $"could not write the cache {path}; the next probe will measure again");
        }

        return profile;
    }

    private static DeviceProfile Measure(LocalProbeOptions options, int threads, long memory, string cpu, double? minimumPerCycle, CancellationToken cancellationToken, out (double FlopsPerCycle, double Minimum)? contended)
    {
        var started = Stopwatch.GetTimestamp();
        var repeats = options.Repeats;
        var sets = InstructionSets();
        var load = LoadAverage();
        var int8Path = ProbeKernels.Int8Path;
        var computeShare = options.TimeBudget * (int8Path is null ? 0.6 : 0.4) / repeats;
        var int8Share = options.TimeBudget * 0.2 / repeats;
        var bandwidthShare = options.TimeBudget * 0.4 / repeats;

        options.Progress?.Report("measuring the core clock: a chain of dependent integer additions");
        var clock = MeasureClock();

        var (fp32Wall, fp32) = Repeat(repeats, r =>
        {
            options.Progress?.Report($"measuring fp32 FLOP/s, run {r + 1} of {repeats}: {ProbeKernels.Rows}×{ProbeKernels.Fp32Columns} register tiles ({ProbeKernels.Fp32Path}) on {threads} threads");
            return MeasureThreads(threads, computeShare, Fp32Worker, cancellationToken);
        });

        (ProbeSample Wall, ProbeSample Busy)? int8Samples = null;
        if (int8Path is not null)
        {
            int8Samples = Repeat(repeats, r =>
            {
                options.Progress?.Report($"measuring int8 OP/s, run {r + 1} of {repeats}: {int8Path} on {threads} threads");
                return MeasureThreads(threads, int8Share, Int8Worker, cancellationToken);
            });
        }

        options.Progress?.Report("preparing the bandwidth buffers: 3 × 32 MiB of doubles");
        var a = GC.AllocateUninitializedArray<double>(TriadElements);
        var b = new double[TriadElements];
        var c = new double[TriadElements];
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
        ProbeKernels.Triad(a, b, c, 0, TriadElements); // first touch, untimed
        var (bandwidthWall, bandwidth) = Repeat(repeats, r =>
        {
            options.Progress?.Report($"measuring memory bandwidth, run {r + 1} of {repeats}: triad over 3 × 32 MiB on {threads} threads");
            return MeasureThreads(threads, bandwidthShare, (index, count, deadline, token) => TriadWorker(a, b, c, index, count, deadline, token), cancellationToken);
        });

        var int8 = int8Samples?.Busy;
        var elapsed = Stopwatch.GetElapsedTime(started);
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"probe done in {elapsed.TotalSeconds:0.00} s"));

        var x64 = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
        var flopsPerCycle = fp32.Median / (threads * clock);
        var int8Text = int8 is { } i8
            ? string.Create(CultureInfo.InvariantCulture, $"int8: {ProbeKernels.Rows}×{ProbeKernels.Int8Columns} tile, {int8Path}, depth {Int8Depth}, 2 OP per multiply-add: {Show(i8)} OP/s [wall {int8Samples!.Value.Wall.Median:0.###e0}]. ")
            : "int8: no int8 dot-product instructions exposed to .NET on this machine; falls back to fp32. ";
        var loadText = load is { } l ? l.ToString("0.00", CultureInfo.InvariantCulture) : "unknown";
        var measurement = string.Create(CultureInfo.InvariantCulture,
            $"{cpu}: {threads} threads on {Environment.ProcessorCount} logical cores ({RuntimeInformation.ProcessArchitecture}; {(sets.Count == 0 ? "no SIMD" : string.Join(", ", sets))}); {RuntimeInformation.FrameworkDescription}. " +
            $"Clock: {clock / 1e9:0.00} GHz from a dependent integer chain on one thread. " +
            $"Rates are busy rates (work ÷ the process's CPU seconds × threads: what the threads sustain while they hold a core, the wall-clock rate on an idle machine), medians over {repeats} runs; wall-clock medians in brackets. " +
            $"fp32: {ProbeKernels.Rows}×{ProbeKernels.Fp32Columns} register-tiled GEMM micro-kernel ({ProbeKernels.Fp32Path}), depth {Fp32Depth}, L1-resident panels, all threads together: {Show(fp32)} FLOP/s [wall {fp32Wall.Median:0.###e0}], {flopsPerCycle:0.0} FLOP per cycle per thread at the measured clock. " +
            $"{int8Text}" +
            $"bf16: not measured, .NET exposes no bf16 dot product; falls back to fp32. " +
            $"Bandwidth: STREAM triad a = b + s·c over three 32 MiB double arrays, 24 bytes per element, all threads together: {Show(bandwidth)} B/s [wall {bandwidthWall.Median:0.###e0}]. " +
            $"Load average before: {loadText}. " +
            $"Memory: GC total available memory (container limits respected). Efficiencies are 1: the rates are already sustained. Probe v{Version} took {elapsed.TotalSeconds:0.00} s; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        var notes = new List<string>();
        var noisy = new List<string>();
        AddIfNoisy(noisy, "fp32", fp32);
        if (int8 is { } noisyInt8) { AddIfNoisy(noisy, "int8", noisyInt8); }
        AddIfNoisy(noisy, "bandwidth", bandwidth);
        var share = fp32Wall.Median / fp32.Median;
        if (share < 0.85)
        {
            noisy.Add(string.Create(CultureInfo.InvariantCulture, $"the probe's threads held their cores {share * 100:0} % of the time"));
        }

        var physical = PhysicalCores();
        contended = LooksContended(fp32.Median, Math.Min(threads, physical ?? threads), clock, physical is null ? null : minimumPerCycle) is { } perCore
            ? (perCore, minimumPerCycle!.Value)
            : null;
        if (contended is { } c32)
        {
            noisy.Add(string.Create(CultureInfo.InvariantCulture, $"fp32 reached {c32.FlopsPerCycle:0.0} FLOP per cycle per core, under {ContendedShare * 100:0} % of the {c32.Minimum:0} any core issues with this kernel, so the cores looked shared with other work (another guest on their sibling hyperthreads, or vCPUs that are hyperthreads of one core)"));
        }

        if (noisy.Count > 0 || load > Environment.ProcessorCount)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Warning: the machine looked loaded while probed ({string.Join("; ", noisy.Append(load > Environment.ProcessorCount ? $"load average {load:0.00} on {Environment.ProcessorCount} logical cores" : null).OfType<string>())}); the busy rates correct for time-sharing but not for shared caches and memory bandwidth. Re-measure when it is idle (Refresh)."));
        }

        if (x64 && int8Path is not null && !ProbeKernels.HasAvxVnni && CpuFlags().Contains("avx512_vnni"))
        {
            notes.Add("int8 is a lower bound: this CPU has AVX-512 VNNI, which .NET does not expose, so it was measured with the AVX-512BW sequence; runtimes using vpdpbusd reach more.");
        }

        if (CpuFlags().Contains("avx512_bf16") || CpuFlags().Contains("bf16"))
        {
            notes.Add("bf16 is not measured: this CPU has bf16 dot-product instructions, but .NET exposes none; bf16 falls back to fp32.");
        }

        return new DeviceProfile
        {
            Id = "local",
            DisplayName = $"This machine ({cpu}; {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores)",
            Class = x64 ? DeviceClass.ServerCpu : DeviceClass.EdgeCpu,
            MemoryBytes = memory,
            IsUnifiedMemory = true,
            MemoryBandwidthBytesPerSecond = Math.Max(1, bandwidth.Median),
            PeakFlops = new PrecisionPeaks { Fp32 = Math.Max(1, fp32.Median), Int8 = int8 is { } peak ? Math.Max(1, peak.Median) : null },
            ComputeEfficiency = 1,
            MemoryEfficiency = 1,
            Sources = ["measured on this machine by ModelSelection.Devices.LocalDeviceProbe"],
            Measurement = measurement,
            Notes = notes.Count == 0 ? null : string.Join(" ", notes),
        };

        static string Show(ProbeSample s) => string.Create(CultureInfo.InvariantCulture, $"median {s.Median:0.###e0} (min {s.Min:0.###e0}, max {s.Max:0.###e0}, range {s.Spread * 100:0.#} % of the median)");

        static void AddIfNoisy(List<string> noisy, string what, ProbeSample sample)
        {
            if (sample.Spread > SpreadWarning)
            {
                noisy.Add(string.Create(CultureInfo.InvariantCulture, $"{what} runs ranged {sample.Spread * 100:0} % of their median, above {SpreadWarning * 100:0} %"));
            }
        }
    }

    /// <summary>The core clock in Hz: the fastest of ten timed chains of 4 Mi dependent one-cycle integer operations (about 1 ms each, short enough that one runs without being descheduled on a busy machine).</summary>
    private static double MeasureClock()
    {
        const long iterations = 1 << 18;
        ProbeKernels.DependentChain(1024, 1); // compile
        var best = 0.0;
        for (var i = 0; i < 10; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var value = ProbeKernels.DependentChain(iterations, start);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            GC.KeepAlive(value);
            best = Math.Max(best, iterations * 16.0 / seconds);
        }

        return best;
    }

    /// <summary>
    /// The fp32 FLOP per cycle per core when it is under <see cref="ContendedShare"/> of the fewest any core issues with
    /// the kernel's instruction (the cores were shared with other work while measured), else <see langword="null"/>.
    /// </summary>
    /// <param name="fp32">The measured fp32 FLOP/s, all threads together.</param>
    /// <param name="cores">The physical cores the threads ran on.</param>
    /// <param name="clock">The measured clock, in Hz.</param>
    /// <param name="minimumPerCycle">The fewest FLOP per cycle per core of the kernel's instruction; <see langword="null"/> where unknown (no check).</param>
    /// <returns>The FLOP per cycle per core, or <see langword="null"/> when the rate is plausible or cannot be judged.</returns>
    internal static double? LooksContended(double fp32, int cores, double clock, double? minimumPerCycle)
    {
        if (minimumPerCycle is not { } minimum || cores < 1 || !(clock > 0))
        {
            return null;
        }

        var perCore = fp32 / (cores * clock);
        return perCore < ContendedShare * minimum ? perCore : null;
    }

    /// <summary>
    /// The physical cores this process may run on: distinct <c>thread_siblings_list</c> sets of the CPUs in its affinity
    /// mask on Linux, so hyperthreads of one core count once; <see langword="null"/> elsewhere (the contention check is
    /// then skipped).
    /// </summary>
    private static int? PhysicalCores()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/devices/system/cpu"))
            {
                return null;
            }

            using var process = Process.GetCurrentProcess();
            var mask = (ulong)(long)process.ProcessorAffinity;
            var cores = Directory.GetDirectories("/sys/devices/system/cpu", "cpu*")
                .Select(d => (Path: d, Id: int.TryParse(Path.GetFileName(d).AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1))
                .Where(c => c.Id >= 0 && (c.Id >= 64 || (mask & (1UL << c.Id)) != 0))
                .Select(c => Path.Combine(c.Path, "topology", "thread_siblings_list"))
                .Where(File.Exists)
                .Select(f => File.ReadAllText(f).Trim())
                .Distinct(StringComparer.Ordinal)
                .Count();
            return cores > 0 ? cores : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The one-minute load average from <c>/proc/loadavg</c>, or <see langword="null"/> where there is none.</summary>
    private static double? LoadAverage()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/loadavg"))
            {
                var first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
                return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>The CPU model: <c>model name</c> from <c>/proc/cpuinfo</c>, <c>PROCESSOR_IDENTIFIER</c> on Windows, else the architecture.</summary>
    private static string CpuModel()
    {
        var model = CpuInfoField("model name") ?? CpuInfoField("Model") ?? Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER");
        return string.IsNullOrWhiteSpace(model) ? $"unknown {RuntimeInformation.ProcessArchitecture} CPU" : model.Trim();
    }

    /// <summary>The CPU's feature flags from <c>/proc/cpuinfo</c> (<c>flags</c> on x86, <c>Features</c> on Arm), or an empty set.</summary>
    private static HashSet<string> CpuFlags() =>
        [.. (CpuInfoField("flags") ?? CpuInfoField("Features") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static string? CpuInfoField(string name)
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo"))
            {
                return null;
            }

            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == name)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>Runs <paramref name="run"/> <paramref name="repeats"/> times and summarises the wall-clock and busy rates.</summary>
    private static (ProbeSample Wall, ProbeSample Busy) Repeat(int repeats, Func<int, (double Wall, double Busy)> run)
    {
        var wall = new double[repeats];
        var busy = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            (wall[r], busy[r]) = run(r);
        }

        return (ProbeSample.From(wall), ProbeSample.From(busy));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="count"/> dedicated threads until a shared deadline; returns the
    /// wall-clock rate (Σ units ÷ elapsed seconds) and the busy rate (Σ units ÷ the process's CPU seconds × threads,
    /// what the threads do per second while they hold a core; equal to the wall rate on an idle machine).
    /// </summary>
    private static (double Wall, double Busy) MeasureThreads(int count, TimeSpan duration, Func<int, int, long, CancellationToken, double> work, CancellationToken token)
    {
        var totals = new double[count];
        var errors = new Exception?[count];
        using var ready = new Barrier(count + 1);
        var deadline = 0L;
        var workers = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            workers[i] = new Thread(() =>
            {
                try
                {
                    // Inside the try: a cancellation while waiting at the barrier must not escape a worker thread.
                    ready.SignalAndWait(token);
                    totals[index] = work(index, count, Volatile.Read(ref deadline), token);
                }
                catch (Exception exception)
                {
                    errors[index] = exception;
                }
            }) { IsBackground = true, Name = $"modelselection-probe-{index}" };
            workers[i].Start();
        }

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref deadline, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        try
        {
            ready.SignalAndWait(token);
        }
        finally
        {
            // A cancelled wait cancels the workers' waits too (the same token): join them before the barrier is disposed.
            foreach (var worker in workers)
            {
                worker.Join();
            }
        }

        token.ThrowIfCancellationRequested();
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw error;
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var total = totals.Sum();
        var wall = total / elapsed;
        return (wall, cpuSeconds > 0 ? Math.Min(total / cpuSeconds * count, wall * count) : wall);
    }

    private static double Fp32Worker(int index, int count, long deadline, CancellationToken token)
    {
        var columns = ProbeKernels.Fp32Columns;
        var a = new float[Fp32Depth * ProbeKernels.Rows];
        var b = new float[Fp32Depth * columns];
        var c = new float[ProbeKernels.Rows * columns];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = 1f / (i + 1);
        }

        for (var i = 0; i < b.Length; i++)
        {
            b[i] = 1f / (i + 2);
        }

        ProbeKernels.Fp32Tile(a, b, c, Fp32Depth); // warm
        var perCall = 2.0 * ProbeKernels.Rows * columns * Fp32Depth;
        double flops = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            token.ThrowIfCancellationRequested();
            for (var repeat = 0; repeat < CallsPerCheck; repeat++)
            {
                ProbeKernels.Fp32Tile(a, b, c, Fp32Depth);
            }

            flops += CallsPerCheck * perCall;
        }

        GC.KeepAlive(c);
        return flops;
    }

    private static double Int8Worker(int index, int count, long deadline, CancellationToken token)
    {
        var columns = ProbeKernels.Int8Columns;
        var a = new byte[Int8Depth * ProbeKernels.Rows];
        var b = new sbyte[Int8Depth * columns];
        var c = new int[ProbeKernels.Rows * columns];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (byte)(i % 100);
        }

        for (var i = 0; i < b.Length; i++)
        {
            b[i] = (sbyte)((i % 101) - 50);
        }

        ProbeKernels.Int8Tile(a, b, c, Int8Depth); // warm
        var perCall = 2.0 * ProbeKernels.Rows * columns * Int8Depth;
        double ops = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            token.ThrowIfCancellationRequested();
            for (var repeat = 0; repeat < CallsPerCheck; repeat++)
            {
                ProbeKernels.Int8Tile(a, b, c, Int8Depth);
            }

            ops += CallsPerCheck * perCall;
        }

        GC.KeepAlive(c);
        return ops;
    }

    private static double TriadWorker(double[] a, double[] b, double[] c, int index, int count, long deadline, CancellationToken token)
    {
        var slice = TriadElements / count;
        var start = index * slice;
        var end = index == count - 1 ? TriadElements : start + slice;
        double moved = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            token.ThrowIfCancellationRequested();
            ProbeKernels.Triad(a, b, c, start, end);
            moved += 3.0 * sizeof(double) * (end - start); // STREAM convention: two reads and one write
        }

        return moved;
    }
}
