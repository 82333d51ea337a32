namespace ModelSelection.Calibration;

/// <summary>What a calibration point measured, in the units sources report it.</summary>
public enum CalibrationMetric
{
    /// <summary>The whole request (one batch), milliseconds: <c>latency-ms</c>.</summary>
    LatencyMilliseconds = 0,

    /// <summary>Time to the first token, milliseconds: <c>ttft-ms</c>.</summary>
    TimeToFirstTokenMilliseconds = 1,

    /// <summary>Time per output token, milliseconds: <c>tpot-ms</c>.</summary>
    TimePerOutputTokenMilliseconds = 2,

    /// <summary>Prompt tokens processed per second (llama-bench <c>pp512</c>): <c>prefill-tokens-per-second</c>.</summary>
    PrefillTokensPerSecond = 3,

    /// <summary>Tokens generated per second by one sequence (llama-bench <c>tg128</c>, gpt-fast): <c>decode-tokens-per-second</c>.</summary>
    DecodeTokensPerSecond = 4,

    /// <summary>Output tokens per second over all sequences of the batch, prefill included: <c>output-tokens-per-second</c>.</summary>
    OutputTokensPerSecond = 5,

    /// <summary>Sequences per second (encoders): <c>sequences-per-second</c>.</summary>
    SequencesPerSecond = 6,

    /// <summary>Training sequences per second over all devices: <c>training-sequences-per-second</c>.</summary>
    TrainingSequencesPerSecond = 7,

    /// <summary>Training tokens per second per device: <c>training-tokens-per-second-per-device</c>.</summary>
    TrainingTokensPerSecondPerDevice = 8,
}
