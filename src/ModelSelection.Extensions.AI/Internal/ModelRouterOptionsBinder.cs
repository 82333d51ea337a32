using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>
/// Binds <see cref="ModelRouterOptions"/> from configuration by hand: AOT- and trim-safe, and a value that does not
/// parse becomes a validation error naming the key and the value instead of an exception from the options factory.
/// Keys are the property names (case-insensitive); <c>Routes</c> is an array of route sections.
/// </summary>
internal static class ModelRouterOptionsBinder
{
    public static void Bind(IConfiguration configuration, ModelRouterOptions options)
    {
        var errors = options.BindingErrors;
        Set(configuration, nameof(options.Objective), errors, s => Enum.TryParse<SelectionObjective>(s, true, out var v) && Enum.IsDefined(v) && !int.TryParse(s, out _) ? v : (SelectionObjective?)null, v => options.Objective = v, $"one of {string.Join(", ", Enum.GetNames<SelectionObjective>())}");
        Set(configuration, nameof(options.MaxLatency), errors, Duration, v => options.MaxLatency = v, "a duration (00:00:01.5)");
        Set(configuration, nameof(options.MaxTimeToFirstToken), errors, Duration, v => options.MaxTimeToFirstToken = v, "a duration (00:00:01.5)");
        Set(configuration, nameof(options.AttemptTimeout), errors, Duration, v => options.AttemptTimeout = v, "a duration (00:00:01.5)");
        Set(configuration, nameof(options.MaxCostUsd), errors, Decimal, v => options.MaxCostUsd = v, "a number");
        Set(configuration, nameof(options.MinQuality), errors, Double, v => options.MinQuality = v, "a number");
        Set(configuration, nameof(options.DefaultMaxOutputTokens), errors, Int, v => options.DefaultMaxOutputTokens = v, "an integer");
        Text(configuration, nameof(options.QualityBenchmark), v => options.QualityBenchmark = v);
        Text(configuration, nameof(options.Task), v => options.Task = v);
        Text(configuration, nameof(options.SelectorKey), v => options.SelectorKey = v);

        var routes = configuration.GetSection(nameof(options.Routes));
        if (!routes.GetChildren().Any())
        {
            return;
        }

        options.Routes.Clear();
        foreach (var section in routes.GetChildren())
        {
            var route = new ModelRouteOptions();
            var at = $"Routes[{section.Key}]";
            Text(section, nameof(route.Name), v => route.Name = v);
            Text(section, nameof(route.Model), v => route.Model = v);
            Text(section, nameof(route.Device), v => route.Device = v);
            Text(section, nameof(route.Runtime), v => route.Runtime = v);
            Text(section, nameof(route.Precision), v => route.Precision = v);
            Text(section, nameof(route.ServiceKey), v => route.ServiceKey = v);
            Text(section, nameof(route.ModelId), v => route.ModelId = v);
            Text(section, nameof(route.Endpoint), v => route.Endpoint = v);
            Text(section, nameof(route.Provider), v => route.Provider = v);
            Set(section, nameof(route.InputPricePerMillionTokensUsd), errors, Decimal, v => route.InputPricePerMillionTokensUsd = v, "a number", at);
            Set(section, nameof(route.OutputPricePerMillionTokensUsd), errors, Decimal, v => route.OutputPricePerMillionTokensUsd = v, "a number", at);
            Set(section, nameof(route.Timeout), errors, Duration, v => route.Timeout = v, "a duration (00:00:01.5)", at);
            options.Routes.Add(route);
        }
    }

    private static void Text(IConfiguration section, string key, Action<string> assign)
    {
        if (section[key] is { } value)
        {
            assign(value);
        }
    }

    private static void Set<T>(IConfiguration section, string key, List<string> errors, Func<string, T?> parse, Action<T> assign, string expected, string? prefix = null)
        where T : struct
    {
        if (section[key] is not { } text)
        {
            return;
        }

        if (parse(text) is { } value)
        {
            assign(value);
        }
        else
        {
            errors.Add($"{(prefix is null ? key : $"{prefix}.{key}")} must be {expected}; was '{text}'.");
        }
    }

    private static TimeSpan? Duration(string s) => TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static decimal? Decimal(string s) => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? Double(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
