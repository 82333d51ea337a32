namespace ModelSelection.Internal;

/// <summary>
/// A bounded reader of protobuf wire format over bytes already in memory: varints of at most 10 bytes, length-delimited
/// fields whose length is checked against what remains before they are sliced, unknown fields skipped. Every failure is a
/// <see cref="ModelImportException"/> naming the source, the location and the absolute byte offset.
/// </summary>
internal ref struct ProtoSpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _baseOffset;
    private int _position;

    public ProtoSpanReader(ReadOnlySpan<byte> data, long baseOffset, string sourceName, string location)
    {
        _data = data;
        _baseOffset = baseOffset;
        SourceName = sourceName;
        Location = location;
        _position = 0;
    }

    /// <summary>Wire type 0: a varint.</summary>
    public const int Varint = 0;

    /// <summary>Wire type 1: 8 bytes.</summary>
    public const int Fixed64 = 1;

    /// <summary>Wire type 2: a length, then that many bytes.</summary>
    public const int LengthDelimited = 2;

    /// <summary>Wire type 5: 4 bytes.</summary>
    public const int Fixed32 = 5;

    public string SourceName { get; }

    public string Location { get; }

    /// <summary>Gets the absolute offset of the next byte.</summary>
    public readonly long Offset => _baseOffset + _position;

    public readonly bool AtEnd => _position >= _data.Length;

    /// <summary>Reads a field key; returns false at the end of the message.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        if (AtEnd)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var start = Offset;
        var key = ReadVarint();
        field = (int)Math.Min(key >> 3, int.MaxValue);
        wireType = (int)(key & 7);
        if (field == 0 || key >> 3 > 536_870_911)
        {
            throw Fail(start, $"expected a field number between 1 and 536870911; found {key >> 3}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        var start = Offset;
        ulong value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (_position >= _data.Length)
            {
                throw Fail(start, "the message ended inside a varint");
            }

            var b = _data[_position++];
            if (i == 9 && b > 1)
            {
                throw Fail(start, "malformed varint: more than 64 bits");
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Fail(start, "malformed varint: longer than 10 bytes");
    }

    /// <summary>Reads a varint that must lie in [<paramref name="min"/>, <paramref name="max"/>] as a signed 64-bit value.</summary>
    public long ReadInt64(string what, long min, long max)
    {
        var start = Offset;
        var value = unchecked((long)ReadVarint());
        return value >= min && value <= max
            ? value
            : throw Fail(start, $"expected {what} between {min} and {max}; found {value}");
    }

    /// <summary>Reads a length-delimited payload; the declared length is checked against what remains before slicing.</summary>
    public ReadOnlySpan<byte> ReadBytes(out long payloadOffset)
    {
        var start = Offset;
        var length = ReadVarint();
        var remaining = _data.Length - _position;
        if (length > (ulong)remaining)
        {
            throw Fail(start, $"a length-delimited field declares {length} bytes; only {remaining} remain in the enclosing message");
        }

        payloadOffset = Offset;
        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public string ReadString()
    {
        var bytes = ReadBytes(out var offset);
        return System.Text.Unicode.Utf8.IsValid(bytes)
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : throw Fail(offset, "expected a UTF-8 string; found bytes that are not UTF-8");
    }

    /// <summary>Skips one field of the given wire type (groups, types 3 and 4, are refused: ONNX does not use them).</summary>
    public void Skip(int wireType)
    {
        var start = Offset;
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8, start);
                break;
            case LengthDelimited:
                ReadBytes(out _);
                break;
            case Fixed32:
                Advance(4, start);
                break;
            default:
                throw Fail(start, $"expected wire type 0, 1, 2 or 5; found {wireType}");
        }
    }

    public readonly ModelImportException Fail(long offset, string problem) =>
        new(SourceName, $"{Location} (byte {offset})", problem);

    public readonly ModelImportException Fail(string location, long offset, string problem) =>
        new(SourceName, $"{location} (byte {offset})", problem);

    private void Advance(int count, long start)
    {
        if (_data.Length - _position < count)
        {
            throw Fail(start, $"the message ended inside a {count}-byte fixed field");
        }

        _position += count;
    }
}
