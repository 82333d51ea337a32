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

    /// <summary>Gets the precision the matrix multiplications run in: bf16 unless set (fp32 with <see cref="OptimizerPolicy.Fp32AdamW"/>); tf32 for PyTorch's TF32 mode on Ampere and later.</summary>
    public NumericPrecision? ComputePrecision { get; init; }

    /// <summary>Gets the devices per node (8 in DGX and HGX servers): data-parallel groups within a node all-reduce over the device interconnect, larger ones over the node fabric.</summary>
    public int DevicesPerNode { get; init => field = (int)Guard.InRange(value, 1, 1024, "Devices per node"); } = 8;

    /// <summary>
    /// Gets the fabric bandwidth between nodes per device in bytes per second, one direction: 25 GB/s, one 200 Gb/s
    /// HDR InfiniBand adapter per GPU as in the DGX A100 (NVIDIA DGX A100 user guide); 50 GB/s for DGX H100's 400 Gb/s NDR.
    /// </summary>
    public double NodeBandwidthBytesPerSecond { get; init => field = Guard.FinitePositive(value, "Node bandwidth"); } = 25e9;

    /// <summary>Gets the precision the matrix multiplications run in, resolved: <see cref="ComputePrecision"/>, or fp32 for <see cref="OptimizerPolicy.Fp32AdamW"/>, else bf16.</summary>
    public NumericPrecision EffectiveComputePrecision => ComputePrecision ?? (Optimizer == OptimizerPolicy.Fp32AdamW ? NumericPrecision.Fp32 : NumericPrecision.Bf16);
}
