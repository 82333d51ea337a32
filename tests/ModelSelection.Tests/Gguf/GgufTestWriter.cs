using System.Buffers.Binary;
using System.Text;

namespace ModelSelection.Tests.Gguf;

/// <summary>
/// Writes GGUF v3 files for tests: metadata of any type, tensors of the common ggml types with random weights whose
/// scales are small finite halves (so llama.cpp computes finite numbers). Also writes deliberately broken files.
/// </summary>
internal sealed class GgufTestWriter
{
    private readonly List<(string Key, Action<BinaryWriter> Write)> _metadata = [];
    private readonly List<(string Name, int Type, long[] Dims)> _tensors = [];

    public int Version { get; set; } = 3;

    public int Alignment { get; set; } = 32;

    public GgufTestWriter String(string key, string value) => Add(key, w => { w.Write(8u); WriteString(w, value); });

    public GgufTestWriter UInt32(string key, uint value) => Add(key, w => { w.Write(4u); w.Write(value); });

    public GgufTestWriter Int32(string key, int value) => Add(key, w => { w.Write(5u); w.Write(value); });

    public GgufTestWriter UInt64(string key, ulong value) => Add(key, w => { w.Write(10u); w.Write(value); });

    public GgufTestWriter Float32(string key, float value) => Add(key, w => { w.Write(6u); w.Write(value); });

    public GgufTestWriter Bool(string key, bool value) => Add(key, w => { w.Write(7u); w.Write((byte)(value ? 1 : 0)); });

    public GgufTestWriter StringArray(string key, IReadOnlyList<string> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(8u);
        w.Write((ulong)values.Count);
        foreach (var v in values)
        {
            WriteString(w, v);
        }
    });

    public GgufTestWriter Int32Array(string key, IReadOnlyList<int> values) => Add(key, w =>
    {
        w.Write(9u);
        w.Write(5u);
        w.Write((ulong)values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    });

    /// <summary>Adds a raw metadata entry: the writer gets the stream after the key.</summary>
    public GgufTestWriter Raw(string key, Action<BinaryWriter> write) => Add(key, write);

    /// <summary>Adds a tensor; <paramref name="dims"/> in ggml order (ne[0] = the contiguous row, the input features of a weight).</summary>
    public GgufTestWriter Tensor(string name, int type, params long[] dims)
    {
        _tensors.Add((name, type, dims));
        return this;
    }

    /// <summary>The (elements per block, bytes per block) of the types the writer fills.</summary>
    public static (int Elements, int Bytes) Block(int type) => type switch
    {
        0 => (1, 4),
        1 => (1, 2),
        2 => (32, 18),
        8 => (32, 34),
        12 => (256, 144),
        13 => (256, 176),
        14 => (256, 210),
        30 => (1, 2),
        _ => (1, 1), // any other number: written as bytes, for files a reader must refuse
    };

    public static long TensorBytes(int type, long[] dims)
    {
        var (elements, bytes) = Block(type);
        var count = unchecked(dims.Aggregate(1L, (a, d) => a * d));
        return count < 0 || count > (1L << 40) ? 0 : count / elements * bytes;
    }

    /// <summary>Writes the file; <paramref name="offsetOverride"/> may replace a tensor's offset to make a broken file.</summary>
    public void Write(string path, int seed = 1, Func<int, long, long>? offsetOverride = null, bool writeData = true)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Encoding.ASCII.GetBytes("GGUF"));
        w.Write((uint)Version);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, write) in _metadata)
        {
            WriteString(w, key);
            write(w);
        }

        long offset = 0;
        var offsets = new List<long>();
        for (var i = 0; i < _tensors.Count; i++)
        {
            var (name, type, dims) = _tensors[i];
            WriteString(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims)
            {
                w.Write(d);
            }

            w.Write((uint)type);
            var actual = offsetOverride?.Invoke(i, offset) ?? offset;
            w.Write((ulong)actual);
            offsets.Add(offset);
            offset = Pad(offset + TensorBytes(type, dims));
        }

        w.Flush();
        var header = stream.Position;
        var padded = Pad(header);
        w.Write(new byte[padded - header]);
        if (!writeData)
        {
            // A sparse file of zeros as long as the data: the header reads as whole, nothing is written for the weights.
            stream.SetLength(padded + offset);
            return;
        }

        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        for (var i = 0; i < _tensors.Count; i++)
        {
            var (_, type, dims) = _tensors[i];
            var bytes = TensorBytes(type, dims);
            var (elements, blockBytes) = Block(type);
            long written = 0;
            while (written < bytes)
            {
                var n = (int)Math.Min(buffer.Length / blockBytes * blockBytes, bytes - written);
                Fill(buffer.AsSpan(0, n), type, blockBytes, random);
                w.Write(buffer, 0, n);
                written += n;
            }

            var end = offsets[i] + bytes;
            var next = i + 1 < _tensors.Count ? offsets[i + 1] : end;
            w.Write(new byte[next - end]);
        }
    }

    private long Pad(long value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Fill(Span<byte> span, int type, int blockBytes, Random random)
    {
        random.NextBytes(span);
        const ushort small = 0x211F; // 0.01 as an IEEE half
        switch (type)
        {
            case 0:
                for (var i = 0; i < span.Length; i += 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(span[i..], 1f);
                }

                break;
            case 1:
                for (var i = 0; i < span.Length; i += 2)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(span[i..], (ushort)(0x1800 + (span[i] & 0x3FF) | (span[i + 1] & 0x80) << 8));
                }

                break;
            case 30:
                for (var i = 0; i < span.Length; i += 2)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(span[i..], (ushort)(0x3C00 + (span[i] & 0x7F) | (span[i + 1] & 0x80) << 8));
                }

                break;
            default:
                for (var b = 0; b < span.Length; b += blockBytes)
                {
                    var block = span.Slice(b, blockBytes);
                    switch (type)
                    {
                        case 2 or 8:
                            BinaryPrimitives.WriteUInt16LittleEndian(block, small);
                            break;
                        case 12 or 13:
                            BinaryPrimitives.WriteUInt16LittleEndian(block, small);
                            BinaryPrimitives.WriteUInt16LittleEndian(block[2..], small);
                            break;
                        case 14:
                            BinaryPrimitives.WriteUInt16LittleEndian(block[208..], small);
                            break;
                    }
                }

                break;
        }
    }

    private GgufTestWriter Add(string key, Action<BinaryWriter> write)
    {
        _metadata.Add((key, write));
        return this;
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>A Llama-shaped model: <paramref name="typeOf"/> gives each tensor's ggml type (norms are F32 whatever it says).</summary>
    public static GgufTestWriter Llama(int vocab, int hidden, int layers, int heads, int kvHeads, int ff, int context, uint fileType, Func<string, int, int> typeOf, bool tied = false)
    {
        var w = new GgufTestWriter()
            .String("general.architecture", "llama")
            .String("general.name", $"test-llama-{hidden}x{layers}")
            .UInt32("general.file_type", fileType)
            .UInt32("llama.context_length", (uint)context)
            .UInt32("llama.embedding_length", (uint)hidden)
            .UInt32("llama.block_count", (uint)layers)
            .UInt32("llama.feed_forward_length", (uint)ff)
            .UInt32("llama.attention.head_count", (uint)heads)
            .UInt32("llama.attention.head_count_kv", (uint)kvHeads)
            .UInt32("llama.rope.dimension_count", (uint)(hidden / heads))
            .Float32("llama.rope.freq_base", 10000f)
            .Float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .UInt32("llama.vocab_size", (uint)vocab)
            .String("tokenizer.ggml.model", "none");
        var kv = hidden / heads * kvHeads;
        w.Tensor("token_embd.weight", typeOf("token_embd.weight", -1), hidden, vocab);
        for (var i = 0; i < layers; i++)
        {
            var p = $"blk.{i}.";
            w.Tensor(p + "attn_norm.weight", 0, hidden)
                .Tensor(p + "attn_q.weight", typeOf("attn_q.weight", i), hidden, hidden)
                .Tensor(p + "attn_k.weight", typeOf("attn_k.weight", i), hidden, kv)
                .Tensor(p + "attn_v.weight", typeOf("attn_v.weight", i), hidden, kv)
                .Tensor(p + "attn_output.weight", typeOf("attn_output.weight", i), hidden, hidden)
                .Tensor(p + "ffn_norm.weight", 0, hidden)
                .Tensor(p + "ffn_gate.weight", typeOf("ffn_gate.weight", i), hidden, ff)
                .Tensor(p + "ffn_up.weight", typeOf("ffn_up.weight", i), hidden, ff)
                .Tensor(p + "ffn_down.weight", typeOf("ffn_down.weight", i), ff, hidden);
        }

        w.Tensor("output_norm.weight", 0, hidden);
        if (!tied)
        {
            w.Tensor("output.weight", typeOf("output.weight", -1), hidden, vocab);
        }

        return w;
    }
}
