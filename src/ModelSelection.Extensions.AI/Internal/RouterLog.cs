using Microsoft.Extensions.Logging;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>The router's log events (source-generated).</summary>
internal static partial class RouterLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Routed {Operation} to {Route} ({Model}); {PromptTokens} prompt tokens ({TokenCounting}); skipped: {Skipped}")]
    public static partial void Routed(ILogger logger, string operation, string route, string model, int promptTokens, string tokenCounting, string skipped);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Route {Route} {Outcome} for {Operation}; trying the next ranked route: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string route, string outcome, string operation, string reason, Exception exception);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "No route could serve {Operation}: {Routes}")]
    public static partial void NoRoute(ILogger logger, string operation, string routes);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "ModelSelection router options '{OptionsName}' reload ignored; the previous routes stay in force: {Error}")]
    public static partial void ReloadFailed(ILogger logger, string optionsName, string error, Exception exception);
}
