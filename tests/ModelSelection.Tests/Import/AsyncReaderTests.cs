using System.Text;
using ModelSelection.Catalog;
using ModelSelection.Gguf;
using ModelSelection.Import;
using ModelSelection.Safetensors;
using ModelSelection.Tests.Gguf;
using ModelSelection.Tests.Safetensors;

namespace ModelSelection.Tests.Import;

/// <summary>
/// The asynchronous readers (<c>ReadAsync</c>, <c>LoadAsync</c>, <c>DeserializeAsync</c>) against their synchronous
/// siblings: the same result on every fixture, the same error on every truncated or hostile input, cancellation
/// honoured, and no more read than the header.
/// </summary>
public sealed class AsyncReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ms-async-readers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static CancellationToken Canceled => new(canceled: true);

    // ---- safetensors ----

    private static readonly (string Name, string Dtype, long[] Shape)[] SafetensorsTensors =
    [
        ("embed.weight", "BF16", [100, 16]), ("layer.0.q.weight", "F16", [16, 16]), ("layer.0.q.bias", "F32", [16]),
        ("quant.qweight", "I32", [2, 16]), ("mask", "BOOL", [2, 2]), ("layer.0.rotary_emb.inv_freq", "F32", [8]),
    ];

    [Fact]
    public async Task SafetensorsFile_ReadAsync_EqualsRead_AndReadsTheHeaderOnly()
    {
        var bytes = SafetensorsBuilder.File(SafetensorsTensors, metadata: """{"format":"pt"}""");
        var path = Write("model.safetensors", bytes);
        var expected = Describe(SafetensorsFile.Read(path));

        Assert.Equal(expected, Describe(await SafetensorsFile.ReadAsync(path)));
        using var counting = new CountingStream(new MemoryStream(bytes, writable: false));
        var file = await SafetensorsFile.ReadAsync(counting, path);
        Assert.Equal(expected, Describe(file));
        Assert.Equal(8 + file.HeaderBytes, counting.BytesRead); // the length and the header, not one byte of data
        Assert.Equal(8 + file.HeaderBytes, counting.Position);
    }

    [Fact]
    public async Task SafetensorsCheckpoint_ReadAsync_EqualsRead_ForAFileAnIndexAndAFolder()
    {
        Write("model-00001-of-00002.safetensors", SafetensorsBuilder.File([("a.weight", "F16", [10, 10]), ("b.weight", "F16", [5])]));
        Write("model-00002-of-00002.safetensors", SafetensorsBuilder.File([("c.weight", "BF16", [7, 3])]));
        var index = Write(SafetensorsCheckpoint.IndexFileName, """
            {"metadata": {"total_size": 252},
             "weight_map": {"a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00001-of-00002.safetensors",
                            "c.weight": "model-00002-of-00002.safetensors"}}
            """u8.ToArray());
        foreach (var path in new[] { index, _folder, Path.Combine(_folder, "model-00002-of-00002.safetensors") })
        {
            var sync = SafetensorsCheckpoint.Read(path);
            var async = await SafetensorsCheckpoint.ReadAsync(path);
            Assert.Equal((sync.SourceName, sync.Parameters, sync.BufferElements, sync.TotalBytes, sync.DeclaredTotalBytes), (async.SourceName, async.Parameters, async.BufferElements, async.TotalBytes, async.DeclaredTotalBytes));
            Assert.Equal(sync.BytesByDtype, async.BytesByDtype);
            Assert.Equal(sync.Files.Select(Describe), async.Files.Select(Describe));
        }

        var missing = Write("missing.index.json", """{"weight_map": {"a.weight": "model-00001-of-00002.safetensors", "z.weight": "nope.safetensors"}}"""u8.ToArray());
        Assert.Equal(Assert.Throws<ModelImportException>(() => SafetensorsCheckpoint.Read(missing)).Message, (await Assert.ThrowsAsync<ModelImportException>(() => SafetensorsCheckpoint.ReadAsync(missing))).Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => SafetensorsCheckpoint.ReadAsync(Path.Combine(_folder, "none.safetensors")));
    }

    [Fact]
    public async Task SafetensorsFile_ReadAsync_TruncatedOrHostile_FailsAsReadDoes()
    {
        var bytes = SafetensorsBuilder.File(SafetensorsTensors);
        var inputs = Enumerable.Range(0, Math.Min(bytes.Length, 600)).Select(n => bytes[..n])
            .Append(SafetensorsBuilder.Raw("""{"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 8]}}""", 4))
            .Append(SafetensorsBuilder.Raw("{}", 0, declaredLength: ulong.MaxValue))
            .Append(SafetensorsBuilder.Raw("[1, 2]", 0));
        var compared = 0;
        foreach (var input in inputs)
        {
            var sync = Assert.Throws<ModelImportException>(() => SafetensorsFile.Read(new MemoryStream(input, writable: false), "bad.safetensors"));
            var async = await Assert.ThrowsAsync<ModelImportException>(() => SafetensorsFile.ReadAsync(new MemoryStream(input, writable: false), "bad.safetensors"));
            Assert.Equal(sync.Message, async.Message);
            compared++;
        }

        Assert.True(compared > 100);
    }

    // ---- GGUF ----

    /// <summary>A tiny Llama with a vocabulary of 30,000 tokens (about 300 KB of strings, several buffer refills) and a 100 KB string (longer than the buffer).</summary>
    private static GgufTestWriter Llama() =>
        GgufTestWriter.Llama(vocab: 256, hidden: 32, layers: 2, heads: 4, kvHeads: 2, ff: 64, context: 128, fileType: 0, (_, _) => 0)
            .StringArray("tokenizer.ggml.tokens", [.. Enumerable.Range(0, 30_000).Select(i => $"token-{i}")])
            .String("general.description", new string('d', 100_000));

    private byte[] GgufBytes(GgufTestWriter writer, string name = "model.gguf")
    {
        var path = Path.Combine(_folder, name);
        writer.Write(path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task GgufFile_ReadAsync_EqualsRead_AndLeavesTheTensorDataUnread()
    {
        var bytes = GgufBytes(Llama());
        var path = Path.Combine(_folder, "model.gguf");
        var expected = Describe(GgufFile.Read(path));
        Assert.Equal(expected, Describe(await GgufFile.ReadAsync(path)));

        using var counting = new CountingStream(new MemoryStream(bytes, writable: false));
        var file = await GgufFile.ReadAsync(counting, path);
        Assert.Equal(expected, Describe(file));
        Assert.True(counting.BytesRead <= file.DataOffset + (64 << 10), $"read {counting.BytesRead} bytes; the header ends at {file.DataOffset}");
        Assert.True(counting.AsyncReads > 3, "the header spans several buffer refills");
        Assert.Equal(0, counting.SyncReads);
    }

    [Fact]
    public async Task GgufModel_ReadAsync_EqualsRead_ForAWholeAndASplitModel()
    {
        GgufBytes(Llama(), "whole.gguf");
        GgufBytes(new GgufTestWriter().UInt32("split.no", 0).UInt32("split.count", 1), "tiny-00001-of-00001.gguf");
        foreach (var name in new[] { "whole.gguf", "tiny-00001-of-00001.gguf" })
        {
            var path = Path.Combine(_folder, name);
            var sync = GgufModel.Read(path);
            var async = await GgufModel.ReadAsync(path);
            Assert.Equal(sync.Files.Select(Describe), async.Files.Select(Describe));
            Assert.Equal((sync.Parameters, sync.WeightBytes), (async.Parameters, async.WeightBytes));
        }

        Assert.Equal(GgufModel.Read(Path.Combine(_folder, "whole.gguf")).ToModelSpec(), (await GgufModel.ReadAsync(Path.Combine(_folder, "whole.gguf"))).ToModelSpec());
    }

    [Fact]
    public async Task GgufFile_ReadAsync_TruncatedOrHostile_FailsAsReadDoes()
    {
        var small = GgufBytes(GgufTestWriter.Llama(vocab: 256, hidden: 32, layers: 2, heads: 4, kvHeads: 2, ff: 64, context: 128, fileType: 0, (_, _) => 0));
        var large = GgufBytes(Llama(), "large.gguf");
        var inputs = Enumerable.Range(0, Math.Min(small.Length, 700)).Select(n => small[..n])
            .Concat(new[] { 70_000, 200_000, 300_000, 400_000 }.Select(n => large[..n]))
            .Append(Patch(small, 8, ulong.MaxValue))
            .Append(Patch(small, 16, 1UL << 40))
            .Append(Patch(small, 4, 1, 4));
        foreach (var input in inputs)
        {
            var sync = Assert.Throws<ModelImportException>(() => GgufFile.Read(new MemoryStream(input, writable: false), "bad.gguf"));
            var async = await Assert.ThrowsAsync<ModelImportException>(() => GgufFile.ReadAsync(new MemoryStream(input, writable: false), "bad.gguf"));
            Assert.Equal(sync.Message, async.Message);
        }
    }

    [Fact]
    public async Task GgufFile_ReadAsync_CanceledWhileReading_Stops()
    {
        var bytes = GgufBytes(Llama());
        using var cancel = new CancellationTokenSource();
        using var stream = new CountingStream(new MemoryStream(bytes, writable: false)) { OnAsyncRead = n => { if (n == 2) { cancel.Cancel(); } } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GgufFile.ReadAsync(stream, "model.gguf", cancel.Token));
        Assert.InRange(stream.AsyncReads, 2, 3);
    }

    // ---- config.json and model spec JSON ----

    [Theory]
    [InlineData("bert-base-uncased.config.json")]
    [InlineData("gpt2.config.json")]
    [InlineData("llama-2-7b-hf.config.json")]
    public async Task HuggingFaceConfig_LoadAsyncAndReadAsync_EqualLoad(string name)
    {
        var path = SharedFiles.PublicConfig(name);
        var expected = HuggingFaceConfig.Load(path, "the-id");
        Assert.Equal(expected, await HuggingFaceConfig.LoadAsync(path, "the-id"));
        Assert.Equal(HuggingFaceConfig.Load(path), await HuggingFaceConfig.LoadAsync(path));
        await using (var file = File.OpenRead(path))
        {
            Assert.Equal(expected, await HuggingFaceConfig.ReadAsync(file, path, "the-id"));
        }

        // A stream that cannot seek (an HTTP response body) reads the same.
        await using var forwardOnly = new CountingStream(new MemoryStream(File.ReadAllBytes(path), writable: false), canSeek: false);
        Assert.Equal(expected, await HuggingFaceConfig.ReadAsync(forwardOnly, path, "the-id"));
        Assert.Equal(HuggingFaceConfig.Parse(File.ReadAllText(path), "config", null), await HuggingFaceConfig.ReadAsync(new MemoryStream(File.ReadAllBytes(path)), "config"));
    }

    [Fact]
    public async Task HuggingFaceConfig_ReadAsync_BadOrHugeInput_FailsAsLoadDoes()
    {
        foreach (var text in new[] { """{"model_type": "bert", """, """{"model_type": "nope"}""", """{"model_type": "bert"}""", "[1]" })
        {
            var path = Write("config.json", Encoding.UTF8.GetBytes(text));
            var sync = Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(path, "x"));
            Assert.Equal(sync.Message, (await Assert.ThrowsAsync<ModelImportException>(() => HuggingFaceConfig.LoadAsync(path, "x"))).Message);
            Assert.Equal(sync.Message, (await Assert.ThrowsAsync<ModelImportException>(() => HuggingFaceConfig.ReadAsync(new MemoryStream(File.ReadAllBytes(path)), path, "x"))).Message);
        }

        var notUtf8 = Write("latin1.json", [(byte)'{', 0xFF, (byte)'}']);
        Assert.Equal(
            Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(notUtf8)).Message,
            (await Assert.ThrowsAsync<ModelImportException>(() => HuggingFaceConfig.ReadAsync(new MemoryStream(File.ReadAllBytes(notUtf8)), notUtf8))).Message);

        // Past the 16 MiB cap: a seekable stream is refused unread, with the file's message; a forward-only one at the first byte past it.
        var huge = new byte[HuggingFaceConfig.MaxFileBytes + 10];
        huge.AsSpan().Fill((byte)' ');
        var hugePath = Write("huge.json", huge);
        var tooLarge = Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(hugePath));
        Assert.Equal("expected a config.json of at most 16777216 bytes; found 16777226 bytes", tooLarge.Problem);
        using var seekable = new CountingStream(new MemoryStream(huge, writable: false));
        Assert.Equal(tooLarge.Message, (await Assert.ThrowsAsync<ModelImportException>(() => HuggingFaceConfig.ReadAsync(seekable, hugePath))).Message);
        Assert.Equal(0, seekable.BytesRead);
        using var forwardOnly = new CountingStream(new MemoryStream(huge, writable: false), canSeek: false);
        var streamed = await Assert.ThrowsAsync<ModelImportException>(() => HuggingFaceConfig.ReadAsync(forwardOnly, "response"));
        Assert.Equal("expected a config.json of at most 16777216 bytes; the stream holds more", streamed.Problem);
        Assert.Equal(HuggingFaceConfig.MaxFileBytes + 1, forwardOnly.BytesRead);
        Assert.Equal("expected a config.json; the stream is empty", (await Assert.ThrowsAsync<ModelImportException>(() => HuggingFaceConfig.ReadAsync(new MemoryStream(), "empty"))).Problem);
    }

    [Fact]
    public async Task ModelSpecJson_DeserializeAsync_EqualsDeserialize_AndFailsAsItDoes()
    {
        var spec = HuggingFaceConfig.Load(SharedFiles.PublicConfig("llama-2-7b-hf.config.json"), "llama");
        var json = ModelSpecJson.Serialize(spec);
        Assert.Equal(ModelSpecJson.Deserialize(json, "spec.json"), await ModelSpecJson.DeserializeAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "spec.json"));
        Assert.Equal(spec, await ModelSpecJson.DeserializeAsync(new MemoryStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray()), "bom.json"));
        foreach (var bad in new[] { json[..(json.Length / 2)], "null", """{"id": "x"}""", System.Text.RegularExpressions.Regex.Replace(json, "\"parameters\": \\d+", "\"parameters\": 1") })
        {
            var sync = Assert.Throws<ModelImportException>(() => ModelSpecJson.Deserialize(bad, "spec.json"));
            var async = await Assert.ThrowsAsync<ModelImportException>(() => ModelSpecJson.DeserializeAsync(new MemoryStream(Encoding.UTF8.GetBytes(bad)), "spec.json"));
            Assert.Equal(sync.Message, async.Message);
        }
    }

    // ---- cancellation and guards ----

    [Fact]
    public async Task EveryAsyncReader_WithACanceledToken_ThrowsOperationCanceled()
    {
        var safetensors = Write("model.safetensors", SafetensorsBuilder.File(SafetensorsTensors));
        var gguf = Path.Combine(_folder, "model.gguf");
        GgufBytes(Llama());
        var config = SharedFiles.PublicConfig("gpt2.config.json");
        var readers = new Func<Task>[]
        {
            () => SafetensorsFile.ReadAsync(safetensors, Canceled),
            () => SafetensorsFile.ReadAsync(File.OpenRead(safetensors), safetensors, Canceled),
            () => SafetensorsCheckpoint.ReadAsync(safetensors, Canceled),
            () => GgufFile.ReadAsync(gguf, Canceled),
            () => GgufFile.ReadAsync(File.OpenRead(gguf), gguf, Canceled),
            () => GgufModel.ReadAsync(gguf, Canceled),
            () => HuggingFaceConfig.LoadAsync(config, null, Canceled),
            () => HuggingFaceConfig.ReadAsync(File.OpenRead(config), config, null, Canceled),
            () => ModelSpecJson.DeserializeAsync(new MemoryStream("{}"u8.ToArray()), "spec.json", Canceled),
        };
        foreach (var read in readers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(read);
        }
    }

    [Fact]
    public async Task AsyncReaders_GuardTheirArguments()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => SafetensorsFile.ReadAsync((Stream)null!, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => SafetensorsFile.ReadAsync(new MemoryStream(), " "));
        await Assert.ThrowsAsync<ArgumentException>(() => SafetensorsFile.ReadAsync(new CountingStream(new MemoryStream(), canSeek: false), "x"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => GgufFile.ReadAsync((string)null!));
        await Assert.ThrowsAsync<ArgumentException>(() => GgufFile.ReadAsync(new CountingStream(new MemoryStream(), canSeek: false), "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => GgufModel.ReadAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => SafetensorsCheckpoint.ReadAsync(" "));
        await Assert.ThrowsAsync<ArgumentNullException>(() => HuggingFaceConfig.ReadAsync(null!, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => HuggingFaceConfig.LoadAsync(""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ModelSpecJson.DeserializeAsync(null!, "x"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => GgufFile.ReadAsync(Path.Combine(_folder, "none.gguf")));
        await Assert.ThrowsAsync<FileNotFoundException>(() => HuggingFaceConfig.LoadAsync(Path.Combine(_folder, "none.json")));
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

    private static string Describe(SafetensorsFile file) =>
        $"{file.SourceName} {file.HeaderBytes} {file.DataBytes} {file.ParameterElements} {file.BufferElements} "
        + string.Join(";", file.Metadata.Select(m => $"{m.Key}={m.Value}")) + " | "
        + string.Join(";", file.Tensors.Select(t => $"{t.Name}:{t.Dtype}:[{string.Join(",", t.Shape)}]:{t.DataBegin}-{t.DataEnd}"));

    private static string Describe(GgufFile file) =>
        $"{file.SourceName} v{file.Version} {file.FileBytes} {file.DataOffset} {file.Alignment} {file.TensorElements} {file.TensorBytes} "
        + string.Join(";", file.Metadata.Select(m => $"{m.Key}={m.Value.Type}:{m.Value}")) + " | "
        + string.Join(";", file.Tensors.Select(t => $"{t.Name}:{t.Type}:[{string.Join(",", t.Dimensions)}]:{t.Offset}:{t.Bytes}"));

    /// <summary>Counts what a reader takes from a stream, and can pose as a stream that cannot seek.</summary>
    private sealed class CountingStream(Stream inner, bool canSeek = true) : Stream
    {
        public long BytesRead { get; private set; }

        public int SyncReads { get; private set; }

        public int AsyncReads { get; private set; }

        public Action<int>? OnAsyncRead { get; init; }

        public override bool CanRead => true;

        public override bool CanSeek => canSeek;

        public override bool CanWrite => false;

        public override long Length => canSeek ? inner.Length : throw new NotSupportedException();

        public override long Position { get => inner.Position; set => inner.Position = canSeek ? value : throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            SyncReads++;
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            AsyncReads++;
            OnAsyncRead?.Invoke(AsyncReads);
            cancellationToken.ThrowIfCancellationRequested();
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => canSeek ? inner.Seek(offset, origin) : throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
