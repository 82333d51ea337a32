namespace ModelSelection.Onnx;

/// <summary>
/// A forward reader of protobuf wire format over a seekable stream, buffered, that never reads past a limit it is given and
/// skips payloads by seeking, so tensor data is never read. Synchronous when <c>async</c> is false (the <c>bool async</c>
/// pattern: every call then completes before it returns).
/// </summary>
internal sealed class OnnxStreamReader
{
    private const int BufferBytes = 65_536;
    private readonly Stream _stream;
    private readonly long _origin;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly bool _async;
    private readonly CancellationToken _cancellationToken;
    private long _bufferStart;
    private int _bufferLength;

    public OnnxStreamReader(Stream stream, string sourceName, bool async, CancellationToken cancellationToken)
    {
        _stream = stream;
        _origin = stream.Position;
        Length = stream.Length - _origin;
        SourceName = sourceName;
        _async = async;
        _cancellationToken = cancellationToken;
    }

    public string SourceName { get; }

    /// <summary>Gets the bytes from the start of the model to the end of the stream.</summary>
    public long Length { get; }

    /// <summary>Gets the offset of the next byte, from the start of the model.</summary>
    public long Position { get; private set; }

    public ModelImportException Fail(string location, long offset, string problem) => new(SourceName, $"{location} (byte {offset})", problem);

    /// <summary>Reads a field key before <paramref name="end"/>; false at <paramref name="end"/>.</summary>
    public async ValueTask<(int Field, int Wire)?> ReadTagAsync(long end, string location)
    {
        if (Position >= end)
        {
            return null;
        }

        var start = Position;
        var key = await ReadVarintAsync(end, location).ConfigureAwait(false);
        return key >> 3 is 0 or > 536_870_911
            ? throw Fail(location, start, $"expected a field number between 1 and 536870911; found {key >> 3}")
            : ((int)(key >> 3), (int)(key & 7));
    }

    public async ValueTask<ulong> ReadVarintAsync(long end, string location)
    {
        var start = Position;
        ulong value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (Position >= end)
            {
                throw Fail(location, start, Position >= Length ? "the file ended inside a varint" : "the enclosing message ended inside a varint");
            }

            var b = await ReadByteAsync().ConfigureAwait(false);
            if (i == 9 && b > 1)
            {
                throw Fail(location, start, "malformed varint: more than 64 bits");
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Fail(location, start, "malformed varint: longer than 10 bytes");
    }

    /// <summary>Reads the length of a length-delimited field and checks it against <paramref name="end"/>; returns the end of the payload.</summary>
    public async ValueTask<long> ReadLengthAsync(long end, string location)
    {
        var start = Position;
        var length = await ReadVarintAsync(end, location).ConfigureAwait(false);
        var remaining = end - Position;
        return length <= (ulong)remaining
            ? Position + (long)length
            : throw Fail(location, start, $"a length-delimited field declares {length} bytes; only {remaining} remain in the {(end >= Length ? "file" : "enclosing message")}");
    }

    /// <summary>Reads a payload whose end <see cref="ReadLengthAsync"/> checked, and that is at most <paramref name="max"/> bytes.</summary>
    public async ValueTask<byte[]> ReadPayloadAsync(long payloadEnd, long max, string location, string what)
    {
        var count = payloadEnd - Position;
        if (count > max)
        {
            throw Fail(location, Position, $"expected {what} of at most {max} bytes; found {count}");
        }

        var payload = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (Position < _bufferStart || Position >= _bufferStart + _bufferLength)
            {
                await FillAsync().ConfigureAwait(false);
            }

            var inBuffer = (int)Math.Min(count - copied, _bufferStart + _bufferLength - Position);
            Array.Copy(_buffer, Position - _bufferStart, payload, copied, inBuffer);
            copied += inBuffer;
            Position += inBuffer;
        }

        return payload;
    }

    /// <summary>Moves to <paramref name="offset"/> (checked by the caller to lie within the model) without reading.</summary>
    public void SkipTo(long offset) => Position = offset;

    public async ValueTask SkipFieldAsync(int wire, long end, string location)
    {
        var start = Position;
        long target;
        switch (wire)
        {
            case 0:
                await ReadVarintAsync(end, location).ConfigureAwait(false);
                return;
            case 1:
                target = Position + 8;
                break;
            case 2:
                target = await ReadLengthAsync(end, location).ConfigureAwait(false);
                break;
            case 5:
                target = Position + 4;
                break;
            default:
                throw Fail(location, start, $"expected wire type 0, 1, 2 or 5; found {wire}");
        }

        Position = target <= end ? target : throw Fail(location, start, $"the {(end >= Length ? "file" : "enclosing message")} ended inside a fixed-size field");
    }

    private async ValueTask<byte> ReadByteAsync()
    {
        if (Position < _bufferStart || Position >= _bufferStart + _bufferLength)
        {
            await FillAsync().ConfigureAwait(false);
        }

        return _buffer[Position++ - _bufferStart];
    }

    private async ValueTask FillAsync()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        _stream.Position = _origin + Position;
        var want = (int)Math.Min(BufferBytes, Length - Position);
        var read = 0;
        while (read < want)
        {
            var n = _async
                ? await _stream.ReadAsync(_buffer.AsMemory(read, want - read), _cancellationToken).ConfigureAwait(false)
                : _stream.Read(_buffer, read, want - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (read == 0)
        {
            throw Fail("file", Position, $"the stream ended at byte {Position}, before the {Length} bytes its length declared");
        }

        _bufferStart = Position;
        _bufferLength = read;
    }
}
