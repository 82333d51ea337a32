using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelSelection.Devices;

/// <summary>
/// Measures this machine's CPU within a time budget: memory available to the process (container limits respected),
/// logical cores, instruction sets, sustained fp32 FLOP/s (a register-blocked SIMD matrix multiply on every core) and
/// sustained memory bandwidth (a STREAM-style triad on every core).
/// </summary>
/// <remarks>
/// <para>
/// The kernels are hand-vectorised with <see cref="Vector{T}"/> rather than taken from
/// <c>System.Numerics.Tensors</c>: that package offers element-wise primitives but no matrix multiply, and a GEMM
/// built from dot products would measure memory traffic, not arithmetic. <see cref="Vector{T}"/> compiles to AVX-512,
/// AVX2 or Arm NEON, whichever the machine has.
/// </para>
/// <para>
/// Measured peaks are sustained figures, so the profile's efficiencies are 1. Only fp32 is measured; other precisions
/// fall back to it. <see cref="Default"/> caches its result per process. Thread-safe.
/// </para>
/// </remarks>
public sealed class LocalDeviceProbe : ILocalDeviceProbe
{
    private const int Tile = 64;
    private const int TriadElements = 4 << 20; // 4 Mi doubles = 32 MiB per array, 96 MiB for three

    private readonly object _gate = new();
    private Task<DeviceProfile>? _cached;

    /// <summary>Gets the shared probe, whose default-options result is cached per process.</summary>
    public static LocalDeviceProbe Default { get; } = new();

    /// <summary>Probes this machine with the default options, cached per process.</summary>
    /// <param name="cancellationToken">Cancels the wait (and the measurement, when this call started it).</param>
    /// <returns>The profile.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<DeviceProfile> ProbeThisMachineAsync(CancellationToken cancellationToken = default) => Default.ProbeAsync(null, cancellationToken);

    /// <summary>Gets the SIMD instruction sets the runtime reports for this machine.</summary>
    /// <returns>Names such as AVX2, FMA, AVX-512F, AVX-VNNI, NEON, SVE.</returns>
    public static IReadOnlyList<string> InstructionSets()
    {
        var sets = new List<string>();
        if (Sse42.IsSupported) { sets.Add("SSE4.2"); }
        if (Avx2.IsSupported) { sets.Add("AVX2"); }
        if (Fma.IsSupported) { sets.Add("FMA"); }
        if (Avx512F.IsSupported) { sets.Add("AVX-512F"); }
#pragma warning disable CA2252 // AvxVnni is a preview API on .NET 8; only its presence is read.
        if (AvxVnni.IsSupported) { sets.Add("AVX-VNNI"); }
#pragma warning restore CA2252
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
    /// <exception cref="ArgumentOutOfRangeException">The options' budget or thread count is out of range.</exception>
    public Task<DeviceProfile> ProbeAsync(LocalProbeOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options is not null)
        {
            Validate(options);
            return Task.Run(() => Measure(options, cancellationToken), cancellationToken);
        }

        Task<DeviceProfile> run;
        lock (_gate)
        {
            if (_cached is null || _cached.IsFaulted || _cached.IsCanceled)
            {
                _cached = Task.Run(() => Measure(new LocalProbeOptions(), cancellationToken), cancellationToken);
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
    }

    private static DeviceProfile Measure(LocalProbeOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var threads = options.Threads ?? Environment.ProcessorCount;
        var share = options.TimeBudget * 0.4;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var sets = InstructionSets();

        options.Progress?.Report($"measuring fp32 FLOP/s: {Tile}×{Tile}×{Tile} SIMD matrix multiplies on {threads} threads for {share.TotalSeconds:0.0} s");
        var flops = MeasureThreads(threads, share, ComputeWorker, cancellationToken);

        options.Progress?.Report($"measuring memory bandwidth: triad over 3 × 32 MiB of doubles on {threads} threads for {share.TotalSeconds:0.0} s");
        var a = GC.AllocateUninitializedArray<double>(TriadElements);
        var b = new double[TriadElements];
        var c = new double[TriadElements];
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
        Triad(a, b, c, 0, TriadElements); // first touch, untimed
        var bytes = MeasureThreads(threads, share, (index, count, deadline, token) =>
        {
            var slice = TriadElements / count;
            var start = index * slice;
            var end = index == count - 1 ? TriadElements : start + slice;
            double moved = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                token.ThrowIfCancellationRequested();
                Triad(a, b, c, start, end);
                moved += 3.0 * sizeof(double) * (end - start); // STREAM convention: two reads and one write
            }

            return moved;
        }, cancellationToken);
        options.Progress?.Report("probe done");

        var x64 = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
        var measurement = string.Create(CultureInfo.InvariantCulture,
            $"{threads} threads on {Environment.ProcessorCount} logical cores ({RuntimeInformation.ProcessArchitecture}; {(sets.Count == 0 ? "no SIMD" : string.Join(", ", sets))}; Vector<float> of {Vector<float>.Count}). " +
            $"fp32: sustained rate of {Tile}×{Tile}×{Tile} register-blocked Vector<float> matrix multiplies, 2·{Tile}³ FLOPs each, all threads together, over {share.TotalSeconds:0.###} s. " +
            $"Bandwidth: STREAM-style triad a = b + s·c over three 32 MiB double arrays, 24 bytes per element, all threads together, over {share.TotalSeconds:0.###} s. " +
            $"Memory: GC total available memory (container limits respected). Efficiencies are 1: the rates are already sustained. Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        return new DeviceProfile
        {
            Id = "local",
            DisplayName = $"This machine ({RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores)",
            Class = x64 ? DeviceClass.ServerCpu : DeviceClass.EdgeCpu,
            MemoryBytes = Math.Max(1, memory),
            IsUnifiedMemory = true,
            MemoryBandwidthBytesPerSecond = Math.Max(1, bytes),
            PeakFlops = new PrecisionPeaks { Fp32 = Math.Max(1, flops) },
            ComputeEfficiency = 1,
            MemoryEfficiency = 1,
            Sources = ["measured on this machine by ModelSelection.Devices.LocalDeviceProbe"],
            Measurement = measurement,
        };
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="count"/> dedicated threads until a shared deadline; returns Σ units ÷ elapsed seconds.</summary>
    private static double MeasureThreads(int count, TimeSpan duration, Func<int, int, long, CancellationToken, double> work, CancellationToken token)
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
                ready.SignalAndWait(token);
                try
                {
                    totals[index] = work(index, count, Volatile.Read(ref deadline), token);
                }
                catch (Exception exception)
                {
                    errors[index] = exception;
                }
            }) { IsBackground = true, Name = $"modelselection-probe-{index}" };
            workers[i].Start();
        }

        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref deadline, start + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        ready.SignalAndWait(token);
        foreach (var worker in workers)
        {
            worker.Join();
        }

        token.ThrowIfCancellationRequested();
        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw error;
        }

        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return totals.Sum() / elapsed;
    }

    private static double ComputeWorker(int index, int count, long deadline, CancellationToken token)
    {
        var a = new float[Tile * Tile];
        var b = new float[Tile * Tile];
        var c = new float[Tile * Tile];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = 1f / (i + 1);
            b[i] = 1f / (i + 2);
        }

        double flops = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            token.ThrowIfCancellationRequested();
            for (var repeat = 0; repeat < 8; repeat++)
            {
                MultiplyTile(a, b, c);
                flops += 2.0 * Tile * Tile * Tile;
            }
        }

        GC.KeepAlive(c);
        return flops;
    }

    /// <summary>
    /// C = A·B for 64×64 tiles, register-blocked 4 rows × 2 vectors: eight independent accumulators hide the FMA
    /// latency, and each B load feeds four FMAs.
    /// </summary>
    private static void MultiplyTile(float[] a, float[] b, float[] c)
    {
        var width = Vector<float>.Count;
        var perRow = Tile / width;
        ref var aRef = ref MemoryMarshal.GetArrayDataReference(a);
        ref var bRef = ref Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetArrayDataReference(b));
        ref var cRef = ref Unsafe.As<float, Vector<float>>(ref MemoryMarshal.GetArrayDataReference(c));
        for (var i = 0; i < Tile; i += 4)
        {
            for (var j = 0; j < perRow; j += 2)
            {
                Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
                for (var k = 0; k < Tile; k++)
                {
                    var b0 = Unsafe.Add(ref bRef, (k * perRow) + j);
                    var b1 = Unsafe.Add(ref bRef, (k * perRow) + j + 1);
                    var a0 = new Vector<float>(Unsafe.Add(ref aRef, (i * Tile) + k));
                    var a1 = new Vector<float>(Unsafe.Add(ref aRef, ((i + 1) * Tile) + k));
                    var a2 = new Vector<float>(Unsafe.Add(ref aRef, ((i + 2) * Tile) + k));
                    var a3 = new Vector<float>(Unsafe.Add(ref aRef, ((i + 3) * Tile) + k));
                    c00 = MultiplyAdd(a0, b0, c00);
                    c01 = MultiplyAdd(a0, b1, c01);
                    c10 = MultiplyAdd(a1, b0, c10);
                    c11 = MultiplyAdd(a1, b1, c11);
                    c20 = MultiplyAdd(a2, b0, c20);
                    c21 = MultiplyAdd(a2, b1, c21);
                    c30 = MultiplyAdd(a3, b0, c30);
                    c31 = MultiplyAdd(a3, b1, c31);
                }

                Unsafe.Add(ref cRef, (i * perRow) + j) = c00;
                Unsafe.Add(ref cRef, (i * perRow) + j + 1) = c01;
                Unsafe.Add(ref cRef, ((i + 1) * perRow) + j) = c10;
                Unsafe.Add(ref cRef, ((i + 1) * perRow) + j + 1) = c11;
                Unsafe.Add(ref cRef, ((i + 2) * perRow) + j) = c20;
                Unsafe.Add(ref cRef, ((i + 2) * perRow) + j + 1) = c21;
                Unsafe.Add(ref cRef, ((i + 3) * perRow) + j) = c30;
                Unsafe.Add(ref cRef, ((i + 3) * perRow) + j + 1) = c31;
            }
        }
    }

    private static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
#if NET9_0_OR_GREATER
        Vector.FusedMultiplyAdd(a, b, c);
#else
        (a * b) + c;
#endif

    private static void Triad(double[] a, double[] b, double[] c, int start, int end)
    {
        const double scale = 3.0;
        var width = Vector<double>.Count;
        var i = start;
        var s = new Vector<double>(scale);
        for (; i <= end - width; i += width)
        {
            (new Vector<double>(b, i) + (s * new Vector<double>(c, i))).CopyTo(a, i);
        }

        for (; i < end; i++)
        {
            a[i] = b[i] + (scale * c[i]);
        }
    }
}
