namespace ModelSelection.Samples.Chat;

/// <summary>How a <see cref="LoopbackModelServer"/> fails on demand.</summary>
public enum LoopbackFailure
{
    /// <summary>It answers.</summary>
    None = 0,

    /// <summary>It answers HTTP 500 with an error body.</summary>
    ServerError = 1,

    /// <summary>It waits <see cref="LoopbackModelServer.Delay"/> before answering (for attempt timeouts).</summary>
    Slow = 2,

    /// <summary>It refuses every prompt as longer than its context, with the API's context-length error body.</summary>
    ContextLengthExceeded = 3,
}
