using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>
/// Validates <see cref="ModelRouterOptions"/> as a whole and reports every failure, each naming the field
/// (<c>Routes[1].Device</c>) and the value. With catalogs it also checks that every model, device, runtime and
/// benchmark id is known. Named options prefix each failure with <c>Router 'name': </c>.
/// </summary>
internal sealed class ModelRouterOptionsValidator : IValidateOptions<ModelRouterOptions>
{
    private readonly Func<string?, IModelSelectionCatalogs?> _catalogs;

    public ModelRouterOptionsValidator(IModelSelectionCatalogs? catalogs) => _catalogs = _ => catalogs;

    public ModelRouterOptionsValidator(IServiceProvider services) =>
        _catalogs = key => key is null ? services.GetService<IModelSelectionCatalogs>() : services.GetKeyedService<IModelSelectionCatalogs>(key);

    public ValidateOptionsResult Validate(string? name, ModelRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.BindingErrors);
        var catalogs = _catalogs(options.SelectorKey);
        if (options.Routes.Count == 0)
        {
            errors.Add("Routes must name at least one route; was empty.");
        }

        if (!Enum.IsDefined(options.Objective))
        {
            errors.Add($"Objective must be one of {string.Join(", ", Enum.GetNames<SelectionObjective>())}; was {(int)options.Objective}.");
        }

        Positive(errors, nameof(options.MaxLatency), options.MaxLatency);
        Positive(errors, nameof(options.MaxTimeToFirstToken), options.MaxTimeToFirstToken);
        Positive(errors, nameof(options.AttemptTimeout), options.AttemptTimeout);
        if (options.MaxCostUsd is < 0)
        {
            errors.Add(Invariant($"MaxCostUsd must be 0 or more; was {options.MaxCostUsd}."));
        }

        if (options.MinQuality is { } quality && !double.IsFinite(quality))
        {
            errors.Add(Invariant($"MinQuality must be a finite number; was {quality}."));
        }

        if (options.DefaultMaxOutputTokens is < 1 or > Estimation.InferenceWorkload.MaxTokens)
        {
            errors.Add(Invariant($"DefaultMaxOutputTokens must be between 1 and {Estimation.InferenceWorkload.MaxTokens}; was {options.DefaultMaxOutputTokens}."));
        }

        if (options.Task is { } task && !ModelTasks.TryParse(task, out _))
        {
            errors.Add($"Task must be one of {string.Join(", ", ModelTasks.AllNames)}; was '{task}'.");
        }

        if (options.QualityBenchmark is { } benchmark && catalogs is not null && !catalogs.Benchmarks.TryGet(benchmark, out _))
        {
            errors.Add($"QualityBenchmark: unknown benchmark '{benchmark}'.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var withRuntime = 0;
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var at = $"Routes[{i}]";
            if (route is null)
            {
                errors.Add($"{at} must not be null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(route.Name))
            {
                errors.Add($"{at}.Name must not be empty; was '{route.Name}'.");
            }
            else if (!names.Add(route.Name))
            {
                errors.Add($"{at}.Name must be unique among the routes (case-insensitive); '{route.Name}' is used twice.");
            }

            if (route.ModelSpec is null)
            {
                if (string.IsNullOrWhiteSpace(route.Model))
                {
                    errors.Add($"{at}.Model must name a catalog model (or ModelSpec be set); was '{route.Model}'.");
                }
                else if (catalogs is not null && !catalogs.Models.TryGet(route.Model, out _))
                {
                    errors.Add($"{at}.Model: unknown model '{route.Model}'; add it to ModelSelectionOptions.Models or set ModelSpec.");
                }
            }

            if (string.IsNullOrWhiteSpace(route.Device))
            {
                errors.Add($"{at}.Device must name a catalog device or 'local'; was '{route.Device}'.");
            }
            else if (catalogs is not null && !string.Equals(route.Device, "local", StringComparison.OrdinalIgnoreCase) && !catalogs.Devices.TryGet(route.Device, out _))
            {
                errors.Add($"{at}.Device: unknown device '{route.Device}'.");
            }

            if (route.Runtime is { } runtime)
            {
                withRuntime++;
                if (catalogs is not null && !catalogs.Runtimes.TryGet(runtime, out _))
                {
                    errors.Add($"{at}.Runtime: unknown runtime '{runtime}'.");
                }
            }

            if (route.Precision is { } precision && !NumericPrecision.TryParse(precision, CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"{at}.Precision: unknown precision '{precision}'.");
            }

            if (route.Endpoint is { } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            {
                errors.Add($"{at}.Endpoint must be an absolute URI; was '{endpoint}'.");
            }

            if (route.InputPricePerMillionTokensUsd is < 0)
            {
                errors.Add(Invariant($"{at}.InputPricePerMillionTokensUsd must be 0 or more; was {route.InputPricePerMillionTokensUsd}."));
            }

            if (route.OutputPricePerMillionTokensUsd is < 0)
            {
                errors.Add(Invariant($"{at}.OutputPricePerMillionTokensUsd must be 0 or more; was {route.OutputPricePerMillionTokensUsd}."));
            }

            Positive(errors, $"{at}.Timeout", route.Timeout);
        }

        if (withRuntime > 0 && withRuntime < options.Routes.Count)
        {
            errors.Add($"Routes: either every route names a Runtime or none does; {withRuntime} of {options.Routes.Count} do.");
        }

        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var builder = new ValidateOptionsResultBuilder();
        var prefix = string.IsNullOrEmpty(name) ? string.Empty : $"Router '{name}': ";
        foreach (var error in errors)
        {
            builder.AddError(prefix + error);
        }

        return builder.Build();
    }

    private static void Positive(List<string> errors, string field, TimeSpan? value)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            errors.Add($"{field} must be a positive duration; was {v.ToString("c", CultureInfo.InvariantCulture)}.");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
