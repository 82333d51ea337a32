using ModelSelection.Gguf;

namespace ModelSelection.Tests.Gguf;

/// <summary>
/// Hostile and broken GGUF files fail with <see cref="ModelImportException"/> naming the place, and reading never
/// allocates more than the file justifies (a declared length or count is checked against the bytes left first).
/// </summary>
public sealed class GgufHostileFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ms-gguf-bad-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static GgufTestWriter Tiny() => GgufTestWriter.Llama(vocab: 256, hidden: 32, layers: 2, heads: 4, kvHeads: 2, ff: 64, context: 128, fileType: 0, (_, _) => 0);

    private static byte[] Bytes(GgufTestWriter writer, Func<int, long, long>? offsets = null)
    {
        var path = Path.GetTempFileName();
        try
        {
            writer.Write(path, offsetOverride: offsets);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ModelImportException Refused(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<ModelImportException>(() => GgufFile.Read(new MemoryStream(bytes, writable: false), "bad.gguf"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < (bytes.Length * 8L) + (4 << 20), $"reading a {bytes.Length}-byte file allocated {allocated} bytes");
        Assert.Equal("bad.gguf", exception.SourceName);
        return exception;
    }

    private static byte[] Patch(byte[] bytes, long at, ulong value, int size = 8)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < size; i++)
        {
            copy[at + i] = unchecked((byte)(value >> (8 * i)));
        }

        return copy;
    }

    [Fact]
    public void AWellFormedFileReads()
    {
        var file = GgufFile.Read(new MemoryStream(Bytes(Tiny())), "ok.gguf");
        Assert.Equal(3, file.Version);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(2 + (2 * 9) + 1, file.Tensors.Length);
        Assert.Equal(32, file.Alignment);
    }

    [Fact]
    public void HugeCountsAreRefusedBeforeAnythingIsAllocated()
    {
        var ok = Bytes(Tiny());
        Assert.Contains("tensor infos", Refused(Patch(ok, 8, ulong.MaxValue)).Problem, StringComparison.Ordinal);
        Assert.Contains("metadata entries", Refused(Patch(ok, 16, 1UL << 40)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeStringAndArrayLengthsAreRefused()
    {
        var huge = new GgufTestWriter().Raw("general.name", w => { w.Write(8u); w.Write(ulong.MaxValue - 3); });
        Assert.Contains("only", Refused(Bytes(huge)).Problem, StringComparison.Ordinal);
        var array = new GgufTestWriter().Raw("tokenizer.ggml.tokens", w => { w.Write(9u); w.Write(8u); w.Write(1UL << 50); });
        Assert.Contains("elements", Refused(Bytes(array)).Problem, StringComparison.Ordinal);
        var key = Bytes(new GgufTestWriter().UInt32("k", 1));
        Assert.Contains("only", Refused(Patch(key, 24, 1UL << 40)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ArraysOfArraysAreRefused()
    {
        var deep = new GgufTestWriter().Raw("deep", w => { w.Write(9u); w.Write(9u); w.Write(1UL); w.Write(9u); w.Write(1UL); });
        Assert.Contains("arrays of arrays", Refused(Bytes(deep)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTypesAreRefusedNamingTheKnownOnes()
    {
        var badTensor = new GgufTestWriter().Tensor("x.weight", 4, 32, 2); // 4: the retired Q4_2
        var problem = Refused(Bytes(badTensor)).Problem;
        Assert.Contains("4 is not a ggml tensor type", problem, StringComparison.Ordinal);
        Assert.Contains("q4_K (12)", problem, StringComparison.Ordinal);
        var badValue = new GgufTestWriter().Raw("k", w => w.Write(13u));
        Assert.Contains("not a GGUF value type", Refused(Bytes(badValue)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OffsetsPastTheEndOverlapsAndTruncationAreRefused()
    {
        Assert.Contains("where the tensor before it ends", Refused(Bytes(Tiny(), (i, o) => i == 20 ? o + (1L << 40) : o)).Problem, StringComparison.Ordinal);
        Assert.Contains("overlap", Refused(Bytes(Tiny(), (i, o) => i == 3 ? 0 : o)).Problem, StringComparison.Ordinal);
        var ok = Bytes(Tiny());
        Assert.Contains("run past the end", Refused(ok[..(ok.Length - 100)]).Problem, StringComparison.Ordinal);
        for (var cut = 1; cut < 400; cut += 37)
        {
            Refused(ok[..cut]);
        }
    }

    [Fact]
    public void ShapesThatDoNotFillBlocksOrOverflowAreRefused()
    {
        Assert.Contains("whole blocks of 32", Refused(Bytes(new GgufTestWriter().Tensor("x.weight", 2, 33, 1))).Problem, StringComparison.Ordinal);
        Assert.Contains("1 to 4 dimensions", Refused(Bytes(new GgufTestWriter().Tensor("x.weight", 0, 1, 1, 1, 1, 1))).Problem, StringComparison.Ordinal);
        Assert.Contains("overflows", Refused(Bytes(new GgufTestWriter().Tensor("x.weight", 0, 1L << 40, 1L << 40))).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NotGgufVersionOneAndBadAlignmentAreRefused()
    {
        Assert.Contains("not a GGUF file", Refused("GGML\u0003\0\0\0"u8.ToArray().Concat(new byte[16]).ToArray()).Problem, StringComparison.Ordinal);
        Assert.Contains("version 1", Refused(Bytes(new GgufTestWriter { Version = 1 })).Problem, StringComparison.Ordinal);
        Assert.Contains("power of two", Refused(Bytes(new GgufTestWriter().UInt32("general.alignment", 48))).Problem, StringComparison.Ordinal);
        Assert.Contains("appears twice", Refused(Bytes(new GgufTestWriter().UInt32("a", 1).UInt32("a", 2))).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SpecsNeedTheArchitectureKeysAndAKnownFileType()
    {
        var path = Path.Combine(_folder, "nokeys.gguf");
        new GgufTestWriter().String("general.architecture", "llama").Tensor("token_embd.weight", 0, 32, 8).Write(path);
        Assert.Contains("'llama.block_count'", Assert.Throws<ModelImportException>(() => GgufModel.Read(path).ToModelSpec()).Location, StringComparison.Ordinal);
        var huge = Path.Combine(_folder, "huge-blocks.gguf");
        new GgufTestWriter().String("general.architecture", "llama").UInt32("llama.block_count", 1_000_000_000).UInt32("llama.embedding_length", 32)
            .UInt32("llama.attention.head_count", 4).UInt32("llama.feed_forward_length", 64).UInt32("general.file_type", 0).Tensor("token_embd.weight", 0, 32, 8).Write(huge);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("declares 1000000000 blocks", Assert.Throws<ModelImportException>(() => GgufModel.Read(huge).ToModelSpec()).Problem, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "a block count the file does not justify allocates nothing by it");
        var pure = Path.Combine(_folder, "no-file-type.gguf");
        new GgufTestWriter().String("general.architecture", "llama").UInt32("llama.block_count", 1).UInt32("llama.embedding_length", 32)
            .UInt32("llama.attention.head_count", 4).UInt32("llama.feed_forward_length", 64)
            .Tensor("token_embd.weight", 8, 32, 8).Tensor("blk.0.attn_q.weight", 8, 32, 32).Tensor("blk.0.attn_norm.weight", 0, 32).Write(pure);
        Assert.Equal(NumericPrecision.GgufQ80, GgufModel.Read(pure).ToModelSpec().StoredWeights!.Format);
        var mixed = Path.Combine(_folder, "mixed-no-file-type.gguf");
        new GgufTestWriter().String("general.architecture", "llama").UInt32("llama.block_count", 1).UInt32("llama.embedding_length", 32)
            .UInt32("llama.attention.head_count", 4).UInt32("llama.feed_forward_length", 64)
            .Tensor("token_embd.weight", 8, 32, 8).Tensor("blk.0.attn_q.weight", 2, 32, 32).Write(mixed);
        Assert.Contains("mix types", Assert.Throws<ModelImportException>(() => GgufModel.Read(mixed).ToModelSpec()).Problem, StringComparison.Ordinal);
        var tq = Path.Combine(_folder, "tq.gguf");
        GgufTestWriter.Llama(256, 32, 2, 4, 2, 64, 128, fileType: 36, (_, _) => 0).Write(tq);
        Assert.Contains("names no format", Assert.Throws<ModelImportException>(() => GgufModel.Read(tq).ToModelSpec()).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitModelsReadEveryPartAndCheckTheirKeys()
    {
        for (var part = 0; part < 2; part++)
        {
            var w = new GgufTestWriter().UInt32("split.no", (uint)part).UInt32("split.count", 2).Int32("split.tensors.count", 2);
            if (part == 0)
            {
                w.String("general.architecture", "llama").UInt32("general.file_type", 0);
            }

            w.Tensor($"t{part}.weight", 0, 32, 4).Write(Path.Combine(_folder, $"m-{part + 1:D5}-of-00002.gguf"));
        }

        var model = GgufModel.Read(Path.Combine(_folder, "m-00002-of-00002.gguf"));
        Assert.Equal(2, model.Files.Length);
        Assert.Equal(256, model.Parameters.Count);
        Assert.Equal(1024, model.WeightBytes);
        File.Delete(Path.Combine(_folder, "m-00002-of-00002.gguf"));
        Assert.Throws<FileNotFoundException>(() => GgufModel.Read(Path.Combine(_folder, "m-00001-of-00002.gguf")));
    }
}
