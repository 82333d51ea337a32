namespace ModelSelection.Estimation;

/// <summary>How a request uses several identical devices (<see cref="InferenceWorkload.Devices"/>).</summary>
public enum DeviceLayout
{
    /// <summary>Tensor parallel: every layer's matrices split across the devices, two all-reduces per layer (Megatron-LM); lowers latency, needs an interconnect.</summary>
    TensorParallel = 0,

    /// <summary>Pipeline parallel: consecutive layers on consecutive devices, activations handed on; fits larger models, does not lower a single request's latency, and idles in the pipeline bubble.</summary>
    PipelineParallel = 1,

    /// <summary>Replicas (data parallel): a whole copy of the model on each device, each serving the workload's batch; multiplies throughput, needs no interconnect.</summary>
    Replicas = 2,
}
