namespace ModelSelection.Safetensors;

/// <summary>The element types a safetensors header may declare (the names are the header's <c>dtype</c> strings).</summary>
public enum SafetensorsDtype
{
    /// <summary>64-bit float (<c>F64</c>), 8 bytes.</summary>
    F64 = 0,

    /// <summary>32-bit float (<c>F32</c>), 4 bytes.</summary>
    F32 = 1,

    /// <summary>16-bit IEEE float (<c>F16</c>), 2 bytes.</summary>
    F16 = 2,

    /// <summary>bfloat16 (<c>BF16</c>), 2 bytes.</summary>
    BF16 = 3,

    /// <summary>8-bit float E4M3 (<c>F8_E4M3</c>), 1 byte.</summary>
    F8E4M3 = 4,

    /// <summary>8-bit float E5M2 (<c>F8_E5M2</c>), 1 byte.</summary>
    F8E5M2 = 5,

    /// <summary>64-bit integer (<c>I64</c>), 8 bytes.</summary>
    I64 = 6,

    /// <summary>32-bit integer (<c>I32</c>), 4 bytes; GPTQ packs eight 4-bit weights in one.</summary>
    I32 = 7,

    /// <summary>16-bit integer (<c>I16</c>), 2 bytes.</summary>
    I16 = 8,

    /// <summary>8-bit integer (<c>I8</c>), 1 byte.</summary>
    I8 = 9,

    /// <summary>8-bit unsigned integer (<c>U8</c>), 1 byte; bitsandbytes packs two 4-bit weights in one.</summary>
    U8 = 10,

    /// <summary>Boolean (<c>BOOL</c>), 1 byte.</summary>
    Bool = 11,
}
