using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Runtimes;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Quality;

namespace ModelSelection.Selection;

/// <summary>Builds the catalogs and thresholds that <see cref="ModelSelectionOptions"/> describe, collecting every problem.</summary>
internal static class OptionsCatalogs
{
    public static (ModelCatalog Models, DeviceCatalog Devices, SizeClassThresholds Thresholds, BenchmarkRegistry Benchmarks, RuntimeCatalog Runtimes)? Build(ModelSelectionOptions options, List<string> errors)
    {
        var benchmarks = Benchmarks(options, errors);
        var models = options.UseBuiltInModels ? ModelCatalog.BuiltIn : new ModelCatalog([]);
        var added = new List<ModelSpec>();
        for (var i = 0; i < options.Models.Count; i++)
        {
            var entry = options.Models[i];
            var name = $"Models[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Id))
            {
                errors.Add($"{name}.Id is required.");
                continue;
            }

            try
            {
                var spec = entry.ConfigPath is { } path ? HuggingFaceConfig.Load(path, entry.Id)
                    : models.TryGet(entry.Id, out var known) ? known
                    : throw new ArgumentException($"{name}.ConfigPath is required: '{entry.Id}' is not in the catalog.");
                if (entry.QualityScores.Count > 0)
                {
                    var source = entry.QualitySource ?? "configuration";
                    var scores = spec.QualityScores.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                    foreach (var (benchmark, value) in entry.QualityScores.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        if (!benchmarks.TryGet(benchmark, out var registered))
                        {
                            throw new ArgumentException($"{name}.QualityScores.{benchmark}: {Problem(benchmarks, benchmark)}");
                        }

                        if (!double.IsFinite(value))
                        {
                            throw new ArgumentException($"{name}.QualityScores.{benchmark} must be a finite number; was {value.ToString(CultureInfo.InvariantCulture)}.");
                        }

                        scores[registered.Id] = new QualityScore(value, source);
                    }

                    spec = spec.WithQualityScores(scores);
                }

                added.Add(spec);
            }
            catch (Exception exception) when (exception is ArgumentException or ModelImportException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{name} ('{entry.Id}'): {exception.Message.Split(" (Parameter")[0]}");
            }
        }

        var devices = options.UseBuiltInDevices ? DeviceCatalog.BuiltIn : new DeviceCatalog([]);
        var overridden = new List<DeviceProfile>();
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var entry = options.Devices[i];
            DeviceProfile? basis = entry.Id is { } id && devices.TryGet(id, out var known) ? known : null;
            var problems = entry.Validate(basis);
            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => $"Devices[{i}]: {p}"));
                continue;
            }

            overridden.Add(entry.ToProfile(basis));
        }

        var runtimes = options.UseBuiltInRuntimes ? RuntimeCatalog.BuiltIn : new RuntimeCatalog([]);
        var runtimeEntries = new List<RuntimeProfile>();
        for (var i = 0; i < options.Runtimes.Count; i++)
        {
            var entry = options.Runtimes[i];
            var baseId = entry.BasedOn ?? entry.Id;
            RuntimeProfile? basis = baseId is not null && runtimes.TryGet(baseId, out var knownRuntime) ? knownRuntime : null;
            if (entry.BasedOn is { } based && basis is null)
            {
                errors.Add($"Runtimes[{i}]: BasedOn names '{based}', which is not a runtime; known: {string.Join(", ", runtimes.Runtimes.Select(r => r.Id))}.");
                continue;
            }

            var problems = entry.Validate(basis);
            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => $"Runtimes[{i}]: {p}"));
                continue;
            }

            runtimeEntries.Add(entry.ToProfile(basis));
        }

        if (options.MemoryHeadroomFraction is < 0 or >= 1 || double.IsNaN(options.MemoryHeadroomFraction))
        {
            errors.Add($"MemoryHeadroomFraction must be at least 0 and below 1; was {options.MemoryHeadroomFraction.ToString(CultureInfo.InvariantCulture)}.");
        }

        CheckEfficiency(options.ComputeEfficiency, nameof(options.ComputeEfficiency), errors);
        CheckEfficiency(options.MemoryEfficiency, nameof(options.MemoryEfficiency), errors);
        var encoder = Threshold(options.SmallEncoderThreshold, nameof(options.SmallEncoderThreshold), errors);
        var decoder = Threshold(options.SmallDecoderThreshold, nameof(options.SmallDecoderThreshold), errors);
        if (errors.Count > 0)
        {
            return null;
        }

        try
        {
            models = models.With(added);
            devices = devices.With(overridden);
            runtimes = runtimes.With(runtimeEntries);
            if (options.ComputeEfficiency is { } compute || options.MemoryEfficiency is not null)
            {
                devices = new DeviceCatalog(devices.Devices.Select(d => d with
                {
                    ComputeEfficiency = options.ComputeEfficiency ?? d.ComputeEfficiency,
                    MemoryEfficiency = options.MemoryEfficiency ?? d.MemoryEfficiency,
                }));
            }
        }
        catch (ArgumentException exception)
        {
            errors.Add(exception.Message.Split(" (Parameter")[0]);
            return null;
        }

        return (models, devices, new SizeClassThresholds(encoder!.Value, decoder!.Value), benchmarks, runtimes);
    }

    /// <summary>The built-in registry with the options' own benchmarks.</summary>
    public static BenchmarkRegistry Benchmarks(ModelSelectionOptions options, List<string> errors)
    {
        var added = new List<Benchmark>();
        for (var i = 0; i < options.Benchmarks.Count; i++)
        {
            var problems = new List<string>();
            if (options.Benchmarks[i].ToBenchmark(problems) is { } benchmark)
            {
                added.Add(benchmark);
            }

            errors.AddRange(problems.Select(p => $"Benchmarks[{i}].{p}"));
        }

        try
        {
            return BenchmarkRegistry.BuiltIn.With(added);
        }
        catch (ArgumentException exception)
        {
            errors.Add("Benchmarks: " + exception.Message.Split(" (Parameter")[0]);
            return BenchmarkRegistry.BuiltIn;
        }
    }

    /// <summary>Why an id is not a registered benchmark, with the closest ids or its replacements.</summary>
    public static string Problem(BenchmarkRegistry benchmarks, string id)
    {
        try
        {
            benchmarks.Get(id);
            return "valid";
        }
        catch (ArgumentException exception)
        {
            return exception.Message.Split(" (Parameter")[0];
        }
    }

    private static void CheckEfficiency(double? value, string name, List<string> errors)
    {
        if (value is { } v && (!double.IsFinite(v) || v <= 0 || v > 1))
        {
            errors.Add($"{name} must be greater than 0 and at most 1; was {v.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static ParameterCount? Threshold(string? text, string name, List<string> errors)
    {
        if (ParameterCount.TryParse(text, CultureInfo.InvariantCulture, out var count) && count > ParameterCount.Zero)
        {
            return count;
        }

        errors.Add($"{name} must be a positive parameter count such as 100M or 4B; was '{text}'.");
        return null;
    }
}
