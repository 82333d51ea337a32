using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using ModelSelection.Catalog;
using ModelSelection.Internal;

namespace ModelSelection.Quality;

/// <summary>
/// The benchmarks scores may be keyed by, each one comparable measurement, and the fixed default benchmark of each
/// task. Unknown ids are errors, never silently "no score".
/// </summary>
/// <remarks>
/// <para>
/// The built-in registry is embedded JSON (<c>Catalog/benchmarks.json</c>; sources in <c>docs/selection.md</c>). A task's
/// default is fixed, never inferred from the candidates offered: a benchmark picked from the candidate set would let
/// an irrelevant candidate change the choice. Ids retired because they mixed measurements (<c>glue</c>) are refused
/// with a message that names their replacements.
/// </para>
/// <para>Immutable and thread-safe; <see cref="With(IEnumerable{Benchmark})"/> returns a new registry.</para>
/// </remarks>
public sealed class BenchmarkRegistry
{
    private static readonly Lazy<BenchmarkRegistry> BuiltInRegistry = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, Benchmark> _byId;
    private readonly FrozenDictionary<ModelTask, string> _defaults;
    private readonly FrozenDictionary<string, string> _retired;

    /// <summary>Creates a registry.</summary>
    /// <param name="benchmarks">The benchmarks; ids unique, ignoring case.</param>
    /// <param name="defaults">The default benchmark id of each task that has one; each must be among <paramref name="benchmarks"/> and measure that task.</param>
    /// <param name="retired">Ids no longer accepted, each with the message that says what replaced it; may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="benchmarks"/>, <paramref name="defaults"/> or an entry is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Ids repeat or are blank, a default names an unknown benchmark or one of another task, or a retired id is also registered.</exception>
    public BenchmarkRegistry(IEnumerable<Benchmark> benchmarks, IReadOnlyDictionary<ModelTask, string> defaults, IReadOnlyDictionary<string, string>? retired = null)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentNullException.ThrowIfNull(defaults);
        var byId = new Dictionary<string, Benchmark>(StringComparer.OrdinalIgnoreCase);
        foreach (var benchmark in benchmarks)
        {
            ArgumentNullException.ThrowIfNull(benchmark, nameof(benchmarks));
            ArgumentException.ThrowIfNullOrWhiteSpace(benchmark.Id, nameof(benchmarks));
            if (!byId.TryAdd(benchmark.Id, benchmark))
            {
                throw new ArgumentException($"Benchmark ids must be unique (ignoring case); '{benchmark.Id}' appears twice.", nameof(benchmarks));
            }
        }

        foreach (var (task, id) in defaults)
        {
            if (!byId.TryGetValue(id ?? string.Empty, out var benchmark))
            {
                throw new ArgumentException($"The default benchmark of {ModelTasks.ToName(task)} must be registered; '{id}' is not.", nameof(defaults));
            }

            if (benchmark.Task != task)
            {
                throw new ArgumentException($"The default benchmark of {ModelTasks.ToName(task)} must measure that task; '{id}' measures {ModelTasks.ToName(benchmark.Task)}.", nameof(defaults));
            }
        }

        var gone = new Dictionary<string, string>(retired ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var id in gone.Keys.Where(byId.ContainsKey))
        {
            throw new ArgumentException($"Benchmark '{id}' cannot be both registered and retired.", nameof(retired));
        }

        _byId = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _defaults = defaults.ToFrozenDictionary(kv => kv.Key, kv => byId[kv.Value].Id);
        _retired = gone.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Benchmarks = [.. byId.Values.OrderBy(b => b.Id, StringComparer.Ordinal)];
    }

    /// <summary>Gets the built-in registry.</summary>
    public static BenchmarkRegistry BuiltIn => BuiltInRegistry.Value;

    /// <summary>Gets the benchmarks, ordered by id (ordinal).</summary>
    public ImmutableArray<Benchmark> Benchmarks { get; }

    /// <summary>Looks a benchmark up by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <param name="benchmark">The benchmark, when registered.</param>
    /// <returns><see langword="true"/> when the id is registered.</returns>
    public bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Benchmark? benchmark)
    {
        benchmark = null;
        return id is not null && _byId.TryGetValue(id, out benchmark);
    }

    /// <summary>Gets a benchmark by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The benchmark.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id is not registered (the message suggests the closest ids) or was retired (the message names its replacements).</exception>
    public Benchmark Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_byId.TryGetValue(id, out var benchmark))
        {
            return benchmark;
        }

        if (_retired.TryGetValue(id, out var replacement))
        {
            throw new ArgumentException($"Benchmark '{id}' is retired: {replacement}", nameof(id));
        }

        throw new ArgumentException($"Unknown benchmark '{id}'; {Suggestions.Hint(id, [.. Benchmarks.Select(b => b.Id)])}.", nameof(id));
    }

    /// <summary>Gets the fixed default benchmark of a task, or <see langword="null"/> when the task has none.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The benchmark.</returns>
    public Benchmark? DefaultFor(ModelTask task) => _defaults.TryGetValue(task, out var id) ? _byId[id] : null;

    /// <summary>Returns a registry with more benchmarks (your own evaluations); an id already present is replaced, the defaults stay.</summary>
    /// <param name="benchmarks">The benchmarks to add or replace.</param>
    /// <returns>The new registry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="benchmarks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Ids repeat, a retired id is reused, or a replaced default would measure another task.</exception>
    public BenchmarkRegistry With(IEnumerable<Benchmark> benchmarks)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        var added = benchmarks.ToList();
        var ids = added.Select(b => b?.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new BenchmarkRegistry(Benchmarks.Where(b => !ids.Contains(b.Id)).Concat(added), _defaults, _retired);
    }

    private static BenchmarkRegistry LoadBuiltIn()
    {
        using var stream = typeof(BenchmarkRegistry).Assembly.GetManifestResourceStream("ModelSelection.Catalog.benchmarks.json")
            ?? throw new InvalidOperationException("The built-in benchmark registry resource 'ModelSelection.Catalog.benchmarks.json' is missing from the assembly.");
        var document = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.BenchmarkDocument)
            ?? throw new InvalidOperationException("The built-in benchmark registry is empty.");
        var defaults = (document.Defaults ?? []).ToDictionary(kv => ModelTasks.Parse(kv.Key), kv => kv.Value);
        return new BenchmarkRegistry(document.Benchmarks ?? [], defaults, document.Retired);
    }
}
