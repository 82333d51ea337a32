using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelSelection.Internal;

/// <summary>
/// The local probe's compute kernels: GEMM micro-kernels of the shape BLAS libraries and ONNX Runtime's MLAS use
/// (a <see cref="Rows"/>-row × two-vector register tile, the A values broadcast, B panels streamed from L1), at the
/// widest vectors the machine has, and a STREAM triad.
/// </summary>
/// <remarks>
/// <para>
/// fp32: <c>C[Rows × Fp32Columns] += A[Rows × depth] · B[depth × Fp32Columns]</c>, A packed k-major
/// (<c>a[k·Rows + r]</c>), B packed k-major (<c>b[k·Fp32Columns + j]</c>), C row-major. Twelve independent
/// accumulators cover the FMA latency × throughput product of every current core (4 cycles × 2 pipes = 8).
/// </para>
/// <para>
/// int8: the same tile over groups of four k: A is unsigned bytes packed <c>a[(g·Rows + r)·4 + q]</c> for
/// <c>k = 4g + q</c>, B signed bytes packed <c>b[(g·Int8Columns + j)·4 + q]</c>, C int32 row-major. x86 with AVX-VNNI
/// uses <c>vpdpbusd</c>; without it, AVX-512BW or AVX2 use <c>vpmaddubsw</c> + <c>vpmaddwd</c> + <c>vpaddd</c> (MLAS's
/// pre-VNNI path, whose int16 pair sums saturate, so inputs must keep |a₀b₀ + a₁b₁| ≤ 32767); Arm with the dot-product
/// extension uses <c>sdot</c> (both operands signed, so A must stay ≤ 127). .NET 10 exposes neither AVX-512 VNNI
/// (only its VEX form, AVX-VNNI, and AVX10.1) nor any bf16 dot product, so those are not measured.
/// </para>
/// <para>All kernels are compiled fully optimised at first call (<see cref="MethodImplOptions.AggressiveOptimization"/>), so tiering never times a tier-0 body.</para>
/// </remarks>
internal static class ProbeKernels
{
    /// <summary>The rows of A (broadcast scalars) in one register tile.</summary>
    public const int Rows = 6;

    /// <summary>Gets the columns of the fp32 tile: two vectors of the widest hardware width.</summary>
    public static int Fp32Columns => 2 * Fp32Lanes;

    /// <summary>Gets the columns of the int8 tile: two vectors of int32 lanes; 0 without an int8 kernel.</summary>
    public static int Int8Columns => Int8Path is null ? 0 : 2 * Int8Lanes;

    /// <summary>Gets how the fp32 kernel computes, for the profile's measurement text.</summary>
    public static string Fp32Path =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "AVX-512F vfmadd231ps on 512-bit vectors"
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? "FMA3 vfmadd231ps on 256-bit vectors"
        : AdvSimd.IsSupported ? "AdvSimd fmla on 128-bit vectors"
        : "Vector128 multiply then add (no FMA exposed)";

    /// <summary>
    /// Gets the fewest fp32 FLOP per cycle that any core issues with the fp32 kernel's instruction, or
    /// <see langword="null"/> where that is not known: 32 for AVX-512F (one 512-bit FMA per cycle, or two 256-bit halves
    /// as on Zen 4; cores with two 512-bit units reach 64), 16 for FMA3 (two 128-bit FMA pipes, as on Zen 1; two 256-bit
    /// pipes reach 32), 4 for AdvSimd (Cortex-A53 issues a 128-bit fmla every other cycle).
    /// </summary>
    public static double? Fp32MinimumFlopsPerCycle =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 32
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? 16
        : AdvSimd.IsSupported ? 4
        : null;

    /// <summary>Gets how the int8 kernel computes, or <see langword="null"/> when the machine has no int8 dot-product path.</summary>
    public static string? Int8Path =>
        HasAvxVnni ? "AVX-VNNI vpdpbusd on 256-bit vectors (u8 × s8 → s32)"
        : Vector512.IsHardwareAccelerated && Avx512BW.IsSupported ? "AVX-512BW vpmaddubsw + vpmaddwd + vpaddd on 512-bit vectors (u8 × s8 → s32; .NET exposes no AVX-512 VNNI)"
        : Avx2.IsSupported ? "AVX2 vpmaddubsw + vpmaddwd + vpaddd on 256-bit vectors (u8 × s8 → s32)"
        : Dp.IsSupported ? "Arm dot product sdot on 128-bit vectors (s8 × s8 → s32)"
        : null;

    /// <summary>Gets whether AVX-VNNI is usable from this build (.NET 9 or later, where it is no longer a preview API).</summary>
    public static bool HasAvxVnni =>
#if NET9_0_OR_GREATER
        AvxVnni.IsSupported;
#else
        false;
#endif

    private static int Fp32Lanes =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Vector512<float>.Count
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? Vector256<float>.Count
        : Vector128<float>.Count;

    private static int Int8Lanes =>
        HasAvxVnni ? Vector256<int>.Count
        : Vector512.IsHardwareAccelerated && Avx512BW.IsSupported ? Vector512<int>.Count
        : Avx2.IsSupported ? Vector256<int>.Count
        : Vector128<int>.Count;

    /// <summary>Runs the widest fp32 tile: <c>C += A·B</c> (see the class remarks for the layouts).</summary>
    public static void Fp32Tile(float[] a, float[] b, float[] c, int depth)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Fp32Tile512(a, b, c, depth);
        }
        else if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            Fp32Tile256(a, b, c, depth);
        }
        else
        {
            Fp32Tile128(a, b, c, depth);
        }
    }

    /// <summary>Runs the widest int8 tile: <c>C += A·B</c> (see the class remarks for the layouts).</summary>
    /// <exception cref="PlatformNotSupportedException">The machine has no int8 dot-product path (<see cref="Int8Path"/> is null).</exception>
    public static void Int8Tile(byte[] a, sbyte[] b, int[] c, int depth)
    {
#if NET9_0_OR_GREATER
        if (HasAvxVnni)
        {
            Int8TileVnni256(a, b, c, depth);
            return;
        }
#endif

        if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported)
        {
            Int8Tile512BW(a, b, c, depth);
        }
        else if (Avx2.IsSupported)
        {
            Int8Tile256(a, b, c, depth);
        }
        else if (Dp.IsSupported)
        {
            Int8TileDp(a, b, c, depth);
        }
        else
        {
            throw new PlatformNotSupportedException("This machine has no int8 dot-product instructions exposed to .NET (AVX-VNNI, AVX2 or the Arm dot-product extension).");
        }
    }

    /// <summary>fp32 tile on 512-bit vectors (32 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fp32Tile512(float[] a, float[] b, float[] c, int depth)
    {
        ref var ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector512.LoadUnsafe(ref br, (nuint)(k * 32));
            var b1 = Vector512.LoadUnsafe(ref br, (nuint)((k * 32) + 16));
            ref var ak = ref Unsafe.Add(ref ar, k * Rows);
            var a0 = Vector512.Create(ak);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(Unsafe.Add(ref ak, 1));
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(Unsafe.Add(ref ak, 2));
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(Unsafe.Add(ref ak, 3));
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(Unsafe.Add(ref ak, 4));
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(Unsafe.Add(ref ak, 5));
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
        }

        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        Store(ref cr, 0, c00, c01);
        Store(ref cr, 32, c10, c11);
        Store(ref cr, 64, c20, c21);
        Store(ref cr, 96, c30, c31);
        Store(ref cr, 128, c40, c41);
        Store(ref cr, 160, c50, c51);

        static void Store(ref float c, int offset, Vector512<float> left, Vector512<float> right)
        {
            (Vector512.LoadUnsafe(ref c, (nuint)offset) + left).StoreUnsafe(ref c, (nuint)offset);
            (Vector512.LoadUnsafe(ref c, (nuint)(offset + 16)) + right).StoreUnsafe(ref c, (nuint)(offset + 16));
        }
    }

    /// <summary>fp32 tile on 256-bit vectors with FMA3 (16 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fp32Tile256(float[] a, float[] b, float[] c, int depth)
    {
        ref var ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector256.LoadUnsafe(ref br, (nuint)(k * 16));
            var b1 = Vector256.LoadUnsafe(ref br, (nuint)((k * 16) + 8));
            ref var ak = ref Unsafe.Add(ref ar, k * Rows);
            var a0 = Vector256.Create(ak);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref ak, 1));
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref ak, 2));
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref ak, 3));
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(Unsafe.Add(ref ak, 4));
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(Unsafe.Add(ref ak, 5));
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
        }

        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        Store(ref cr, 0, c00, c01);
        Store(ref cr, 16, c10, c11);
        Store(ref cr, 32, c20, c21);
        Store(ref cr, 48, c30, c31);
        Store(ref cr, 64, c40, c41);
        Store(ref cr, 80, c50, c51);

        static void Store(ref float c, int offset, Vector256<float> left, Vector256<float> right)
        {
            (Vector256.LoadUnsafe(ref c, (nuint)offset) + left).StoreUnsafe(ref c, (nuint)offset);
            (Vector256.LoadUnsafe(ref c, (nuint)(offset + 8)) + right).StoreUnsafe(ref c, (nuint)(offset + 8));
        }
    }

    /// <summary>fp32 tile on 128-bit vectors (8 columns): AdvSimd FMA on Arm, otherwise multiply then add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fp32Tile128(float[] a, float[] b, float[] c, int depth)
    {
        ref var ar = ref MemoryMarshal.GetArrayDataReference(a);
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector128.LoadUnsafe(ref br, (nuint)(k * 8));
            var b1 = Vector128.LoadUnsafe(ref br, (nuint)((k * 8) + 4));
            ref var ak = ref Unsafe.Add(ref ar, k * Rows);
            var a0 = Vector128.Create(ak);
            c00 = Fma128(a0, b0, c00);
            c01 = Fma128(a0, b1, c01);
            var a1 = Vector128.Create(Unsafe.Add(ref ak, 1));
            c10 = Fma128(a1, b0, c10);
            c11 = Fma128(a1, b1, c11);
            var a2 = Vector128.Create(Unsafe.Add(ref ak, 2));
            c20 = Fma128(a2, b0, c20);
            c21 = Fma128(a2, b1, c21);
            var a3 = Vector128.Create(Unsafe.Add(ref ak, 3));
            c30 = Fma128(a3, b0, c30);
            c31 = Fma128(a3, b1, c31);
            var a4 = Vector128.Create(Unsafe.Add(ref ak, 4));
            c40 = Fma128(a4, b0, c40);
            c41 = Fma128(a4, b1, c41);
            var a5 = Vector128.Create(Unsafe.Add(ref ak, 5));
            c50 = Fma128(a5, b0, c50);
            c51 = Fma128(a5, b1, c51);
        }

        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        Store(ref cr, 0, c00, c01);
        Store(ref cr, 8, c10, c11);
        Store(ref cr, 16, c20, c21);
        Store(ref cr, 24, c30, c31);
        Store(ref cr, 32, c40, c41);
        Store(ref cr, 40, c50, c51);

        static void Store(ref float c, int offset, Vector128<float> left, Vector128<float> right)
        {
            (Vector128.LoadUnsafe(ref c, (nuint)offset) + left).StoreUnsafe(ref c, (nuint)offset);
            (Vector128.LoadUnsafe(ref c, (nuint)(offset + 4)) + right).StoreUnsafe(ref c, (nuint)(offset + 4));
        }
    }

#if NET9_0_OR_GREATER
    /// <summary>int8 tile with AVX-VNNI <c>vpdpbusd</c> on 256-bit vectors (16 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Int8TileVnni256(byte[] a, sbyte[] b, int[] c, int depth)
    {
        ref var ar = ref Unsafe.As<byte, int>(ref MemoryMarshal.GetArrayDataReference(a));
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var g = 0; g < depth / 4; g++)
        {
            var b0 = Vector256.LoadUnsafe(ref br, (nuint)(g * 64));
            var b1 = Vector256.LoadUnsafe(ref br, (nuint)((g * 64) + 32));
            ref var ag = ref Unsafe.Add(ref ar, g * Rows);
            var a0 = Vector256.Create(ag).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, a0, b0);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, a0, b1);
            var a1 = Vector256.Create(Unsafe.Add(ref ag, 1)).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, a1, b0);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, a1, b1);
            var a2 = Vector256.Create(Unsafe.Add(ref ag, 2)).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, a2, b0);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, a2, b1);
            var a3 = Vector256.Create(Unsafe.Add(ref ag, 3)).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, a3, b0);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, a3, b1);
            var a4 = Vector256.Create(Unsafe.Add(ref ag, 4)).AsByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, a4, b0);
            c41 = AvxVnni.MultiplyWideningAndAdd(c41, a4, b1);
            var a5 = Vector256.Create(Unsafe.Add(ref ag, 5)).AsByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, a5, b0);
            c51 = AvxVnni.MultiplyWideningAndAdd(c51, a5, b1);
        }

        StoreInt256(c, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }
#endif

    /// <summary>int8 tile with AVX-512BW <c>vpmaddubsw</c> + <c>vpmaddwd</c> on 512-bit vectors (32 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Int8Tile512BW(byte[] a, sbyte[] b, int[] c, int depth)
    {
        ref var ar = ref Unsafe.As<byte, int>(ref MemoryMarshal.GetArrayDataReference(a));
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        var ones = Vector512.Create((short)1);
        Vector512<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var g = 0; g < depth / 4; g++)
        {
            var b0 = Vector512.LoadUnsafe(ref br, (nuint)(g * 128));
            var b1 = Vector512.LoadUnsafe(ref br, (nuint)((g * 128) + 64));
            ref var ag = ref Unsafe.Add(ref ar, g * Rows);
            var a0 = Vector512.Create(ag).AsByte();
            c00 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0, b0), ones);
            c01 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a0, b1), ones);
            var a1 = Vector512.Create(Unsafe.Add(ref ag, 1)).AsByte();
            c10 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1, b0), ones);
            c11 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a1, b1), ones);
            var a2 = Vector512.Create(Unsafe.Add(ref ag, 2)).AsByte();
            c20 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2, b0), ones);
            c21 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a2, b1), ones);
            var a3 = Vector512.Create(Unsafe.Add(ref ag, 3)).AsByte();
            c30 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a3, b0), ones);
            c31 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a3, b1), ones);
            var a4 = Vector512.Create(Unsafe.Add(ref ag, 4)).AsByte();
            c40 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a4, b0), ones);
            c41 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a4, b1), ones);
            var a5 = Vector512.Create(Unsafe.Add(ref ag, 5)).AsByte();
            c50 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a5, b0), ones);
            c51 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(a5, b1), ones);
        }

        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        Store(ref cr, 0, c00, c01);
        Store(ref cr, 32, c10, c11);
        Store(ref cr, 64, c20, c21);
        Store(ref cr, 96, c30, c31);
        Store(ref cr, 128, c40, c41);
        Store(ref cr, 160, c50, c51);

        static void Store(ref int c, int offset, Vector512<int> left, Vector512<int> right)
        {
            (Vector512.LoadUnsafe(ref c, (nuint)offset) + left).StoreUnsafe(ref c, (nuint)offset);
            (Vector512.LoadUnsafe(ref c, (nuint)(offset + 16)) + right).StoreUnsafe(ref c, (nuint)(offset + 16));
        }
    }

    /// <summary>int8 tile with AVX2 <c>vpmaddubsw</c> + <c>vpmaddwd</c> on 256-bit vectors (16 columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Int8Tile256(byte[] a, sbyte[] b, int[] c, int depth)
    {
        ref var ar = ref Unsafe.As<byte, int>(ref MemoryMarshal.GetArrayDataReference(a));
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        var ones = Vector256.Create((short)1);
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var g = 0; g < depth / 4; g++)
        {
            var b0 = Vector256.LoadUnsafe(ref br, (nuint)(g * 64));
            var b1 = Vector256.LoadUnsafe(ref br, (nuint)((g * 64) + 32));
            ref var ag = ref Unsafe.Add(ref ar, g * Rows);
            var a0 = Vector256.Create(ag).AsByte();
            c00 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a0, b0), ones);
            c01 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a0, b1), ones);
            var a1 = Vector256.Create(Unsafe.Add(ref ag, 1)).AsByte();
            c10 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a1, b0), ones);
            c11 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a1, b1), ones);
            var a2 = Vector256.Create(Unsafe.Add(ref ag, 2)).AsByte();
            c20 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a2, b0), ones);
            c21 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a2, b1), ones);
            var a3 = Vector256.Create(Unsafe.Add(ref ag, 3)).AsByte();
            c30 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a3, b0), ones);
            c31 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a3, b1), ones);
            var a4 = Vector256.Create(Unsafe.Add(ref ag, 4)).AsByte();
            c40 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a4, b0), ones);
            c41 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a4, b1), ones);
            var a5 = Vector256.Create(Unsafe.Add(ref ag, 5)).AsByte();
            c50 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a5, b0), ones);
            c51 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(a5, b1), ones);
        }

        StoreInt256(c, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>int8 tile with the Arm dot-product extension <c>sdot</c> on 128-bit vectors (8 columns); A is read as signed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Int8TileDp(byte[] a, sbyte[] b, int[] c, int depth)
    {
        ref var ar = ref Unsafe.As<byte, int>(ref MemoryMarshal.GetArrayDataReference(a));
        ref var br = ref MemoryMarshal.GetArrayDataReference(b);
        Vector128<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var g = 0; g < depth / 4; g++)
        {
            var b0 = Vector128.LoadUnsafe(ref br, (nuint)(g * 32));
            var b1 = Vector128.LoadUnsafe(ref br, (nuint)((g * 32) + 16));
            ref var ag = ref Unsafe.Add(ref ar, g * Rows);
            var a0 = Vector128.Create(ag).AsSByte();
            c00 = Dp.DotProduct(c00, a0, b0);
            c01 = Dp.DotProduct(c01, a0, b1);
            var a1 = Vector128.Create(Unsafe.Add(ref ag, 1)).AsSByte();
            c10 = Dp.DotProduct(c10, a1, b0);
            c11 = Dp.DotProduct(c11, a1, b1);
            var a2 = Vector128.Create(Unsafe.Add(ref ag, 2)).AsSByte();
            c20 = Dp.DotProduct(c20, a2, b0);
            c21 = Dp.DotProduct(c21, a2, b1);
            var a3 = Vector128.Create(Unsafe.Add(ref ag, 3)).AsSByte();
            c30 = Dp.DotProduct(c30, a3, b0);
            c31 = Dp.DotProduct(c31, a3, b1);
            var a4 = Vector128.Create(Unsafe.Add(ref ag, 4)).AsSByte();
            c40 = Dp.DotProduct(c40, a4, b0);
            c41 = Dp.DotProduct(c41, a4, b1);
            var a5 = Vector128.Create(Unsafe.Add(ref ag, 5)).AsSByte();
            c50 = Dp.DotProduct(c50, a5, b0);
            c51 = Dp.DotProduct(c51, a5, b1);
        }

        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        Store(ref cr, 0, c00, c01);
        Store(ref cr, 8, c10, c11);
        Store(ref cr, 16, c20, c21);
        Store(ref cr, 24, c30, c31);
        Store(ref cr, 32, c40, c41);
        Store(ref cr, 40, c50, c51);

        static void Store(ref int c, int offset, Vector128<int> left, Vector128<int> right)
        {
            (Vector128.LoadUnsafe(ref c, (nuint)offset) + left).StoreUnsafe(ref c, (nuint)offset);
            (Vector128.LoadUnsafe(ref c, (nuint)(offset + 4)) + right).StoreUnsafe(ref c, (nuint)(offset + 4));
        }
    }

    /// <summary>STREAM triad <c>a[i] = b[i] + 3·c[i]</c> over [<paramref name="start"/>, <paramref name="end"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Triad(double[] a, double[] b, double[] c, int start, int end)
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

    /// <summary>
    /// A chain of <c>16 × <paramref name="iterations"/></c> dependent one-cycle integer operations (add, xor): its
    /// duration gives the core clock. Returns the chain's value so it cannot be removed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static long DependentChain(long iterations, long seed)
    {
        unchecked
        {
            var x = seed;
            var k = seed | 1;
            for (long i = 0; i < iterations; i++)
            {
                x = (x + k) ^ i;
                x = (x + k) ^ i;
                x = (x + k) ^ i;
                x = (x + k) ^ i;
                x = (x + k) ^ i;
                x = (x + k) ^ i;
                x = (x + k) ^ i;
                x = (x + k) ^ i;
            }

            return x;
        }
    }

    private static Vector128<float> Fma128(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : (a * b) + c;

    private static void StoreInt256(int[] c, Vector256<int> c00, Vector256<int> c01, Vector256<int> c10, Vector256<int> c11, Vector256<int> c20, Vector256<int> c21, Vector256<int> c30, Vector256<int> c31, Vector256<int> c40, Vector256<int> c41, Vector256<int> c50, Vector256<int> c51)
    {
        ref var cr = ref MemoryMarshal.GetArrayDataReference(c);
        Store(ref cr, 0, c00, c01);
        Store(ref cr, 16, c10, c11);
        Store(ref cr, 32, c20, c21);
        Store(ref cr, 48, c30, c31);
        Store(ref cr, 64, c40, c41);
        Store(ref cr, 80, c50, c51);

        static void Store(ref int c, int offset, Vector256<int> left, Vector256<int> right)
        {
            (Vector256.LoadUnsafe(ref c, (nuint)offset) + left).StoreUnsafe(ref c, (nuint)offset);
            (Vector256.LoadUnsafe(ref c, (nuint)(offset + 8)) + right).StoreUnsafe(ref c, (nuint)(offset + 8));
        }
    }
}
