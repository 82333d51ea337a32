using ModelSelection.Internal;

namespace ModelSelection.Estimation;

/// <summary>
/// A training or fine-tuning step: micro-batch and sequence length per device, optimizer policy, LoRA / QLoRA,
/// activation recomputation, data and tensor parallelism with ZeRO.
/// </summary>
/// <remarks>Every property validates itself when set. Immutable and thread-safe.</remarks>
public sealed record TrainingWorkload
{
    private readonly int _batch = 1;
    private readonly int _sequence = 512;
    private readonly int? _loraRank;
    private readonly int _dataParallel = 1;
    private readonly int _tensorParallel = 1;
    private readonly int _zeroStage;

    /// <summary>Gets the sequences per device per step (micro-batch), 1 to 1,000,000.</summary>
    public int Batch { get => _batch; init => _batch = (int)Guard.InRange(value, 1, InferenceWorkload.MaxBatch, "Batch"); }

    /// <summary>Gets the tokens per sequence, 1 to 10,000,000.</summary>
    public int SequenceLength { get => _sequence; init => _sequence = (int)Guard.InRange(value, 1, InferenceWorkload.MaxTokens, "Sequence length"); }

    /// <summary>Gets the optimizer policy (full fine-tuning), or the one applied to the adapters (LoRA).</summary>
    public OptimizerPolicy Optimizer { get; init; } = OptimizerPolicy.MixedPrecisionAdamW;

    /// <summary>Gets the activation recomputation.</summary>
    public ActivationRecomputation Recomputation { get; init; } = ActivationRecomputation.None;

    /// <summary>Gets the LoRA rank, 1 to 4096, or <see langword="null"/> for full fine-tuning.</summary>
    public int? LoraRank { get => _loraRank; init => _loraRank = value is { } r ? (int)Guard.InRange(r, 1, 4096, "LoRA rank") : null; }

    /// <summary>Gets whether the frozen base weights are 4-bit NF4 with double quantisation (QLoRA); needs <see cref="LoraRank"/>.</summary>
    public bool QLora { get; init; }

    /// <summary>Gets whether LoRA adapts every linear layer of the blocks, instead of the query and value projections only (the LoRA paper's default).</summary>
    public bool LoraAllLinearLayers { get; init; }

    /// <summary>Gets the data-parallel replicas, 1 to 100,000.</summary>
    public int DataParallel { get => _dataParallel; init => _dataParallel = (int)Guard.InRange(value, 1, 100_000, "Data-parallel degree"); }

    /// <summary>Gets the tensor-parallel degree, 1 to 1024.</summary>
    public int TensorParallel { get => _tensorParallel; init => _tensorParallel = (int)Guard.InRange(value, 1, 1024, "Tensor-parallel degree"); }

    /// <summary>Gets the ZeRO stage, 0 to 3: 1 partitions optimizer states, 2 also gradients, 3 also weights across data-parallel replicas.</summary>
    public int ZeroStage { get => _zeroStage; init => _zeroStage = (int)Guard.InRange(value, 0, 3, "ZeRO stage"); }
}
