using System.Buffers.Binary;
using System.Collections.Immutable;

namespace ModelSelection.Onnx;

/// <summary>Collects the fields of one <c>TensorProto</c> as they are read, and checks them into an <see cref="OnnxTensorInfo"/>.</summary>
internal sealed class OnnxTensorBuilder
{
    /// <summary>The most dimensions a tensor may declare.</summary>
    public const int MaxRank = 64;

    /// <summary>Data payloads up to this size are kept so integer shape constants can be evaluated; larger ones are only measured.</summary>
    public const int MaxKeptDataBytes = 512;

    private readonly List<long> _dims = [];
    private readonly List<long> _int64Data = [];

    public OnnxTensorBuilder(string location) => Location = location;

    public string Location { get; }

    public string Name { get; set; } = string.Empty;

    public int DataType { get; set; }

    public int DataLocation { get; set; }

    public long? RawDataBytes { get; set; }

    public byte[]? RawData { get; set; }

    public string? ExternalLocation { get; set; }

    /// <summary>Gets or sets the bytes of the data fields (<c>raw_data</c> and the typed lists) held in the model.</summary>
    public long StoredDataBytes { get; set; }

    public long? ExternalOffset { get; set; }

    public long? ExternalLength { get; set; }

    public void AddDimension(long value, ModelImportException tooMany)
    {
        if (_dims.Count >= MaxRank)
        {
            throw tooMany;
        }

        _dims.Add(value);
    }

    public int Rank => _dims.Count;

    public void AddInt64(long value)
    {
        if (_int64Data.Count < MaxKeptDataBytes / 8)
        {
            _int64Data.Add(value);
        }
    }

    /// <summary>Checks the collected fields: the type is known, every dimension is 0 or more, the element count and bytes fit, and raw data, when present, has exactly the bytes the shape needs.</summary>
    public OnnxTensorInfo Build(string sourceName, long offset, string? externalFolderLocation)
    {
        ModelImportException Fail(string where, string problem) => new(sourceName, $"{Location}{where} (byte {offset})", problem);
        if (DataType is < 1 or > 23)
        {
            throw Fail(".data_type", $"expected an element type between 1 and 23; found {DataType}");
        }

        long elements = 1;
        for (var i = 0; i < _dims.Count; i++)
        {
            if (_dims[i] < 0)
            {
                throw Fail($".dims[{i}]", $"expected a dimension of 0 or more; found {_dims[i]}");
            }

            try
            {
                elements = checked(elements * _dims[i]);
            }
            catch (OverflowException)
            {
                throw Fail($".dims[{i}]", $"the dimensions [{string.Join(", ", _dims)}] multiply past {long.MaxValue} elements");
            }
        }

        var bits = Bits((OnnxDataType)DataType);
        long bytes;
        try
        {
            bytes = bits >= 8 ? checked(elements * (bits / 8)) : checked((elements * bits) + 7) / 8;
        }
        catch (OverflowException)
        {
            throw Fail(".dims", $"{elements} elements of {(OnnxDataType)DataType} overflow {long.MaxValue} bytes");
        }

        if (RawDataBytes is { } raw && bits > 0 && raw != bytes)
        {
            throw Fail(".raw_data", $"the dimensions [{string.Join(", ", _dims)}] of {(OnnxDataType)DataType} need {bytes} bytes; raw_data holds {raw}");
        }

        if (DataLocation != 1 && bits > 0 && elements > 0 && elements > 2 * StoredDataBytes)
        {
            throw Fail(".dims", $"the dimensions [{string.Join(", ", _dims)}] declare {elements} elements; the tensor holds only {StoredDataBytes} bytes of data, at most {2 * StoredDataBytes} elements");
        }

        if (DataLocation == 1 && ExternalLocation is null)
        {
            throw Fail(".external_data", "data_location is EXTERNAL but no 'location' entry names the file");
        }

        return new OnnxTensorInfo(Name, (OnnxDataType)DataType, [.. _dims], elements, bytes, DataLocation == 1 ? externalFolderLocation ?? ExternalLocation : null);
    }

    /// <summary>The tensor's values when it is an integer tensor of at most <see cref="MaxKeptDataBytes"/> bytes held in the model; otherwise <see langword="null"/>.</summary>
    public ImmutableArray<long>? IntegerValues(long elements)
    {
        if (elements > MaxKeptDataBytes / 8 || DataLocation == 1)
        {
            return null;
        }

        switch ((OnnxDataType)DataType)
        {
            case OnnxDataType.Int64 when RawData is { } raw && raw.Length == elements * 8:
                var values = new long[elements];
                for (var i = 0; i < elements; i++)
                {
                    values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(i * 8));
                }

                return [.. values];
            case OnnxDataType.Int32 when RawData is { } raw32 && raw32.Length == elements * 4:
                var values32 = new long[elements];
                for (var i = 0; i < elements; i++)
                {
                    values32[i] = BinaryPrimitives.ReadInt32LittleEndian(raw32.AsSpan(i * 4));
                }

                return [.. values32];
            case OnnxDataType.Int64 or OnnxDataType.Int32 when RawData is null && _int64Data.Count == elements:
                return [.. _int64Data];
            default:
                return null;
        }
    }

    /// <summary>The size of one element in bits; 0 for strings.</summary>
    public static int Bits(OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 32,
        OnnxDataType.UInt8 or OnnxDataType.Int8 or OnnxDataType.Bool or OnnxDataType.Float8E4M3FN or OnnxDataType.Float8E4M3FNUZ
            or OnnxDataType.Float8E5M2 or OnnxDataType.Float8E5M2FNUZ => 8,
        OnnxDataType.UInt16 or OnnxDataType.Int16 or OnnxDataType.Float16 or OnnxDataType.BFloat16 => 16,
        OnnxDataType.Int64 or OnnxDataType.Double or OnnxDataType.UInt64 or OnnxDataType.Complex64 => 64,
        OnnxDataType.Complex128 => 128,
        OnnxDataType.UInt4 or OnnxDataType.Int4 or OnnxDataType.Float4E2M1 => 4,
        _ => 0,
    };
}
