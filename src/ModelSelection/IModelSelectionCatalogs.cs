using ModelSelection.Catalog;
using ModelSelection.Quality;
using ModelSelection.Runtimes;

namespace ModelSelection;

/// <summary>
/// The catalogs a selector decides with — models, devices, runtimes, benchmarks, quality deltas and size-class
/// thresholds — as a service: inject it where an app lists or validates ids, instead of casting the selector.
/// </summary>
/// <remarks>
/// Registered by <see cref="ModelSelectionServiceCollectionExtensions.AddModelSelection(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>;
/// <see cref="ModelSelector"/> implements it. Each property returns the catalog in force: when options reload, the
/// next read returns the rebuilt one (read a property once per operation for a consistent view). Thread-safe.
/// </remarks>
public interface IModelSelectionCatalogs
{
    /// <summary>Gets the model catalog in force.</summary>
    ModelCatalog Models { get; }

    /// <summary>Gets the device catalog in force.</summary>
    DeviceCatalog Devices { get; }

    /// <summary>Gets the runtime (inference engine) catalog in force.</summary>
    RuntimeCatalog Runtimes { get; }

    /// <summary>Gets the benchmark registry in force.</summary>
    BenchmarkRegistry Benchmarks { get; }

    /// <summary>Gets the quality deltas of weight formats in force.</summary>
    FormatQualityDeltas QualityDeltas { get; }

    /// <summary>Gets the size-class thresholds in force.</summary>
    SizeClassThresholds Thresholds { get; }
}
