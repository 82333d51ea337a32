namespace ModelSelection.Onnx;

/// <summary>The element type of an ONNX tensor: the values of <c>TensorProto.DataType</c> in <c>onnx.proto</c>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are ONNX's own.")]
public enum OnnxDataType
{
    /// <summary>Not set (<c>UNDEFINED</c>, 0).</summary>
    Undefined = 0,

    /// <summary>32-bit float (<c>FLOAT</c>).</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer (<c>UINT8</c>).</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer (<c>INT8</c>).</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer (<c>UINT16</c>).</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer (<c>INT16</c>).</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer (<c>INT32</c>).</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (<c>INT64</c>).</summary>
    Int64 = 7,

    /// <summary>String (<c>STRING</c>); its size is not fixed.</summary>
    String = 8,

    /// <summary>Boolean, one byte (<c>BOOL</c>).</summary>
    Bool = 9,

    /// <summary>IEEE 16-bit float (<c>FLOAT16</c>).</summary>
    Float16 = 10,

    /// <summary>64-bit float (<c>DOUBLE</c>).</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer (<c>UINT32</c>).</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer (<c>UINT64</c>).</summary>
    UInt64 = 13,

    /// <summary>Complex of two 32-bit floats (<c>COMPLEX64</c>).</summary>
    Complex64 = 14,

    /// <summary>Complex of two 64-bit floats (<c>COMPLEX128</c>).</summary>
    Complex128 = 15,

    /// <summary>Brain float 16 (<c>BFLOAT16</c>).</summary>
    BFloat16 = 16,

    /// <summary>8-bit float E4M3 (<c>FLOAT8E4M3FN</c>).</summary>
    Float8E4M3FN = 17,

    /// <summary>8-bit float E4M3, no negative zero (<c>FLOAT8E4M3FNUZ</c>).</summary>
    Float8E4M3FNUZ = 18,

    /// <summary>8-bit float E5M2 (<c>FLOAT8E5M2</c>).</summary>
    Float8E5M2 = 19,

    /// <summary>8-bit float E5M2, no negative zero (<c>FLOAT8E5M2FNUZ</c>).</summary>
    Float8E5M2FNUZ = 20,

    /// <summary>Unsigned 4-bit integer, two per byte (<c>UINT4</c>).</summary>
    UInt4 = 21,

    /// <summary>Signed 4-bit integer, two per byte (<c>INT4</c>).</summary>
    Int4 = 22,

    /// <summary>4-bit float E2M1, two per byte (<c>FLOAT4E2M1</c>).</summary>
    Float4E2M1 = 23,
}
