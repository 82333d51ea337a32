using System.Globalization;
using Microsoft.Extensions.Options;

namespace ModelSelection.Selection;

/// <summary>
/// Validates <see cref="ModelSelectionOptions"/> as a whole: models, devices, thresholds, efficiencies and every profile;
/// reports every failure. Named options (a key of <c>AddKeyedModelSelection</c>) prefix each failure with
/// <c>Key 'name': </c>, so a log line says which selector's configuration is wrong.
/// </summary>
internal sealed class ModelSelectionOptionsValidator : IValidateOptions<ModelSelectionOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelSelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var built = OptionsCatalogs.Build(options, errors);
        var benchmarks = built?.Benchmarks ?? OptionsCatalogs.Benchmarks(options, []);
        if (options.DefaultBenchmark is { } defaultBenchmark && !benchmarks.TryGet(defaultBenchmark, out _))
        {
            errors.Add($"DefaultBenchmark: {OptionsCatalogs.Problem(benchmarks, defaultBenchmark)}");
        }

        foreach (var (profileName, profile) in options.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var prefix = $"Profiles.{profileName}";
            if (profile.Devices.Count == 0)
            {
                errors.Add($"{prefix}.Devices must name at least one device.");
            }

            if (built is { } catalogs)
            {
                errors.AddRange(profile.Devices.Where(d => !string.Equals(d, "local", StringComparison.OrdinalIgnoreCase) && !catalogs.Devices.TryGet(d, out _)).Select(d => $"{prefix}.Devices: unknown device '{d}'."));
                errors.AddRange(profile.Candidates.Where(c => !catalogs.Models.TryGet(c, out _)).Select(c => $"{prefix}.Candidates: unknown model '{c}'."));
            }

            errors.AddRange(profile.Precisions.Where(p => !NumericPrecision.TryParse(p, CultureInfo.InvariantCulture, out _)).Select(p => $"{prefix}.Precisions: unknown precision '{p}'."));
            if (profile.Benchmark is { } benchmark && !benchmarks.TryGet(benchmark, out _))
            {
                errors.Add($"{prefix}.Benchmark: {OptionsCatalogs.Problem(benchmarks, benchmark)}");
            }

            if (profile.Task is { } task && !ModelTasks.TryParse(task, out _))
            {
                errors.Add($"{prefix}.Task: unknown task '{task}'; known tasks: {string.Join(", ", ModelTasks.AllNames)}.");
            }

            try
            {
                profile.ToRequest(options);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or UnitsNet.UnitNotFoundException or UnitsNet.AmbiguousUnitParseException)
            {
                if (profile.Precisions.All(p => NumericPrecision.TryParse(p, CultureInfo.InvariantCulture, out _)) && (profile.Task is null || ModelTasks.TryParse(profile.Task, out _)))
                {
                    errors.Add($"{prefix}: {exception.Message.Split(" (Parameter")[0]}");
                }
            }
        }

        var builder = new ValidateOptionsResultBuilder();
        var keyPrefix = string.IsNullOrEmpty(name) ? string.Empty : $"Key '{name}': ";
        foreach (var error in errors)
        {
            builder.AddError(keyPrefix + error);
        }

        return builder.Build();
    }
}
