using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ModelSelection.Internal;

namespace ModelSelection.Tests.Internal;

/// <summary>
/// The probe's kernels compute what they claim: each tile that this machine supports is compared with a scalar
/// matrix product written out here (C[r, j] = Σₖ A[r, k]·B[k, j]) on the layouts documented in <see cref="ProbeKernels"/>.
/// Arithmetic only; their speed is measured by the probe and recorded in docs/devices.md, never asserted.
/// </summary>
public class ProbeKernelsTests
{
    private const int Depth = 64;

    public static TheoryData<string> Fp32Paths() => ["512", "256", "128"];

    public static TheoryData<string> Int8Paths() => ["vnni256", "bw512", "avx2-256", "dp128"];

    [Theory]
    [MemberData(nameof(Fp32Paths))]
    public void Fp32Tile_ComputesTheMatrixProduct(string path)
    {
        var (columns, kernel) = path switch
        {
            "512" when Vector512.IsHardwareAccelerated && Avx512F.IsSupported => (32, (Action<float[], float[], float[], int>)ProbeKernels.Fp32Tile512),
            "256" when Fma.IsSupported && Vector256.IsHardwareAccelerated => (16, ProbeKernels.Fp32Tile256),
            "128" => (8, ProbeKernels.Fp32Tile128),
            _ => (0, null),
        };
        if (kernel is null)
        {
            return; // not this machine's instruction set
        }

        const int rows = ProbeKernels.Rows;
        var logicalA = new float[rows, Depth];
        var logicalB = new float[Depth, columns];
        var a = new float[Depth * rows];
        var b = new float[Depth * columns];
        for (var k = 0; k < Depth; k++)
        {
            for (var r = 0; r < rows; r++)
            {
                logicalA[r, k] = ((r * 7) + k) % 5 - 2;          // small integers: every product and sum is exact in fp32
                a[(k * rows) + r] = logicalA[r, k];
            }

            for (var j = 0; j < columns; j++)
            {
                logicalB[k, j] = ((j * 3) + (k * 5)) % 7 - 3;
                b[(k * columns) + j] = logicalB[k, j];
            }
        }

        var c = Enumerable.Repeat(1f, rows * columns).ToArray(); // C += A·B: starts at 1
        kernel(a, b, c, Depth);
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < columns; j++)
            {
                var expected = 1f;
                for (var k = 0; k < Depth; k++)
                {
                    expected += logicalA[r, k] * logicalB[k, j];
                }

                Assert.Equal(expected, c[(r * columns) + j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Int8Paths))]
    public void Int8Tile_ComputesTheMatrixProduct(string path)
    {
        var (columns, kernel) = path switch
        {
#if NET9_0_OR_GREATER
            "vnni256" when AvxVnni.IsSupported => (16, (Action<byte[], sbyte[], int[], int>)ProbeKernels.Int8TileVnni256),
#endif
            "bw512" when Vector512.IsHardwareAccelerated && Avx512BW.IsSupported => (32, ProbeKernels.Int8Tile512BW),
            "avx2-256" when Avx2.IsSupported => (16, ProbeKernels.Int8Tile256),
            "dp128" when Dp.IsSupported => (8, ProbeKernels.Int8TileDp),
            _ => (0, (Action<byte[], sbyte[], int[], int>?)null),
        };
        if (kernel is null)
        {
            return; // not this machine's instruction set
        }

        const int rows = ProbeKernels.Rows;
        var logicalA = new int[rows, Depth];
        var logicalB = new int[Depth, columns];
        var a = new byte[Depth * rows];
        var b = new sbyte[Depth * columns];
        for (var k = 0; k < Depth; k++)
        {
            var (g, q) = (k / 4, k % 4);
            for (var r = 0; r < rows; r++)
            {
                logicalA[r, k] = ((r * 31) + (k * 17)) % 120;     // 0 … 119: valid as u8 (x86) and s8 (Arm sdot)
                a[(((g * rows) + r) * 4) + q] = (byte)logicalA[r, k];
            }

            for (var j = 0; j < columns; j++)
            {
                logicalB[k, j] = ((j * 13) + (k * 29)) % 121 - 60; // −60 … 60: pair sums stay below the int16 saturation of vpmaddubsw
                b[(((g * columns) + j) * 4) + q] = (sbyte)logicalB[k, j];
            }
        }

        var c = Enumerable.Repeat(-5, rows * columns).ToArray();
        kernel(a, b, c, Depth);
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < columns; j++)
            {
                var expected = -5;
                for (var k = 0; k < Depth; k++)
                {
                    expected += logicalA[r, k] * logicalB[k, j];
                }

                Assert.Equal(expected, c[(r * columns) + j]);
            }
        }
    }

    [Fact]
    public void WidestTiles_MatchTheirPathDescriptions()
    {
        ProbeKernels.Fp32Tile(new float[Depth * ProbeKernels.Rows], new float[Depth * ProbeKernels.Fp32Columns], new float[ProbeKernels.Rows * ProbeKernels.Fp32Columns], Depth);
        Assert.Contains(ProbeKernels.Fp32Columns, new[] { 8, 16, 32 });
        if (ProbeKernels.Int8Path is null)
        {
            Assert.Equal(0, ProbeKernels.Int8Columns);
            Assert.Throws<PlatformNotSupportedException>(() => ProbeKernels.Int8Tile([], [], [], 0));
        }
        else
        {
            var c = new int[ProbeKernels.Rows * ProbeKernels.Int8Columns];
            ProbeKernels.Int8Tile(new byte[Depth * ProbeKernels.Rows], new sbyte[Depth * ProbeKernels.Int8Columns], c, Depth);
            Assert.All(c, value => Assert.Equal(0, value));
        }
    }

    [Fact]
    public void Triad_WritesBPlusThreeC()
    {
        var a = new double[37];
        var b = Enumerable.Range(0, 37).Select(i => (double)i).ToArray();
        var c = Enumerable.Range(0, 37).Select(i => 0.5 * i).ToArray();
        ProbeKernels.Triad(a, b, c, 3, 37);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0, a[i]));
        Assert.All(Enumerable.Range(3, 34), i => Assert.Equal(i + (1.5 * i), a[i]));
    }

    [Fact]
    public void DependentChain_IsDeterministic() =>
        Assert.Equal(ProbeKernels.DependentChain(1000, 42), ProbeKernels.DependentChain(1000, 42));
}
