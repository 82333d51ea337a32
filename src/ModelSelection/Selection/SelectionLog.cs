using Microsoft.Extensions.Logging;

namespace ModelSelection.Selection;

/// <summary>Source-generated log messages of the selector: the decision at Information (with the choice's fields structured), each candidate at Debug.</summary>
internal static partial class SelectionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Model selection: {Outcome}: {Model} @ {Precision} on {Device} via {Runtime}, bound by {BindingConstraint}; {Explanation}")]
    public static partial void Decision(ILogger logger, string outcome, string? model, string? precision, string? device, string? runtime, string? bindingConstraint, string explanation);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Candidate {Candidate}: {Verdict}")]
    public static partial void Candidate(ILogger logger, string candidate, string verdict);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "ModelSelection options reload ignored; the previous catalogs stay in force: {Errors}")]
    public static partial void ReloadRejected(ILogger logger, string errors);
}
