using ModelSelection.Internal;

namespace ModelSelection.Estimation;

/// <summary>
/// What an inference request asks of a model: batch, prompt (input) tokens, generated tokens, precisions, attention
/// implementation and tensor-parallel device count.
/// </summary>
/// <remarks>
/// Every property validates itself when set (the message names the field, the rule and the value). Defaults: batch 1,
/// 128 input tokens, nothing generated, fp16 weights, activations in the weights' compute precision (fp16 for
/// quantised weights), KV cache in the activation precision, fused (flash) attention, one device, embeddings and the
/// LM head kept at 16 bits when the weights are quantised. Immutable and thread-safe.
/// </remarks>
public sealed record InferenceWorkload
{
    /// <summary>The largest batch accepted.</summary>
    public const int MaxBatch = 1_000_000;

    /// <summary>The longest sequence (input plus generated tokens) accepted.</summary>
    public const int MaxTokens = 10_000_000;

    private readonly int _batch = 1;
    private readonly int _inputTokens = 128;
    private readonly int _generatedTokens;
    private readonly int _devices = 1;

    /// <summary>Gets the sequences processed together, 1 to <see cref="MaxBatch"/>.</summary>
    public int Batch { get => _batch; init => _batch = (int)Guard.InRange(value, 1, MaxBatch, "Batch"); }

    /// <summary>Gets the tokens of each input (the prompt of a decoder, the sequence of an encoder), 1 to <see cref="MaxTokens"/>.</summary>
    public int InputTokens { get => _inputTokens; init => _inputTokens = (int)Guard.InRange(value, 1, MaxTokens, "Input tokens"); }

    /// <summary>Gets the tokens generated after the prompt (decoders and encoder-decoders), 0 to <see cref="MaxTokens"/>.</summary>
    public int GeneratedTokens { get => _generatedTokens; init => _generatedTokens = (int)Guard.InRange(value, 0, MaxTokens, "Generated tokens"); }

    /// <summary>Gets the precision (or quantisation format) of the weights.</summary>
    public NumericPrecision WeightPrecision { get; init; } = NumericPrecision.Fp16;

    /// <summary>Gets the precision of activations; <see langword="null"/> for the weights' compute precision widened to 16 bits.</summary>
    public NumericPrecision? ActivationPrecision { get; init; }

    /// <summary>Gets the precision of the KV cache (fp8 and int8 KV quantisation included); <see langword="null"/> for the activation precision.</summary>
    public NumericPrecision? KvCachePrecision { get; init; }

    /// <summary>Gets how attention is computed.</summary>
    public AttentionImplementation Attention { get; init; } = AttentionImplementation.Flash;

    /// <summary>Gets the devices the model is split across with tensor parallelism, 1 to 1024.</summary>
    public int Devices { get => _devices; init => _devices = (int)Guard.InRange(value, 1, 1024, "Devices"); }

    /// <summary>Gets how the <see cref="Devices"/> split the work: tensor parallel (the default, as before layouts existed), pipeline parallel, or replicas.</summary>
    public DeviceLayout Layout
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Layout), value, $"Layout must be one of {string.Join(", ", DeviceLayouts.AllNames)}; was {(int)value}.");
    }

    /// <summary>
    /// Gets how many of the model's blocks a runtime that offloads by layer keeps on the device (llama.cpp's
    /// <c>--gpu-layers</c>, <c>-ngl</c>): the last ones, with the output layer when all of them are; the rest, and the
    /// token embedding, stay in the device's host pool and are computed there. <see langword="null"/> (the default)
    /// keeps the whole model on the device; 0 or more otherwise, at most the model's blocks.
    /// </summary>
    public int? GpuLayers { get; init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(GpuLayers), value, $"GPU layers must be 0 or more (llama.cpp's -ngl); was {value}."); }

    /// <summary>Gets whether embeddings and the LM head stay at 16 bits when the weights are quantised (what GPTQ, AWQ, bitsandbytes and most GGUF files do).</summary>
    public bool KeepEmbeddingsAt16Bit { get; init; } = true;

    /// <summary>Gets the activation precision in force.</summary>
    public NumericPrecision EffectiveActivationPrecision =>
        ActivationPrecision ?? (WeightPrecision.ComputePrecision.BitsPerWeight >= 16 ? WeightPrecision.ComputePrecision : NumericPrecision.Fp16);

    /// <summary>Gets the KV-cache precision in force.</summary>
    public NumericPrecision EffectiveKvCachePrecision => KvCachePrecision ?? EffectiveActivationPrecision;

    /// <summary>Gets input plus generated tokens per sequence.</summary>
    public long TotalTokens => (long)_inputTokens + _generatedTokens;
}
