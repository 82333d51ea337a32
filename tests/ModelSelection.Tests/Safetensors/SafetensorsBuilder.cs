using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ModelSelection.Tests.Safetensors;

/// <summary>Writes small, valid safetensors files for tests: tensors laid out contiguously, data bytes zero.</summary>
public static class SafetensorsBuilder
{
    private static readonly Dictionary<string, int> Sizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    public static IReadOnlyCollection<string> Dtypes => Sizes.Keys;

    public static long ElementsOf(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The header JSON and the data length for the tensors, in order.</summary>
    public static (string Header, long DataBytes) Header((string Name, string Dtype, long[] Shape)[] tensors, string? metadata = null)
    {
        var parts = new List<string>();
        if (metadata is not null)
        {
            parts.Add($"\"__metadata__\":{metadata}");
        }

        long offset = 0;
        foreach (var (name, dtype, shape) in tensors)
        {
            var bytes = ElementsOf(shape) * Sizes[dtype];
            parts.Add($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)))}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }

        return ("{" + string.Join(",", parts) + "}", offset);
    }

    /// <summary>The whole file: length prefix, header (padded with spaces to 8 bytes as the reference writer does), zero data.</summary>
    public static byte[] File((string Name, string Dtype, long[] Shape)[] tensors, string? metadata = null)
    {
        var (header, dataBytes) = Header(tensors, metadata);
        return Raw(header, dataBytes);
    }

    /// <summary>A file with any header text and a data region of the given length.</summary>
    public static byte[] Raw(string header, long dataBytes, ulong? declaredLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var padded = json.Length % 8 == 0 ? json.Length : json.Length + (8 - (json.Length % 8));
        var file = new byte[8 + padded + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        return file;
    }
}
