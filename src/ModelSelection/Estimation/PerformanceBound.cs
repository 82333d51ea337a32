namespace ModelSelection.Estimation;

/// <summary>Which roofline bound set a phase's time.</summary>
public enum PerformanceBound
{
    /// <summary>FLOPs ÷ (peak × compute efficiency) was the larger: arithmetic-bound.</summary>
    Compute = 0,

    /// <summary>Bytes ÷ (bandwidth × memory efficiency) was the larger: memory-bound.</summary>
    Memory = 1,

    /// <summary>Phases were bound differently (typically a compute-bound prefill and memory-bound decoding).</summary>
    Mixed = 2,

    /// <summary>The host issued the layers' kernels more slowly than the device ran them (eager frameworks at small batches): launch-bound.</summary>
    Host = 3,
}
