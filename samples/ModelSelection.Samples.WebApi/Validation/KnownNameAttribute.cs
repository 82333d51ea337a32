using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ModelSelection.Samples.WebApi.Validation;

/// <summary>
/// A DataAnnotations rule: the string (or every string of the array) names something the selector knows — a profile,
/// a device, a model, a runtime, a benchmark, a precision, a task or an objective. Catalog names are checked against
/// the catalogs in force (<see cref="IModelSelectionCatalogs"/>, <see cref="ISelectionProfiles"/>, resolved from the
/// request's services, so a configuration reload applies at once); the message is the library's own vocabulary.
/// </summary>
/// <param name="kind">What the name must be.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class KnownNameAttribute(NameKind kind) : ValidationAttribute
{
    /// <summary>Gets what the name must be.</summary>
    public NameKind Kind { get; } = kind;

    /// <inheritdoc/>
    public override bool RequiresValidationContext => true;

    /// <inheritdoc/>
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        string[] names = value switch
        {
            null => [],
            string one => [one],
            IEnumerable<string?> many => [.. many.Select(n => n ?? string.Empty)],
            _ => throw new InvalidOperationException($"[KnownName] applies to a string or a string array; {validationContext.MemberName} is {value.GetType().Name}."),
        };

        if (names.Length == 0)
        {
            return ValidationResult.Success;
        }

        var problem = Problem(names, validationContext);
        return problem is null ? ValidationResult.Success : new ValidationResult(problem, validationContext.MemberName is { } member ? [member] : null);
    }

    private string? Problem(string[] names, ValidationContext services)
    {
        var catalogs = services.GetService(typeof(IModelSelectionCatalogs)) as IModelSelectionCatalogs;
        IModelSelectionCatalogs Catalogs() => catalogs ?? throw new InvalidOperationException("[KnownName] needs IModelSelectionCatalogs: call AddModelSelection.");
        switch (Kind)
        {
            case NameKind.Profile:
                var profiles = (ISelectionProfiles?)services.GetService(typeof(ISelectionProfiles)) ?? throw new InvalidOperationException("[KnownName] needs ISelectionProfiles: call AddModelSelection.");
                return names.FirstOrDefault(n => !profiles.Names.Contains(n, StringComparer.OrdinalIgnoreCase)) is { } profile
                    ? $"Unknown profile '{profile}'; configured: {string.Join(", ", profiles.Names)}."
                    : null;
            case NameKind.Device:
                var devices = Catalogs().Devices;
                return Unknown(names, n => string.Equals(n, "local", StringComparison.OrdinalIgnoreCase) || devices.TryGet(n, out _)) is { } unknownDevices
                    ? $"Unknown device(s): {unknownDevices}."
                    : null;
            case NameKind.Model:
                var models = Catalogs().Models;
                return Unknown(names, n => models.TryGet(n, out _)) is { } unknownModels ? $"Unknown model(s): {unknownModels}." : null;
            case NameKind.Runtime:
                var runtimes = Catalogs().Runtimes;
                return Unknown(names, n => runtimes.TryGet(n, out _)) is { } unknownRuntimes
                    ? $"Unknown runtime(s): {unknownRuntimes}; known: {string.Join(", ", runtimes.Runtimes.Select(r => r.Id))}."
                    : null;
            case NameKind.Benchmark:
                var benchmarks = Catalogs().Benchmarks;
                foreach (var name in names)
                {
                    try
                    {
                        _ = benchmarks.Get(name);
                    }
                    catch (ArgumentException exception)
                    {
                        return exception.Message.Split(" (Parameter")[0]; // the registry's message: did-you-mean, retired ids
                    }
                }

                return null;
            case NameKind.Precision:
                return names.FirstOrDefault(n => !NumericPrecision.TryParse(n, CultureInfo.InvariantCulture, out _)) is { } precision
                    ? $"Unknown precision '{precision}'; known: {string.Join(", ", NumericPrecision.All.Select(p => p.Name))}."
                    : null;
            case NameKind.Task:
                return names.FirstOrDefault(n => !ModelTasks.TryParse(n, out _)) is { } task
                    ? $"Unknown task '{task}'; known: {string.Join(", ", ModelTasks.AllNames)}."
                    : null;
            case NameKind.Objective:
                return names.FirstOrDefault(n => !Enum.TryParse<SelectionObjective>(n, ignoreCase: true, out _)) is { } objective
                    ? $"Objective must be one of {string.Join(", ", Enum.GetNames<SelectionObjective>())}; was '{objective}'."
                    : null;
            default:
                throw new InvalidOperationException($"Unknown name kind {Kind}.");
        }
    }

    private static string? Unknown(string[] names, Func<string, bool> known) =>
        names.Where(n => !known(n)).ToArray() is { Length: > 0 } unknown ? string.Join(", ", unknown) : null;
}
