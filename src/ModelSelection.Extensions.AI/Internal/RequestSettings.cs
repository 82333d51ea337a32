using System.Globalization;
using Microsoft.Extensions.AI;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>The constraints of one request: the router's options, overridden by the request's additional properties.</summary>
internal sealed record RequestSettings(
    SelectionObjective Objective,
    TimeSpan? MaxLatency,
    TimeSpan? MaxTimeToFirstToken,
    decimal? MaxCostUsd,
    double? MinQuality,
    string? QualityBenchmark,
    ModelTask? Task)
{
    /// <summary>The request's additional properties without the router's own keys (<c>modelselection.*</c>), which are not the route's business.</summary>
    /// <param name="properties">The request's properties.</param>
    /// <returns>What is forwarded; <see langword="null"/> when nothing is left.</returns>
    public static AdditionalPropertiesDictionary? WithoutOverrides(AdditionalPropertiesDictionary? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return properties;
        }

        var kept = new AdditionalPropertiesDictionary();
        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith("modelselection.", StringComparison.Ordinal))
            {
                kept[key] = value;
            }
        }

        return kept.Count == 0 ? null : kept;
    }

    /// <summary>Reads the overrides.</summary>
    /// <exception cref="ArgumentException">A value has the wrong type or is out of range; the message names the key and the value.</exception>
    public static RequestSettings From<TClient>(RouteTable<TClient> table, AdditionalPropertiesDictionary? properties)
        where TClient : class
    {
        var settings = new RequestSettings(table.Objective, table.MaxLatency, table.MaxTimeToFirstToken, table.MaxCostUsd, table.MinQuality, table.QualityBenchmark, table.Task);
        if (properties is null || properties.Count == 0)
        {
            return settings;
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.MaxLatency, out var latency))
        {
            settings = settings with { MaxLatency = Duration(ModelRouterPropertyNames.MaxLatency, latency) };
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.MaxTimeToFirstToken, out var ttft))
        {
            settings = settings with { MaxTimeToFirstToken = Duration(ModelRouterPropertyNames.MaxTimeToFirstToken, ttft) };
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.MaxCostUsd, out var cost))
        {
            var value = Number(ModelRouterPropertyNames.MaxCostUsd, cost);
            settings = settings with { MaxCostUsd = value is null ? null : value >= 0 && double.IsFinite(value.Value) ? (decimal)value.Value : throw Bad(ModelRouterPropertyNames.MaxCostUsd, cost, "must be a number of US dollars, 0 or more") };
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.MinQuality, out var quality))
        {
            settings = settings with { MinQuality = Number(ModelRouterPropertyNames.MinQuality, quality) };
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.QualityBenchmark, out var benchmark))
        {
            settings = settings with { QualityBenchmark = benchmark as string ?? (benchmark is null ? null : throw Bad(ModelRouterPropertyNames.QualityBenchmark, benchmark, "must be a benchmark id (a string)")) };
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.Task, out var task))
        {
            settings = settings with
            {
                Task = task switch
                {
                    null => null,
                    ModelTask t => t,
                    string s when ModelTasks.TryParse(s, out var parsed) => parsed,
                    _ => throw Bad(ModelRouterPropertyNames.Task, task, $"must be one of {string.Join(", ", ModelTasks.AllNames)}"),
                },
            };
        }

        if (properties.TryGetValue(ModelRouterPropertyNames.Objective, out var objective))
        {
            settings = settings with
            {
                Objective = objective switch
                {
                    SelectionObjective o when Enum.IsDefined(o) => o,
                    string s when Enum.TryParse<SelectionObjective>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(s, out _) => parsed,
                    _ => throw Bad(ModelRouterPropertyNames.Objective, objective, $"must be one of {string.Join(", ", Enum.GetNames<SelectionObjective>())}"),
                },
            };
        }

        return settings;
    }

    private static TimeSpan? Duration(string key, object? value)
    {
        TimeSpan? span = value switch
        {
            null => null,
            TimeSpan t => t,
            string s when TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out var parsed) => parsed,
            string => throw Bad(key, value, "must be a duration in the invariant 'c' format (00:00:01.5), a TimeSpan or a number of seconds"),
            _ => Number(key, value) is { } seconds && double.IsFinite(seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw Bad(key, value, "must be a positive number of seconds"),
        };
        return span is { } v && v <= TimeSpan.Zero ? throw Bad(key, value, "must be a positive duration") : span;
    }

    private static double? Number(string key, object? value) => value switch
    {
        null => null,
        double d => d,
        float f => f,
        decimal m => (double)m,
        int i => i,
        long l => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        IConvertible c when value is not string and not bool and not char => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw Bad(key, value, "must be a number"),
    };

    private static ArgumentException Bad(string key, object? value, string rule) =>
        new($"Request property '{key}' {rule}; was {(value is string ? $"'{value}'" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null")} ({value?.GetType().Name ?? "null"}).");
}
