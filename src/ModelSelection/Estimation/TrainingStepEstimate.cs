namespace ModelSelection.Estimation;

/// <summary>The time of one training step on its devices, and what it is made of.</summary>
/// <param name="StepSeconds">The step: compute plus the communication it cannot hide.</param>
/// <param name="ComputeSeconds">The forward and backward passes on one device at the runtime's training efficiency.</param>
/// <param name="TensorParallelSeconds">The tensor-parallel all-reduces (four per layer: two forward, two backward), which nothing hides.</param>
/// <param name="GradientAllReduceSeconds">The data-parallel gradient all-reduce (ring), before overlap.</param>
/// <param name="ExposedCommunicationSeconds">The part of the gradient all-reduce the backward pass cannot hide, plus the tensor-parallel all-reduces.</param>
/// <param name="TokensPerSecondPerDevice">Training tokens per second per device.</param>
/// <param name="ModelFlopsUtilization">The model FLOPs (forward and backward, no recomputation) per second per device over the device's peak.</param>
/// <param name="ComputePrecision">The precision whose peak the step runs at.</param>
public readonly record struct TrainingStepEstimate(
    double StepSeconds,
    double ComputeSeconds,
    double TensorParallelSeconds,
    double GradientAllReduceSeconds,
    double ExposedCommunicationSeconds,
    double TokensPerSecondPerDevice,
    double ModelFlopsUtilization,
    NumericPrecision ComputePrecision);
