using System.Text;

namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// A protobuf message assembled field by field and written once in wire format: varints, 32-bit floats and
/// length-delimited fields (strings, bytes, nested messages, and bulk data of a known length that is generated only
/// when written, so a model's weights never sit in memory twice). Lengths are computed from the fields, so a message
/// can be nested before or after its own fields are complete. Not thread-safe.
/// </summary>
internal sealed class ProtoMessage
{
    private const int VarintWire = 0, LengthDelimitedWire = 2, Fixed32Wire = 5;
    private readonly List<Field> _fields = [];

    /// <summary>Gets the bytes the message's fields occupy (without a tag or length of its own).</summary>
    public long Length
    {
        get
        {
            long length = 0;
            foreach (var entry in _fields)
            {
                length = checked(length + entry.Length);
            }

            return length;
        }
    }

    /// <summary>Appends a varint field; a negative value is written as its ten-byte two's complement, as int64 fields are.</summary>
    public ProtoMessage Int(int field, long value)
    {
        var payload = unchecked((ulong)value);
        _fields.Add(new Field(field, VarintWire, payload, null, null, 0, TagSize(field) + VarintSize(payload)));
        return this;
    }

    /// <summary>Appends a 32-bit float field (wire type 5, little-endian).</summary>
    public ProtoMessage Float(int field, float value)
    {
        _fields.Add(new Field(field, Fixed32Wire, BitConverter.SingleToUInt32Bits(value), null, null, 0, TagSize(field) + 4));
        return this;
    }

    /// <summary>Appends a UTF-8 string field.</summary>
    public ProtoMessage Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Appends a bytes field.</summary>
    public ProtoMessage Bytes(int field, byte[] value) => Data(field, value.Length, stream => stream.Write(value));

    /// <summary>Appends a nested message; its length is read when this message is measured or written.</summary>
    public ProtoMessage Message(int field, ProtoMessage message)
    {
        _fields.Add(new Field(field, LengthDelimitedWire, 0, message, null, 0, -1));
        return this;
    }

    /// <summary>Appends a bytes field of <paramref name="length"/> bytes that <paramref name="write"/> produces when the message is written.</summary>
    public ProtoMessage Data(int field, long length, Action<Stream> write)
    {
        _fields.Add(new Field(field, LengthDelimitedWire, 0, null, write, length, checked(TagSize(field) + VarintSize((ulong)length) + length)));
        return this;
    }

    /// <summary>Writes the message's fields to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        Span<byte> bits = stackalloc byte[4];
        foreach (var field in _fields)
        {
            WriteVarint(stream, ((ulong)field.Number << 3) | (uint)field.Wire);
            switch (field.Wire)
            {
                case VarintWire:
                    WriteVarint(stream, field.Scalar);
                    break;
                case Fixed32Wire:
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bits, (uint)field.Scalar);
                    stream.Write(bits);
                    break;
                case LengthDelimitedWire when field.Message is { } message:
                    WriteVarint(stream, (ulong)message.Length);
                    message.WriteTo(stream);
                    break;
                default:
                    WriteVarint(stream, (ulong)field.DataLength);
                    var start = stream.CanSeek ? stream.Position : -1;
                    field.Writer!(stream);
                    if (start >= 0 && stream.Position - start != field.DataLength)
                    {
                        throw new InvalidOperationException(Guard.Invariant($"Field {field.Number} declared {field.DataLength} bytes but its writer wrote {stream.Position - start}."));
                    }

                    break;
            }
        }
    }

    /// <summary>Returns the message's wire format as an array.</summary>
    public byte[] ToArray()
    {
        var length = Length;
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException(Guard.Invariant($"A message of {length} bytes does not fit in an array."));
        }

        var bytes = new byte[length];
        using var stream = new MemoryStream(bytes, writable: true);
        WriteTo(stream);
        return bytes;
    }

    /// <summary>The bytes of <paramref name="value"/> as a varint: 1 to 10.</summary>
    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int TagSize(int field) => VarintSize((ulong)field << 3);

    private static void WriteVarint(Stream stream, ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        var i = 0;
        while (value >= 0x80)
        {
            buffer[i++] = unchecked((byte)(value | 0x80));
            value >>= 7;
        }

        buffer[i++] = (byte)value;
        stream.Write(buffer[..i]);
    }

    private sealed record Field(int Number, int Wire, ulong Scalar, ProtoMessage? Message, Action<Stream>? Writer, long DataLength, long FixedLength)
    {
        public long Length => Message is { } message
            ? checked(TagSize(Number) + VarintSize((ulong)message.Length) + message.Length)
            : FixedLength;
    }
}
