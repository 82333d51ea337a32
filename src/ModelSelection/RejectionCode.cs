namespace ModelSelection;

/// <summary>Machine-readable reasons a candidate was rejected (stable names: they appear in JSON and logs).</summary>
public enum RejectionCode
{
    /// <summary>The estimate needs more memory than the device allows (usable memory less headroom, or the request's cap).</summary>
    ExceedsMemory = 0,

    /// <summary>End-to-end latency above the limit.</summary>
    ExceedsLatency = 1,

    /// <summary>Time to first token above the limit.</summary>
    ExceedsTimeToFirstToken = 2,

    /// <summary>Time per output token above the limit.</summary>
    ExceedsTimePerOutputToken = 3,

    /// <summary>Throughput below the floor.</summary>
    BelowThroughput = 4,

    /// <summary>Quality on the named benchmark below the floor.</summary>
    BelowQualityFloor = 5,

    /// <summary>The model has no published score on the named benchmark.</summary>
    MissingQualityScore = 6,

    /// <summary>The device cannot compute the weight format, even after fallback.</summary>
    UnsupportedPrecision = 7,

    /// <summary>Cost per request above the limit.</summary>
    ExceedsCost = 8,

    /// <summary>Energy per request above the limit.</summary>
    ExceedsEnergy = 9,

    /// <summary>A cost limit was set but the device has no price.</summary>
    UnknownCost = 10,

    /// <summary>An energy limit was set but the device's power is unknown.</summary>
    UnknownEnergy = 11,

    /// <summary>The total time (training, fine-tuning) exceeds the limit.</summary>
    ExceedsTime = 12,

    /// <summary>The model cannot serve the request's task (an encoder asked to generate, a decoder asked to classify); checked before every constraint.</summary>
    UnsupportedTask = 13,

    /// <summary>Prompt plus generated tokens exceed the model's context; checked before every constraint.</summary>
    ExceedsContext = 14,

    /// <summary>The runtime does not run this weight format (GGUF formats only on llama.cpp; AWQ and GPTQ on vLLM, TensorRT-LLM and PyTorch).</summary>
    UnsupportedFormat = 15,

    /// <summary>The runtime does not run on the device (its class or vendor), does not serve the model's kind, or does not offer the multi-device layout.</summary>
    UnsupportedRuntime = 16,
}
