namespace ModelSelection.Calibration;

/// <summary>One measured shape with the estimator's predictions before and after a local calibration.</summary>
/// <param name="Model">The model's id.</param>
/// <param name="Batch">The batch it ran at.</param>
/// <param name="SequenceLength">The tokens per sequence.</param>
/// <param name="MeasuredSeconds">The measured median latency, in seconds.</param>
/// <param name="PredictedSecondsBefore">The latency predicted with the runtime's efficiency before the calibration, in seconds.</param>
/// <param name="PredictedSecondsAfter">The latency predicted with the calibrated efficiency, in seconds.</param>
/// <param name="MeasuredMemoryBytes">The measured resident-set growth, in bytes; <see langword="null"/> when not measured.</param>
/// <param name="PredictedMemoryBytesBefore">The memory predicted before the calibration (the estimate's total), in bytes.</param>
/// <param name="PredictedMemoryBytesAfter">The memory predicted with the calibrated memory model, in bytes.</param>
public sealed record LocalCalibrationPoint(
    string Model,
    int Batch,
    int SequenceLength,
    double MeasuredSeconds,
    double PredictedSecondsBefore,
    double PredictedSecondsAfter,
    long? MeasuredMemoryBytes,
    long PredictedMemoryBytesBefore,
    long PredictedMemoryBytesAfter)
{
    /// <summary>Gets the relative latency error before the calibration: predicted ÷ measured − 1.</summary>
    public double LatencyErrorBefore => (PredictedSecondsBefore / MeasuredSeconds) - 1;

    /// <summary>Gets the relative latency error after the calibration: predicted ÷ measured − 1.</summary>
    public double LatencyErrorAfter => (PredictedSecondsAfter / MeasuredSeconds) - 1;

    /// <summary>Gets the relative memory error before the calibration; <see langword="null"/> when memory was not measured.</summary>
    public double? MemoryErrorBefore => MeasuredMemoryBytes is long measured and > 0 ? ((double)PredictedMemoryBytesBefore / measured) - 1 : null;

    /// <summary>Gets the relative memory error after the calibration; <see langword="null"/> when memory was not measured.</summary>
    public double? MemoryErrorAfter => MeasuredMemoryBytes is long measured and > 0 ? ((double)PredictedMemoryBytesAfter / measured) - 1 : null;
}
