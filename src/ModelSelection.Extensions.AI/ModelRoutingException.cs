namespace ModelSelection.Extensions.AI;

/// <summary>
/// Thrown when no route could serve a request: the selector found none feasible, every feasible one was over the
/// cost limit, or every one tried failed. <see cref="Report"/> says what happened to each route.
/// </summary>
public sealed class ModelRoutingException : Exception
{
    /// <summary>Initializes a new instance with a message and no report.</summary>
    public ModelRoutingException()
        : this("No route could serve the request.")
    {
    }

    /// <summary>Initializes a new instance with a message and no report.</summary>
    /// <param name="message">The message.</param>
    public ModelRoutingException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message, the last failure and no report.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The last route's failure.</param>
    public ModelRoutingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with the routing report, whose routes make the message.</summary>
    /// <param name="report">What happened to each route.</param>
    /// <param name="innerException">The last route's failure, if a route was tried.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public ModelRoutingException(ModelRoutingReport report, Exception? innerException)
        : base(Describe(report), innerException) => Report = report;

    /// <summary>Gets what happened to each route, or <see langword="null"/> when the exception was made without one.</summary>
    public ModelRoutingReport? Report { get; }

    private static string Describe(ModelRoutingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Routes.Count == 0
            ? "No route could serve the request: the router has no routes."
            : "No route could serve the request: " + string.Join("; ", report.Routes.Select(r => $"{r.Route}: {r.Outcome} — {r.Reason}")) + ".";
    }
}
