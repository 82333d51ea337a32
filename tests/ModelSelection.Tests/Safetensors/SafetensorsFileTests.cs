using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ModelSelection.Safetensors;

namespace ModelSelection.Tests.Safetensors;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("safetensors-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static SafetensorsFile Read(byte[] bytes) => SafetensorsFile.Read(new MemoryStream(bytes), "test.safetensors");

    [Fact]
    public void Read_SeveralDtypes_CountsElementsAndBytes()
    {
        var path = Write("model.safetensors", SafetensorsBuilder.File(
        [
            ("embed.weight", "BF16", [100, 16]),
            ("layer.0.q.weight", "F16", [16, 16]),
            ("layer.0.q.bias", "F32", [16]),
            ("layer.0.scale", "F64", []),
            ("quant.qweight", "I32", [2, 16]),
            ("quant.zeros", "U8", [4]),
            ("fp8.weight", "F8_E4M3", [16, 4]),
            ("fp8.grad", "F8_E5M2", [8]),
            ("ids", "I64", [3]),
            ("i16", "I16", [5]),
            ("i8", "I8", [7]),
            ("mask", "BOOL", [2, 2]),
            ("layer.0.rotary_emb.inv_freq", "F32", [8]),
        ], metadata: """{"format":"pt"}"""));
        var checkpoint = SafetensorsCheckpoint.Read(path);
        // Elements: 1600 + 256 + 16 + 1 + 32 + 4 + 64 + 8 + 3 + 5 + 7 + 4 = 2000; the 8 inv_freq values are a buffer.
        Assert.Equal(2000L, checkpoint.Parameters.Count);
        Assert.Equal(8L, checkpoint.BufferElements);
        Assert.Equal(3200L, checkpoint.BytesByDtype[SafetensorsDtype.BF16]);
        Assert.Equal(512L, checkpoint.BytesByDtype[SafetensorsDtype.F16]);
        Assert.Equal(64L + 32, checkpoint.BytesByDtype[SafetensorsDtype.F32]);
        Assert.Equal(128L, checkpoint.BytesByDtype[SafetensorsDtype.I32]);
        Assert.Equal(1L * 8, checkpoint.BytesByDtype[SafetensorsDtype.F64]);
        Assert.Equal(checkpoint.BytesByDtype.Values.Sum(), checkpoint.TotalBytes);
        var file = Assert.Single(checkpoint.Files);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(13, file.Tensors.Length);
        Assert.Equal(0, file.HeaderBytes % 8);
    }

    [Fact]
    public void Read_ShardedIndex_SumsShardsAndChecksTheMap()
    {
        Write("model-00001-of-00002.safetensors", SafetensorsBuilder.File([("a.weight", "F16", [10, 10]), ("b.weight", "F16", [5])]));
        Write("model-00002-of-00002.safetensors", SafetensorsBuilder.File([("c.weight", "BF16", [7, 3])]));
        var index = Write(SafetensorsCheckpoint.IndexFileName, """
            {"metadata": {"total_size": 252},
             "weight_map": {"a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00001-of-00002.safetensors",
                            "c.weight": "model-00002-of-00002.safetensors"}}
            """u8.ToArray());
        var checkpoint = SafetensorsCheckpoint.Read(index);
        Assert.Equal(126L, checkpoint.Parameters.Count);
        Assert.Equal(2, checkpoint.Files.Length);
        Assert.Equal(252L, checkpoint.DeclaredTotalBytes);
        Assert.Equal(252L, checkpoint.TotalBytes);
        Assert.Equal(126L, SafetensorsCheckpoint.Read(_folder).Parameters.Count); // the folder: the index wins
    }

    [Fact]
    public void Read_ShardedIndex_MissingShardOrTensorOrBadName_FailsNamingTheEntry()
    {
        Write("shard-1.safetensors", SafetensorsBuilder.File([("a.weight", "F16", [2])]));
        var missingShard = Write("missing.index.json", """{"weight_map": {"a.weight": "shard-1.safetensors", "b.weight": "shard-2.safetensors"}}"""u8.ToArray());
        var exception = Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(missingShard));
        Assert.Equal("$.weight_map['b.weight']", exception.Location);
        Assert.StartsWith("the shard 'shard-2.safetensors' is missing from ", exception.Problem);

        var missingTensor = Write("tensor.index.json", """{"weight_map": {"a.weight": "shard-1.safetensors", "z.weight": "shard-1.safetensors"}}"""u8.ToArray());
        exception = Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(missingTensor));
        Assert.Equal("the index places the tensor in 'shard-1.safetensors', whose header does not list it", exception.Problem);

        var traversal = Write("traversal.index.json", """{"weight_map": {"a.weight": "../etc/passwd"}}"""u8.ToArray());
        exception = Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(traversal));
        Assert.Equal("$.weight_map['a.weight']", exception.Location);

        var noMap = Write("nomap.index.json", """{"metadata": {}}"""u8.ToArray());
        Assert.Equal("$.weight_map", Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(noMap)).Location);
    }

    [Fact]
    public void Read_DuplicateTensorAcrossShards_Fails()
    {
        Write("s1.safetensors", SafetensorsBuilder.File([("a.weight", "F16", [2])]));
        Write("s2.safetensors", SafetensorsBuilder.File([("a.weight", "F16", [2]), ("b.weight", "F16", [2])]));
        var index = Write("dup.index.json", """{"weight_map": {"a.weight": "s1.safetensors", "b.weight": "s2.safetensors"}}"""u8.ToArray());
        Assert.Equal("the tensor is also stored in another shard of this checkpoint", Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(index)).Problem);
    }

    [Fact]
    public void Read_MissingPaths_ThrowFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Read(Path.Combine(_folder, "none.safetensors")));
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Read(_folder)); // empty folder
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Read(Path.Combine(_folder, "none.safetensors")));
    }

    public static TheoryData<string, byte[], string, string> HostileFiles() => new()
    {
        { "tiny", [1, 2, 3], "header length", "expected at least 8 bytes for the header length; the file has 3" },
        { "huge header", SafetensorsBuilder.Raw("{}", 0, declaredLength: 200_000_000), "header length", "expected at most 100000000 bytes; the file declares 200000000" },
        { "header beyond file", SafetensorsBuilder.Raw("{}", 0, declaredLength: 4096), "header length", "the file declares a 4096-byte header but has only 8 bytes after the length field" },
        { "max ulong", SafetensorsBuilder.Raw("{}", 0, declaredLength: ulong.MaxValue), "header length", "expected at most 100000000 bytes; the file declares 18446744073709551615" },
        { "not an object", SafetensorsBuilder.Raw("[1,2,3]", 0), "$", "expected a JSON object; found Array" },
        { "unknown dtype", SafetensorsBuilder.Raw("""{"a":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}""", 1), "$['a'].dtype", "unknown dtype \"F4\"; expected one of BF16, BOOL, F16, F32, F64, F8_E4M3, F8_E5M2, I16, I32, I64, I8, U8" },
        { "offsets outside", SafetensorsBuilder.Raw("""{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}""", 4), "$['a'].data_offsets", "expected 0 ≤ begin ≤ end ≤ 4 (the data region); found [0, 8]" },
        { "offsets reversed", SafetensorsBuilder.Raw("""{"a":{"dtype":"F16","shape":[0],"data_offsets":[4,0]}}""", 4), "$['a'].data_offsets", "expected 0 ≤ begin ≤ end ≤ 4 (the data region); found [4, 0]" },
        { "size mismatch", SafetensorsBuilder.Raw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 4), "$['a'].data_offsets", "a F32 tensor of shape [2] takes 8 bytes; the offsets span 4" },
        { "overlap", SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}""", 6), "$['b'].data_offsets", "the tensor's bytes [2, 6) overlap the previous tensor's, which end at 4" },
        { "hole", SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}""", 6), "$['b'].data_offsets", "the data region has a hole: bytes [2, 4) belong to no tensor" },
        { "trailing data", SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", 10), "data region", "the tensors cover 2 bytes but the data region holds 10" },
        { "shape overflow", SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}}""", 0), "$['a'].shape", "the product of the dimensions overflows a 64-bit element count" },
        { "negative dimension", SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}""", 0), "$['a'].shape[0]", "expected a non-negative integer dimension; found -1" },
        { "no dtype", SafetensorsBuilder.Raw("""{"a":{"shape":[1],"data_offsets":[0,1]}}""", 1), "$['a'].dtype", "expected a dtype string" },
        { "bad offsets", SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0]}}""", 1), "$['a'].data_offsets", "expected [begin, end]" },
        { "bad metadata", SafetensorsBuilder.Raw("""{"__metadata__":{"format":1}}""", 0), "$.__metadata__['format']", "expected a string; found Number" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Read_HostileOrBrokenHeader_ThrowsNamingTheProblem(string label, byte[] bytes, string location, string problem)
    {
        var exception = Assert.Throws<ModelImportException>(() => Read(bytes));
        Assert.True(location == exception.Location, $"{label}: location was {exception.Location}");
        Assert.Equal(problem, exception.Problem);
        Assert.Equal("test.safetensors", exception.SourceName);
    }

    [Fact]
    public void Read_TruncatedJson_NamesTheHeader()
    {
        var bytes = SafetensorsBuilder.Raw("""{"a":{"dtype":"U8","shape":[1],"data_off""", 0);
        var exception = Assert.Throws<ModelImportException>(() => Read(bytes));
        Assert.StartsWith("header byte ", exception.Location);
        Assert.StartsWith("expected a JSON object: ", exception.Problem);
    }

    [Fact]
    public void Read_MultiGigabyteCheckpoint_ReadsOnlyTheHeader()
    {
        // A 6 GiB checkpoint (3 Gi F16 elements) whose data region is never materialised: the stream records how far
        // it was read.
        var (header, dataBytes) = SafetensorsBuilder.Header([("big.weight", "F16", [49152, 65536])]);
        var prefix = SafetensorsBuilder.Raw(header, 0);
        using var stream = new SparseStream(prefix, prefix.Length + dataBytes);
        var file = SafetensorsFile.Read(stream, "big.safetensors");
        Assert.Equal(49152L * 65536, file.ParameterElements);
        Assert.Equal(6L << 30, file.DataBytes);
        Assert.Equal(prefix.Length, stream.HighestByteRead);
    }

    [Fact]
    public void Read_RequiresASeekableStream()
    {
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Read(new NonSeekableStream(), "pipe"));
        Assert.Throws<ArgumentNullException>(() => SafetensorsFile.Read(null!, "x"));
    }

    private static Gen<(string, string, long[])[]> ValidTensors() =>
        from count in Gen.Choose(0, 12)
        from tensors in Gen.ListOf(
            from dtype in Gen.Elements(SafetensorsBuilder.Dtypes.ToArray())
            from rank in Gen.Choose(0, 3)
            from dims in Gen.ArrayOf(Gen.Choose(0, 9).Select(d => (long)d), rank)
            select (dtype, dims), count)
        select tensors.Select((t, i) => ($"t{i}.weight", t.dtype, t.dims)).ToArray();

    [Property(MaxTest = 300)]
    public Property Generated_files_count_every_element() =>
        Prop.ForAll(ValidTensors().ToArbitrary(), tensors =>
        {
            var file = Read(SafetensorsBuilder.File(tensors));
            Assert.Equal(tensors.Sum(t => SafetensorsBuilder.ElementsOf(t.Item3)), file.ParameterElements);
            Assert.Equal(tensors.Length, file.Tensors.Length);
        });

    [Property(MaxTest = 1000)]
    public Property Mutated_files_give_a_count_or_the_documented_exception_and_nothing_else() =>
        Prop.ForAll(
            (from tensors in ValidTensors()
             from kind in Gen.Choose(0, 3)
             from position in Gen.Choose(0, int.MaxValue)
             from value in Gen.Choose(0, 255)
             select (tensors, kind, position, value)).ToArbitrary(),
            mutation =>
            {
                var (tensors, kind, position, value) = mutation;
                var bytes = SafetensorsBuilder.File(tensors);
                switch (kind)
                {
                    case 0: bytes[position % bytes.Length] = (byte)value; break;                                  // flip a byte anywhere
                    case 1: bytes = bytes[..(position % bytes.Length)]; break;                                    // truncate
                    case 2: BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)position * (ulong)(value + 1)); break; // lie about the header length
                    default: bytes[8 + (position % Math.Max(1, bytes.Length - 8))] = (byte)"{}[],:\"0-9 e"[value % 12]; break; // JSON punctuation
                }

                try
                {
                    var file = Read(bytes);
                    Assert.True(file.ParameterElements >= 0);
                }
                catch (ModelImportException)
                {
                    // the documented outcome for a broken header
                }
            });

    private sealed class SparseStream(byte[] prefix, long length) : Stream
    {
        private long _position;

        public long HighestByteRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = _position + i < prefix.Length ? prefix[_position + i] : (byte)0;
            }

            _position += n;
            HighestByteRead = Math.Max(HighestByteRead, _position);
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
