using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Quality;
using ModelSelection.Runtimes;
using ModelSelection.Selection;

namespace ModelSelection;

/// <summary>
/// The default <see cref="IModelSelector"/>: expands candidates × precisions × devices (× device counts), estimates
/// each, records every violated constraint, ranks the feasible ones by the objective under a total order, and
/// explains the decision.
/// </summary>
/// <remarks>
/// Works with or without dependency injection (<c>new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn)</c>).
/// Logs the decision at Information (outcome, model, precision, device, runtime and binding constraint as fields) and
/// each candidate at Debug; counts selections on the <c>ModelSelection</c> meter (one counter tagged by outcome,
/// objective, device class and size class; a duration histogram in seconds) and traces each as a
/// <c>modelselection.select</c> span of the <c>ModelSelection</c> activity source.
/// Thread-safe: the catalogs are immutable and swapped atomically when options change.
/// </remarks>
public sealed class ModelSelector : IModelSelector, IModelSelectionCatalogs
{
    private readonly ILocalDeviceProbe _probe;
    private readonly ILogger _logger;
    private readonly SelectionMetrics _metrics;
    private volatile SelectorState _state;

    /// <summary>Creates a selector over catalogs.</summary>
    /// <param name="models">The model catalog candidates are looked up in.</param>
    /// <param name="devices">The device catalog devices are looked up in.</param>
    /// <param name="thresholds">Size-class thresholds; <see langword="null"/> for <see cref="SizeClassThresholds.Default"/>.</param>
    /// <param name="probe">The probe for the device id <c>local</c>; <see langword="null"/> for <see cref="LocalDeviceProbe.Default"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="benchmarks">The benchmark registry; <see langword="null"/> for <see cref="BenchmarkRegistry.BuiltIn"/>.</param>
    /// <param name="qualityDeltas">The quality each weight format costs; <see langword="null"/> for <see cref="FormatQualityDeltas.BuiltIn"/>.</param>
    /// <param name="runtimes">The runtime (inference engine) catalog; <see langword="null"/> for <see cref="RuntimeCatalog.BuiltIn"/>.</param>
    /// <param name="meterFactory">The app's meter factory (<c>services.AddMetrics()</c>); <see langword="null"/> for a process-wide <c>ModelSelection</c> meter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="models"/> or <paramref name="devices"/> is <see langword="null"/>.</exception>
    public ModelSelector(ModelCatalog models, DeviceCatalog devices, SizeClassThresholds? thresholds = null, ILocalDeviceProbe? probe = null, ILogger<ModelSelector>? logger = null, BenchmarkRegistry? benchmarks = null, FormatQualityDeltas? qualityDeltas = null, RuntimeCatalog? runtimes = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(devices);
        _state = new SelectorState(models, devices, thresholds ?? SizeClassThresholds.Default, benchmarks ?? BenchmarkRegistry.BuiltIn, qualityDeltas ?? FormatQualityDeltas.BuiltIn, runtimes ?? RuntimeCatalog.BuiltIn);
        _probe = probe ?? LocalDeviceProbe.Default;
        _logger = logger ?? NullLogger<ModelSelector>.Instance;
        _metrics = SelectionMetrics.For(meterFactory);
    }

    /// <summary>Gets the catalogs and thresholds in force.</summary>
    public ModelCatalog Models => _state.Models;

    /// <summary>Gets the device catalog in force.</summary>
    public DeviceCatalog Devices => _state.Devices;

    /// <summary>Gets the runtime catalog in force.</summary>
    public RuntimeCatalog Runtimes => _state.Runtimes;

    /// <summary>Gets the benchmark registry in force.</summary>
    public BenchmarkRegistry Benchmarks => _state.Benchmarks;

    /// <summary>Gets the quality deltas of weight formats in force.</summary>
    public FormatQualityDeltas QualityDeltas => _state.Deltas;

    /// <summary>Gets the size-class thresholds in force.</summary>
    public SizeClassThresholds Thresholds => _state.Thresholds;

    /// <inheritdoc/>
    public async Task<SelectionResult> SelectAsync(SelectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.DeviceIds.Any(IsLocal))
        {
            var local = await _probe.ProbeAsync(null, cancellationToken).ConfigureAwait(false);
            request = request with { DeviceIds = [.. request.DeviceIds.Where(id => !IsLocal(id))], Devices = [.. request.Devices, local] };
        }

        return Select(request);
    }

    /// <summary>Selects for a request synchronously: the former name of <see cref="Select(SelectionRequest)"/>.</summary>
    /// <param name="request">The question.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Select(SelectionRequest)"/>.</exception>
    [Obsolete("Use Select, which pairs with SelectAsync. Choose will be removed before 1.0.")]
    public SelectionResult Choose(SelectionRequest request) => Select(request);

    /// <inheritdoc/>
    public SelectionResult Select(SelectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        using var activity = SelectionMetrics.Source.StartActivity("modelselection.select", ActivityKind.Internal);
        var state = _state;
        var task = request.EffectiveTask;
        var benchmark = ResolveBenchmark(state, request, task);
        var explicitBenchmark = request.Constraints.QualityBenchmark is not null;
        var overrides = ValidateRequest(request, benchmark);
        var models = ResolveModels(state, request);
        var devices = ResolveDevices(state, request);
        var precisions = request.Precisions.Count > 0 ? request.Precisions.Distinct().ToArray() : [request.Workload.WeightPrecision];
        var order = new CandidateOrder(request.Objective, request.Policy, benchmark, state.Deltas);
        var noScore = benchmark is null ? string.Empty : $"no published {benchmark.Id} score";
        var context = new EvaluationContext(state, request, task, benchmark, explicitBenchmark, overrides, noScore);

        var runtimes = ResolveRuntimes(state, request);
        var layouts = ResolveLayouts(request);

        // Ordinal ranks of the few device, precision and runtime ids, computed once, so candidates can be sorted on keys
        // built as they are evaluated; model ids, which can be thousands, are compared only on a tie of every figure.
        var deviceRanks = OrdinalRanks(devices, d => d.Id);
        var precisionRanks = OrdinalRanks(precisions, p => p.Name);
        var runtimeRanks = state.RuntimeRanks;
        var slots = Slots(state, request, devices, precisions, deviceRanks, precisionRanks, layouts, runtimes.Count == 0);
        var perSlot = Math.Max(runtimes.Count, 1);
        var pairs = (long)slots.Count * perSlot * models.Length;
        if (pairs > int.MaxValue)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A selection evaluates at most {int.MaxValue:N0} candidates; this one would evaluate {pairs:N0} ({models.Length} models × {slots.Count} precision, device and layout combinations × {perSlot} runtimes): name fewer candidates, devices, precisions, layouts or runtimes."), nameof(request));
        }

        var expected = (int)Math.Clamp(pairs, 16, 1 << 20);
        var modelIds = new string[models.Length];
        for (var i = 0; i < modelIds.Length; i++)
        {
            modelIds[i] = models[i].Id;
        }

        using var feasibleKeys = new CandidateOrder.KeyBuffer(modelIds, expected);
        using var rejectedKeys = new CandidateOrder.KeyBuffer(modelIds, Math.Min(expected, 1024));

        // A feasible candidate is kept as one integer and its key, and built only when the result is read (a custom
        // policy compares whole candidates, so under one they are built here); a rejected one is built with its reasons.
        var feasiblePairs = new List<int>(expected);
        var feasible = request.Policy is null ? null : new List<SelectionCandidate>(expected);
        var rejected = new List<RejectedCandidate>();
        var scratch = new List<RejectionReason>();
        var unscored = 0;
        var debug = _logger.IsEnabled(LogLevel.Debug);

        // Models outermost: each model's figures are read once for all its precisions, devices, layouts and runtimes while
        // they are in cache, rather than once per precision from memory when the candidates number thousands.
        var explicitRuntimes = runtimes.ToArray();
        for (var mi = 0; mi < models.Length; mi++)
        {
            var model = models[mi];
            var kind = (int)model.Architecture.Kind;
            for (var si = 0; si < slots.Count; si++)
            {
                var slot = slots[si];
                for (var ri = 0; ri < perSlot; ri++)
                {
                    var runtime = explicitRuntimes.Length == 0 ? slot.Defaults[kind] : explicitRuntimes[ri];
                    var reasons = Evaluate(context, slot.Workload, model, slot.Device, runtime, scratch, out var figures);
                    var runtimeRank = runtime is null ? 0 : runtimeRanks[runtime];
                    SelectionCandidate? candidate = null;
                    if (reasons.IsEmpty)
                    {
                        var performance = figures.Estimated ? figures.Performance : (PerformanceEstimate?)null;
                        feasibleKeys.Add(order.KeyOf(model, slot.Workload.WeightPrecision, slot.Workload.Devices, slot.Workload.Layout, figures.Quality.Value,
                            performance?.LatencySeconds, performance?.CostUsd, performance?.EnergyJoules, feasiblePairs.Count, slot.DeviceRank, runtimeRank, slot.PrecisionRank, mi));
                        feasiblePairs.Add((((mi * slots.Count) + si) * perSlot) + ri);
                        unscored += figures.Quality.Value is null ? 1 : 0;
                        if (feasible is not null || debug)
                        {
                            candidate = NewCandidate(state, model, slot.Workload, slot.Device, runtime, figures);
                            feasible?.Add(candidate);
                        }
                    }
                    else
                    {
                        candidate = NewCandidate(state, model, slot.Workload, slot.Device, runtime, figures);
                        rejectedKeys.Add(order.KeyOf(candidate, rejected.Count, slot.DeviceRank, runtimeRank, slot.PrecisionRank, mi));
                        rejected.Add(new RejectedCandidate(candidate, reasons));
                    }

                    if (debug)
                    {
                        SelectionLog.Candidate(_logger, candidate!.Key, reasons.IsEmpty ? "feasible" : string.Join("; ", reasons.Select(r => r.Message)));
                    }
                }
            }
        }

        IReadOnlyList<SelectionCandidate> ranked;
        if (feasible is not null)
        {
            order.Sort(feasible, feasibleKeys, c => c);
            ranked = feasible.ToImmutableArray();
        }
        else
        {
            order.SortByKeys(feasiblePairs, feasibleKeys);
            var sorted = feasiblePairs.ToArray();
            ranked = new LazyCandidateList(sorted.Length, i => Build(context, models, slots, explicitRuntimes, sorted[i]));
        }

        order.Sort(rejected, rejectedKeys, r => r.Candidate);
        SelectionCandidate? choice = ranked.Count > 0 ? ranked[0] : null;
        var bestEffort = false;
        var violations = ImmutableArray<RejectionReason>.Empty;
        if (choice is null && request.NoFit == NoFitBehavior.BestEffort && rejected.Count > 0)
        {
            // The nearest candidate that can serve the task and its context; constraints are what best effort relaxes.
            var nearest = rejected.Where(r => !HasCapabilityReason(r.Reasons))
                .OrderBy(r => r.Reasons.Length).ThenBy(r => Overshoot(r.Reasons)).ThenBy(r => r.Candidate, order).FirstOrDefault();
            if (nearest is not null)
            {
                choice = nearest.Candidate;
                violations = nearest.Reasons;
                bestEffort = true;
            }
        }

        var (binding, example) = Binding(choice, bestEffort, rejected, order);
        var rankedBy = RankedBy(request, choice);
        var explanation = Explain(request, benchmark, choice, bestEffort, violations, ranked.Count, unscored, rejected, binding, example, rankedBy, task);
        var result = new SelectionResult(choice, bestEffort, violations, ranked, rejected.ToImmutableArray(), request.Policy is null ? request.Objective : SelectionObjective.Quality, benchmark?.Id, binding, explanation)
        {
            Task = task,
            RankedBy = rankedBy,
        };

        var outcome = choice is null ? "none" : bestEffort ? "best-effort" : "chosen";
        var objective = request.Policy is null ? request.Objective.ToString().ToLowerInvariant() : "policy";
        var deviceClass = choice is null ? "none" : DeviceClasses.ToName(choice.Device.Class);
        var sizeClass = choice is null ? "none" : choice.SizeClass.ToString().ToLowerInvariant();
        var bindingName = binding is { } code ? code.ToString() : null;
        var tags = new TagList { { "outcome", outcome }, { "objective", objective }, { "device.class", deviceClass }, { "size_class", sizeClass } };
        _metrics.Selections.Add(1, tags);
        _metrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        if (activity is not null)
        {
            activity.SetTag("modelselection.outcome", outcome);
            activity.SetTag("modelselection.objective", objective);
            activity.SetTag("modelselection.candidates", ranked.Count + rejected.Count);
            activity.SetTag("modelselection.feasible", ranked.Count);
            activity.SetTag("modelselection.choice.model", choice?.Model.Id);
            activity.SetTag("modelselection.choice.device", choice?.Device.Id);
            activity.SetTag("modelselection.choice.precision", choice?.Precision.Name);
            activity.SetTag("modelselection.choice.runtime", choice?.Runtime?.Id);
            activity.SetTag("modelselection.binding_constraint", bindingName);
            activity.SetStatus(choice is null ? ActivityStatusCode.Unset : ActivityStatusCode.Ok, choice is null ? "no candidate satisfies the request" : null);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            SelectionLog.Decision(_logger, outcome, choice?.Model.Id, choice?.Precision.Name, choice?.Device.Id, choice?.Runtime?.Id, bindingName, explanation);
        }
        return result;
    }

    /// <summary>Replaces the catalogs atomically (options reload); selections in flight keep the state they started with.</summary>
    internal void Swap(ModelCatalog models, DeviceCatalog devices, SizeClassThresholds thresholds, BenchmarkRegistry benchmarks, RuntimeCatalog runtimes) =>
        _state = new SelectorState(models, devices, thresholds, benchmarks, _state.Deltas, runtimes);

    private static bool IsLocal(string id) => string.Equals(id, DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase);

    /// <summary>What a candidate is rather than what the request limits: task, context, and whether its runtime can run it at all.</summary>
    private static bool IsCapability(RejectionCode code) => code is RejectionCode.UnsupportedTask or RejectionCode.ExceedsContext or RejectionCode.UnsupportedFormat or RejectionCode.UnsupportedRuntime;

    /// <summary>Whether a rejection is for capability (task or context); a loop, not LINQ, so the array is not boxed.</summary>
    private static bool HasCapabilityReason(ImmutableArray<RejectionReason> reasons)
    {
        foreach (var reason in reasons)
        {
            if (IsCapability(reason.Code))
            {
                return true;
            }
        }

        return false;
    }

    private static Benchmark? ResolveBenchmark(SelectorState state, SelectionRequest request, ModelTask? task)
    {
        if (request.Task is { } stated && !Enum.IsDefined(stated))
        {
            throw new ArgumentException($"Task must be one of {string.Join(", ", ModelTasks.AllNames)}; was {(int)stated}.", nameof(request));
        }

        if (request.Constraints.QualityBenchmark is { } id)
        {
            try
            {
                return state.Benchmarks.Get(id);
            }
            catch (ArgumentException exception)
            {
                throw new ArgumentException("Constraints.QualityBenchmark: " + exception.Message.Split(" (Parameter")[0], nameof(request), exception);
            }
        }

        return task is { } t ? state.Benchmarks.DefaultFor(t) : null;
    }

    /// <summary>Checks the request's cross-field rules and reads its quality overrides once: keys are <c>format</c> or <c>model-id@format</c>, by canonical format name.</summary>
    private static Dictionary<string, double> ValidateRequest(SelectionRequest request, Benchmark? benchmark)
    {
        var c = request.Constraints;
        if (c.MinQuality is { } floor && (benchmark is null || !double.IsFinite(floor)))
        {
            throw new ArgumentException(benchmark is null
                ? $"A quality floor needs a benchmark: set Constraints.QualityBenchmark, or a Task whose default benchmark it refers to; MinQuality was {Show(floor)} with neither."
                : $"Constraints.MinQuality must be a finite number; was {Show(floor)}.", nameof(request));
        }

        if (c.TimePerOutputTokenLimitSeconds is { } tpot && request.Workload.GeneratedTokens == 0)
        {
            throw new ArgumentException($"A time-per-output-token limit applies to generated tokens, but the workload generates none: set Workload.GeneratedTokens, or drop MaxTimePerOutputTokenSeconds ({Seconds(tpot)}).", nameof(request));
        }

        var overrides = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, delta) in request.QualityDeltas)
        {
            var at = key.LastIndexOf('@');
            if (!NumericPrecision.TryParse(at >= 0 ? key[(at + 1)..] : key, CultureInfo.InvariantCulture, out var format))
            {
                throw new ArgumentException($"QualityDeltas keys must be a weight format or model-id@format; '{key}' names no known format (known: {string.Join(", ", NumericPrecision.All.Select(f => f.Name))}).", nameof(request));
            }

            if (!double.IsFinite(delta))
            {
                throw new ArgumentException($"QualityDeltas['{key}'] must be a finite number; was {Show(delta)}.", nameof(request));
            }

            overrides[at >= 0 ? $"{key[..at]}@{format.Name}" : format.Name] = delta;
        }

        return overrides;
    }

    private static ModelSpec[] ResolveModels(SelectorState state, SelectionRequest request)
    {
        if (request.CandidateIds.Count == 0 && IdsAreUnique(request.Models))
        {
            // The large case, thousands of the caller's own models: copied as given (the ranked list reads them later),
            // with no dictionary, whose arrays would land on the large-object heap on every selection.
            return request.Models.Count > 0 ? [.. request.Models] : [.. state.Models.Models];
        }

        var byId = new Dictionary<string, ModelSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in request.CandidateIds)
        {
            var model = state.Models.Get(id);
            byId.TryAdd(model.Id, model);
        }

        foreach (var model in request.Models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(request));
            byId[model.Id] = model;
        }

        return byId.Count > 0 ? [.. byId.Values] : [.. state.Models.Models];
    }

    /// <summary>Whether no two models share an id (ignoring case), found with a pooled open-addressing table of indices; a null model is refused.</summary>
    private static bool IdsAreUnique(IReadOnlyList<ModelSpec> models)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(models.Count * 2L, 4, 1 << 30));
        var table = ArrayPool<int>.Shared.Rent(size);
        try
        {
            Array.Clear(table, 0, size);
            var comparer = StringComparer.OrdinalIgnoreCase;
            for (var i = 0; i < models.Count; i++)
            {
                var model = models[i];
                ArgumentNullException.ThrowIfNull(model, "request");
                var slot = comparer.GetHashCode(model.Id) & (size - 1);
                while (table[slot] != 0)
                {
                    if (comparer.Equals(models[table[slot] - 1].Id, model.Id))
                    {
                        return false;
                    }

                    slot = (slot + 1) & (size - 1);
                }

                table[slot] = i + 1;
            }

            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    private static List<DeviceProfile> ResolveDevices(SelectorState state, SelectionRequest request)
    {
        var byId = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in request.DeviceIds)
        {
            if (IsLocal(id))
            {
                throw new ArgumentException("The device 'local' must be probed: call SelectAsync.", nameof(request));
            }

            var device = state.Devices.Get(id);
            byId.TryAdd(device.Id, device);
        }

        foreach (var device in request.Devices)
        {
            ArgumentNullException.ThrowIfNull(device, nameof(request));
            byId[device.Id] = device;
        }

        return byId.Count > 0 ? [.. byId.Values] : throw new ArgumentException("A selection needs at least one device: set DeviceIds or Devices.", nameof(request));
    }

    /// <summary>The rank of each item's id in ordinal order (equal ids share a rank).</summary>
    private static int[] OrdinalRanks<T>(IReadOnlyList<T> items, Func<T, string> id)
    {
        var sorted = items.Select(id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select((value, i) => (value, i)).ToDictionary(p => p.value, p => p.i, StringComparer.Ordinal);
        var ranks = new int[items.Count];
        for (var i = 0; i < ranks.Length; i++)
        {
            ranks[i] = sorted[id(items[i])];
        }

        return ranks;
    }

    /// <summary>
    /// Every precision × device × device count and layout a model is evaluated at, with its workload and (when the
    /// request names no runtime) the default runtime per model kind there, each resolved once per selection.
    /// </summary>
    private static List<Slot> Slots(SelectorState state, SelectionRequest request, List<DeviceProfile> devices, NumericPrecision[] precisions, int[] deviceRanks, int[] precisionRanks, DeviceLayout[] layouts, bool defaultRuntimes)
    {
        var slots = new List<Slot>();
        for (var pi = 0; pi < precisions.Length; pi++)
        {
            var precision = precisions[pi];
            for (var di = 0; di < devices.Count; di++)
            {
                var device = devices[di];
                var defaults = defaultRuntimes
                    ? new[] { state.Runtimes.DefaultFor(device, ModelKind.Encoder, precision), state.Runtimes.DefaultFor(device, ModelKind.Decoder, precision), state.Runtimes.DefaultFor(device, ModelKind.EncoderDecoder, precision) }
                    : [];
                foreach (var (count, layout) in DeviceCounts(device, request.Constraints.MaxDeviceCount, layouts))
                {
                    slots.Add(new Slot(request.Workload with { WeightPrecision = precision, Devices = count, Layout = layout }, device, defaults, deviceRanks[di], precisionRanks[pi]));
                }
            }
        }

        return slots;
    }

    /// <summary>The runtimes the request names, resolved once; empty for the catalog's default per device and model.</summary>
    private static List<RuntimeProfile> ResolveRuntimes(SelectorState state, SelectionRequest request)
    {
        var list = new List<RuntimeProfile>();
        foreach (var id in request.RuntimeIds)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(request));
            RuntimeProfile runtime;
            try
            {
                runtime = state.Runtimes.Get(id);
            }
            catch (ArgumentException exception)
            {
                throw new ArgumentException("RuntimeIds: " + exception.Message.Split(" (Parameter")[0], nameof(request), exception);
            }

            if (!list.Contains(runtime))
            {
                list.Add(runtime);
            }
        }

        return list;
    }

    private static DeviceLayout[] ResolveLayouts(SelectionRequest request)
    {
        foreach (var layout in request.Layouts)
        {
            if (!Enum.IsDefined(layout))
            {
                throw new ArgumentException($"Layouts must hold only {string.Join(", ", DeviceLayouts.AllNames)}; was {(int)layout}.", nameof(request));
            }
        }

        return request.Layouts.Count > 0 ? [.. request.Layouts.Distinct()] : [DeviceLayout.TensorParallel, DeviceLayout.PipelineParallel, DeviceLayout.Replicas];
    }

    /// <summary>One device, then 2, 4, … up to the maximum in each allowed layout: replicas on any device, tensor and pipeline parallel only over an interconnect.</summary>
    private static IEnumerable<(int Count, DeviceLayout Layout)> DeviceCounts(DeviceProfile device, int max, DeviceLayout[] layouts)
    {
        yield return (1, DeviceLayout.TensorParallel);
        for (var count = 2; count <= max; count *= 2)
        {
            foreach (var layout in layouts)
            {
                if (layout == DeviceLayout.Replicas || device.InterconnectBandwidthBytesPerSecond is not null)
                {
                    yield return (count, layout);
                }
            }
        }
    }

    /// <summary>
    /// Evaluates one candidate without allocating it: its figures go to <paramref name="figures"/>, every violated
    /// constraint to the returned reasons (empty when feasible). Pure and deterministic, so a ranked list can evaluate a
    /// candidate again when it is first read instead of holding thousands of them.
    /// </summary>
    private static ImmutableArray<RejectionReason> Evaluate(
        EvaluationContext context, InferenceWorkload workload, ModelSpec model, DeviceProfile device, RuntimeProfile? runtime, List<RejectionReason> reasons, out Figures figures)
    {
        var (_, request, task, benchmark, explicitBenchmark, _, _) = context;
        var c = request.Constraints;
        var precision = workload.WeightPrecision;
        var count = workload.Devices;
        reasons.Clear();
        Capability(model, workload, task, reasons);
        if (reasons.Count == 0 && runtime is not null && ModelEstimator.RuntimeMismatch(runtime, model, workload, device) is { } mismatch)
        {
            reasons.Add(new RejectionReason(mismatch.Code, mismatch.Message, null, null));
        }

        var quality = Quality(context, model, precision);
        MemoryEstimate memory;
        FlopEstimate flops;
        // The estimate is kept in a plain local (not a nullable one) so its 272 bytes are not copied on every access.
        PerformanceEstimate performance = default;
        var estimated = false;
        if (reasons.Count > 0)
        {
            // A candidate that cannot serve the task or its context, or whose runtime cannot run it, is rejected for that
            // alone; its figures are the arithmetic of the request as given, for the record, and no constraint is checked.
            try
            {
                memory = ModelEstimator.MemoryCore(model, workload, device, runtime);
                flops = ModelEstimator.FlopsCore(model, workload, default);
            }
            catch (ArgumentOutOfRangeException)
            {
                (memory, flops) = (default, default);
            }

            figures = new Figures(quality, memory, flops, default, false);
            return [.. reasons];
        }

        var computeFormat = runtime?.ComputeFormat(precision, device.Class) ?? precision;
        var supported = device.PeakFlops.Resolve(computeFormat) is not null;
        try
        {
            if (supported)
            {
                performance = ModelEstimator.EstimateAll(model, workload, device, runtime, default, out memory, out flops);
                estimated = true;
            }
            else
            {
                memory = ModelEstimator.EstimateMemory(model, workload, device, runtime);
                flops = ModelEstimator.EstimateFlops(model, workload);
            }
        }
        catch (ArgumentOutOfRangeException exception)
        {
            // A workload within the request's limits can still need more than 2⁶³ bytes for a huge model: that is a
            // rejection with its reason, never an exception out of Select.
            var why = exception.Message.Split(" (Parameter")[0];
            reasons.Add(new RejectionReason(RejectionCode.ExceedsMemory, $"needs more memory than an estimate can hold: {why}", long.MaxValue, device.UsableMemoryBytes));
            figures = new Figures(quality, default, default, default, false);
            return [.. reasons];
        }

        var usable = ModelEstimator.UsableBytes(device, runtime);
        var allowed = (long)Math.Floor(usable * (1 - c.MemoryHeadroomFraction));
        if (c.MaxMemoryBytes is { } cap && cap < allowed)
        {
            allowed = cap;
        }
        // A model too large for the device's memory, under a runtime that offloads by layer on a device with a host
        // pool: the most blocks that fit stay on the device (llama.cpp's -ngl), the rest run from host memory.
        if (memory.TotalBytes > allowed && estimated && runtime is { LayerOffload: true } && device.Host is not null
            && workload.GpuLayers is null && workload.Devices == 1 && model.Architecture.Kind != ModelKind.EncoderDecoder
            && LargestOffload(model, workload, device, runtime, allowed) is { } offloaded)
        {
            (performance, memory, flops) = offloaded;
        }

        if (estimated && performance.Offload is { } split)
        {
            if (split.Device.TotalBytes > allowed || !split.HostFits)
            {
                reasons.Add(new RejectionReason(RejectionCode.ExceedsMemory, split.Device.TotalBytes > allowed
                    ? $"needs {UnitConversions.FormatBytes(split.Device.TotalBytes)} on the device even with {split}, the device has {UnitConversions.FormatBytes(allowed)} usable"
                    : $"needs {UnitConversions.FormatBytes(split.Host.TotalBytes)} of host memory with {split}, the host has {UnitConversions.FormatBytes(split.HostUsableBytes)} usable", split.Device.TotalBytes > allowed ? split.Device.TotalBytes : split.Host.TotalBytes, split.Device.TotalBytes > allowed ? allowed : split.HostUsableBytes));
            }
        }
        else if (memory.TotalBytes > allowed)
        {
            var headroom = c.MemoryHeadroomFraction > 0 ? $" after keeping {Show(c.MemoryHeadroomFraction * 100)} % free" : string.Empty;
            var share = usable < device.UsableMemoryBytes && runtime is not null ? $" of the {Show(runtime.MaxMemoryFraction * 100)} % {runtime.Id} uses" : string.Empty;
            var what = c.MaxMemoryBytes is { } m && m == allowed ? "the request allows" : $"the device has{share}{headroom}";
            reasons.Add(new RejectionReason(RejectionCode.ExceedsMemory, $"needs {UnitConversions.FormatBytes(memory.TotalBytes)} per device, {what} {UnitConversions.FormatBytes(allowed)} usable", memory.TotalBytes, allowed));
        }

        if (!supported)
        {
            var peaks = device.PeakFlops;
            var available = string.Join(", ", new[] { ("fp32", peaks.Fp32), ("tf32", peaks.Tf32), ("fp16", peaks.Fp16), ("bf16", peaks.Bf16), ("fp8", peaks.Fp8), ("int8", peaks.Int8), ("int4", peaks.Int4) }.Where(p => p.Item2 is not null).Select(p => p.Item1));
            var via = computeFormat != precision && runtime is not null ? $" under {runtime.Id}" : string.Empty;
            reasons.Add(new RejectionReason(RejectionCode.UnsupportedPrecision, $"{precision.Name} computes in {computeFormat.ComputePrecision.Name}{via}; {device.Id} computes only {available}", null, null));
        }

        if (benchmark is not null && (c.MinQuality is not null || explicitBenchmark) && quality.Value is null)
        {
            reasons.Add(new RejectionReason(RejectionCode.MissingQualityScore, quality.Assumption, null, c.MinQuality));
        }
        else if (c.MinQuality is { } floor && quality.Value is { } q && benchmark is not null && !benchmark.Meets(q, floor))
        {
            var rule = benchmark.HigherIsBetter ? "the floor is" : "the ceiling (lower is better) is";
            reasons.Add(new RejectionReason(RejectionCode.BelowQualityFloor, $"scores {Show(q)} on {benchmark.Id}{(precision.BitsPerWeight < 16 ? $" at {precision.Name}" : string.Empty)}, {rule} {Show(floor)}", q, floor));
        }

        if (estimated)
        {
            ref readonly var p = ref performance;
            Limit(reasons, RejectionCode.ExceedsLatency, "takes", "end to end", p.LatencySeconds, c.LatencyLimitSeconds);
            Limit(reasons, RejectionCode.ExceedsTimeToFirstToken, "takes", "to the first token", p.TimeToFirstTokenSeconds, c.TimeToFirstTokenLimitSeconds);
            Limit(reasons, RejectionCode.ExceedsTimePerOutputToken, "takes", "per output token", p.TimePerOutputTokenSeconds, c.TimePerOutputTokenLimitSeconds);
            if (c.MinThroughputPerSecond is { } minimum && p.ThroughputPerSecond < minimum)
            {
                var unit = request.Workload.GeneratedTokens > 0 ? "tokens/s" : "sequences/s";
                reasons.Add(new RejectionReason(RejectionCode.BelowThroughput, $"delivers {Show(p.ThroughputPerSecond)} {unit}, the floor is {Show(minimum)}", p.ThroughputPerSecond, minimum));
            }

            if (c.MaxCostUsd is { } maxCost)
            {
                if (p.CostUsd is not { } cost)
                {
                    reasons.Add(new RejectionReason(RejectionCode.UnknownCost, $"{device.Id} has no price, so the ${Show((double)maxCost)} cost limit cannot be checked", null, (double)maxCost));
                }
                else if (cost > (double)maxCost)
                {
                    reasons.Add(new RejectionReason(RejectionCode.ExceedsCost, $"costs ${Show(cost)} per request, the limit is ${Show((double)maxCost)}", cost, (double)maxCost));
                }
            }

            if (c.MaxEnergyJoules is { } maxEnergy)
            {
                if (p.EnergyJoules is not { } energy)
                {
                    reasons.Add(new RejectionReason(RejectionCode.UnknownEnergy, $"{device.Id} has no known power, so the {Show(maxEnergy)} J energy limit cannot be checked", null, maxEnergy));
                }
                else if (energy > maxEnergy)
                {
                    reasons.Add(new RejectionReason(RejectionCode.ExceedsEnergy, $"uses {Show(energy)} J per request, the limit is {Show(maxEnergy)} J", energy, maxEnergy));
                }
            }
        }

        figures = new Figures(quality, memory, flops, performance, estimated);
        return reasons.Count == 0 ? [] : [.. reasons];
    }

    /// <summary>
    /// The split with the most blocks on the device whose device share fits <paramref name="allowed"/> bytes and whose
    /// host share fits the host (the device share grows with the blocks, so a binary search finds it); the split with
    /// none on the device when even that is too large for the device, so the rejection names the numbers; or
    /// <see langword="null"/> when the host cannot hold the model at all.
    /// </summary>
    private static (PerformanceEstimate, MemoryEstimate, FlopEstimate)? LargestOffload(ModelSpec model, InferenceWorkload workload, DeviceProfile device, RuntimeProfile runtime, long allowed)
    {
        var layers = model.Architecture.Layers + model.Architecture.DecoderLayers;
        (PerformanceEstimate, MemoryEstimate, FlopEstimate) At(int n)
        {
            var p = ModelEstimator.EstimateAll(model, workload with { GpuLayers = n }, device, runtime, default, out var m, out var f);
            return (p, m, f);
        }

        bool Fits((PerformanceEstimate P, MemoryEstimate, FlopEstimate) e) => e.P.Offload is { } o && o.Device.TotalBytes <= allowed && o.HostFits;
        var none = At(0);
        if (!Fits(none))
        {
            return none.Item1.Offload is { HostFits: true } ? none : null;
        }

        int low = 0, high = layers - 1;
        var best = none;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            var e = At(mid);
            if (Fits(e))
            {
                (low, best) = (mid, e);
            }
            else
            {
                high = mid - 1;
            }
        }

        return best;
    }

    private static SelectionCandidate NewCandidate(SelectorState state, ModelSpec model, InferenceWorkload workload, DeviceProfile device, RuntimeProfile? runtime, in Figures f) =>
        new(model, workload.WeightPrecision, device, workload.Devices, state.Thresholds.Classify(model), f.Quality.Value, f.Quality.Assumption, f.Memory, f.Flops, f.Estimated ? f.Performance : null)
        {
            PublishedQuality = f.Quality.Published,
            QualityDeltaSource = f.Quality.DeltaSource,
            Runtime = runtime,
            Layout = workload.Layout,
        };

    /// <summary>Task and context, checked before any constraint: what the model can do at all.</summary>
    private static void Capability(ModelSpec model, InferenceWorkload workload, ModelTask? task, List<RejectionReason> reasons)
    {
        var a = model.Architecture;
        if (task is { } t && !model.Supports(t))
        {
            var serves = string.Join(", ", model.Tasks.Select(ModelTasks.ToName));
            reasons.Add(new RejectionReason(RejectionCode.UnsupportedTask, $"{model.Id} is {KindText(a.Kind)} that serves {serves}, not {ModelTasks.ToName(t)}", null, null));
        }
        else if (a.Kind == ModelKind.Encoder && workload.GeneratedTokens > 0)
        {
            reasons.Add(new RejectionReason(RejectionCode.UnsupportedTask, $"{model.Id} is an encoder and generates no tokens; the request generates {workload.GeneratedTokens}", workload.GeneratedTokens, 0));
        }

        var limit = model.ContextLength > 0 ? model.ContextLength : long.MaxValue;
        if (a.PositionEncoding == PositionEncoding.Learned && a.MaxPositions > 0)
        {
            limit = Math.Min(limit, a.MaxPositions);
        }

        if (workload.TotalTokens > limit)
        {
            var parts = workload.GeneratedTokens > 0 ? $"{workload.InputTokens} prompt + {workload.GeneratedTokens} generated" : $"{workload.InputTokens} input";
            reasons.Add(new RejectionReason(RejectionCode.ExceedsContext, $"needs {workload.TotalTokens} tokens of context ({parts}); {model.Id} serves {limit}", workload.TotalTokens, limit));
        }
    }

    private static string KindText(ModelKind kind) => kind switch
    {
        ModelKind.Encoder => "an encoder",
        ModelKind.Decoder => "a decoder",
        _ => "an encoder-decoder",
    };

    /// <summary>The score that ranks a candidate: a comparable published score with the format's delta applied, or none and why.</summary>
    private static QualityFigure Quality(EvaluationContext context, ModelSpec model, NumericPrecision precision)
    {
        var (state, request, _, benchmark, _, overrides, noScore) = context;
        if (benchmark is null)
        {
            return new QualityFigure(null, null, null, "no task or benchmark named, so no score compares the candidates: ranked by parameter count as a proxy for quality");
        }

        if (!model.QualityScores.TryGetValue(benchmark.Id, out var score))
        {
            return new QualityFigure(null, null, null, noScore);
        }

        var related = score.Checkpoint is { } checkpoint ? $"the {benchmark.Id} score of {checkpoint}" : null;
        if (related is not null && !request.UseScoresOfRelatedCheckpoints)
        {
            return new QualityFigure(null, null, null, $"{model.Id} has a published {benchmark.Id} score only for a related checkpoint ({score.Checkpoint}), not for itself; set UseScoresOfRelatedCheckpoints to let it stand in");
        }

        var published = $"{(related is null ? "published" : "stand-in: " + related + ",")} {benchmark.Id} {Show(score.Value)} ({score.Source})";
        if (Override(overrides, model, precision) is { } delta)
        {
            var sign = delta >= 0 ? "+" : "−";
            return new QualityFigure(score.Value + delta, score.Value, "the caller's QualityDeltas", $"{published} {sign} {Show(Math.Abs(delta))} for {precision.Name} (caller's delta)");
        }

        var format = state.Deltas.For(precision);
        if (format.IsLossless)
        {
            return new QualityFigure(score.Value, score.Value, null, published);
        }

        var adjusted = format.Apply(score.Value, benchmark);
        var how = benchmark.Scale == BenchmarkScale.Perplexity ? $"perplexity × {Show(format.PerplexityRatio)}" : $"retains {Show(format.Retention * 100)} %";
        return new QualityFigure(adjusted, score.Value, format.Source, $"{published}; {Show(adjusted)} at {precision.Name}, which {how} (built-in quality delta)");
    }

    /// <summary>The caller's delta for this model and format: <c>model@format</c> first, then <c>format</c>.</summary>
    private static double? Override(Dictionary<string, double> overrides, ModelSpec model, NumericPrecision precision) =>
        overrides.Count == 0 ? null
        : overrides.TryGetValue($"{model.Id}@{precision.Name}", out var byModel) ? byModel
        : overrides.TryGetValue(precision.Name, out var byFormat) ? byFormat
        : null;

    private static void Limit(List<RejectionReason> reasons, RejectionCode code, string verb, string what, double? actual, double? limit)
    {
        if (actual is { } a && limit is { } l && a > l)
        {
            reasons.Add(new RejectionReason(code, $"{verb} {Seconds(a)} {what}, the limit is {Seconds(l)}", a, l));
        }
    }

    private static double Overshoot(ImmutableArray<RejectionReason> reasons) =>
        reasons.Sum(r => r.Required is { } required && r.Limit is { } limit && limit != 0 ? Math.Abs(required - limit) / Math.Abs(limit) : 1.0);

    /// <summary>
    /// What bound the choice and the candidate it turned away: the best candidate by the objective alone that the
    /// constraints rejected (with no choice, the most frequent code). Capability (task, context) is what a model is,
    /// not a constraint of the request, so it never binds.
    /// </summary>
    internal static (RejectionCode? Code, RejectedCandidate? Example) Binding(SelectionCandidate? choice, bool bestEffort, List<RejectedCandidate> rejected, CandidateOrder order)
    {
        var constrained = rejected.Where(r => !HasCapabilityReason(r.Reasons)).ToList();
        if (choice is null || bestEffort)
        {
            var pool = constrained.Count > 0 ? constrained : rejected;
            return pool.Count == 0 ? (null, null) : (pool.SelectMany(r => r.Reasons).GroupBy(r => r.Code).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key, null);
        }

        // One linear pass for the best rejected candidate that beats the choice by the objective (not a second sort).
        RejectedCandidate? better = null;
        foreach (var r in constrained)
        {
            if (order.CompareByObjective(r.Candidate, choice) < 0 && (better is null || order.Compare(r.Candidate, better.Candidate) < 0))
            {
                better = r;
            }
        }

        return (better?.Reasons[0].Code, better);
    }

    internal static RankingBasis RankedBy(SelectionRequest request, SelectionCandidate? choice)
    {
        if (choice is null)
        {
            return RankingBasis.None;
        }

        if (request.Policy is not null)
        {
            return RankingBasis.Policy;
        }

        var proxy = choice.Quality is null ? RankingBasis.ParameterProxy : RankingBasis.Score;
        return request.Objective switch
        {
            SelectionObjective.Latency => RankingBasis.Latency,
            SelectionObjective.Cost => choice.Performance?.CostUsd is null ? RankingBasis.TieBreaks : RankingBasis.Cost,
            SelectionObjective.Energy => choice.Performance?.EnergyJoules is null ? RankingBasis.TieBreaks : RankingBasis.Energy,
            SelectionObjective.Smallest => RankingBasis.Size,
            _ => proxy,
        };
    }

    internal static string Explain(SelectionRequest request, Benchmark? benchmark, SelectionCandidate? choice, bool bestEffort, ImmutableArray<RejectionReason> violations, int feasible, int unscoredFeasible, List<RejectedCandidate> rejected, RejectionCode? binding, RejectedCandidate? example, RankingBasis rankedBy, ModelTask? task)
    {
        var total = feasible + rejected.Count;
        var taskText = task is { } t ? $" for {ModelTasks.ToName(t)}" : string.Empty;
        if (choice is null)
        {
            return $"No candidate satisfies the request{taskText}: all {total} were rejected, most often for {binding} ({string.Join("; ", rejected.Take(3).Select(r => $"{r.Candidate.Key}: {r.Reasons[0].Message}"))}).";
        }

        var p = choice.Performance;
        var facts = p is { } perf
            ? $"{UnitConversions.FormatBytes(choice.Memory.TotalBytes)} per device, {Seconds(perf.LatencySeconds)} end to end ({perf.Bound.ToString().ToLowerInvariant()}-bound)"
            : UnitConversions.FormatBytes(choice.Memory.TotalBytes) + " per device";
        var quality = choice.Quality is { } q && benchmark is not null ? $", {benchmark.Id} {Show(q)}" : string.Empty;
        if (bestEffort)
        {
            return $"Best effort: no candidate satisfies the constraints{taskText}, so {choice.Key} ({choice.SizeClass.ToString().ToLowerInvariant()}, {choice.Model.Parameters.ToString("G", CultureInfo.InvariantCulture)} parameters{quality}) is returned as the nearest, violating {string.Join("; ", violations.Select(v => $"{v.Code}: {v.Message}"))}.";
        }

        var bound = binding is { } code && example is not null
            ? $" The binding constraint was {code}: {example.Candidate.Key} would rank higher but {example.Reasons[0].Message}."
            : " No constraint was binding: the best candidate by the objective is feasible.";
        var capable = rejected.Count(r => HasCapabilityReason(r.Reasons));
        var incapable = capable > 0 ? $" {capable} could not serve the task or its context." : string.Empty;
        var unscored = rankedBy == RankingBasis.Score && unscoredFeasible is > 0 and var n
            ? $" {n} feasible without a comparable {benchmark!.Id} score ranked after the scored ones, by parameter count."
            : string.Empty;
        return $"Chose {choice.Key} ({choice.SizeClass.ToString().ToLowerInvariant()} model, {choice.Model.Parameters.ToString("G", CultureInfo.InvariantCulture)} parameters{quality}; {facts}){taskText} by {BasisText(rankedBy, benchmark, request.Objective)}, the best of {feasible} feasible of {total} candidates.{unscored}{incapable}{bound}";
    }

    /// <summary>What ordered the candidates, in words that name only figures known for them.</summary>
    private static string BasisText(RankingBasis basis, Benchmark? benchmark, SelectionObjective objective)
    {
        var proxyWhy = benchmark is null
            ? "no task or benchmark was named, so no score compares them"
            : $"no feasible candidate has a comparable {benchmark.Id} score";
        return basis switch
        {
            RankingBasis.Score => $"highest {benchmark!.Id} ({(benchmark.HigherIsBetter ? string.Empty : "lower is better, ")}after each format's quality delta)",
            RankingBasis.ParameterProxy => $"parameter count as a proxy for quality ({proxyWhy}; larger models of a family reach lower loss, Kaplan et al. 2020, Hoffmann et al. 2022)",
            RankingBasis.Latency => "lowest latency",
            RankingBasis.Cost => "lowest cost",
            RankingBasis.Energy => "lowest energy",
            RankingBasis.Size => "smallest model",
            RankingBasis.Policy => "a custom policy",
            _ => objective == SelectionObjective.Cost
                ? "the tie-breaks (quality or its parameter-count proxy, then latency), because cost is unknown for every feasible candidate: no device among them has a price"
                : "the tie-breaks (quality or its parameter-count proxy, then latency), because energy is unknown for every feasible candidate: no device among them has a known power",
        };
    }

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds < 1 ? (seconds * 1e3).ToString("0.###", CultureInfo.InvariantCulture) + " ms" : seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>One precision on one device at one device count and layout: the workload, the default runtime per model kind (indexed by <see cref="ModelKind"/>; empty when the request names runtimes), and the ordinal ranks of the device and precision.</summary>
    private sealed record Slot(InferenceWorkload Workload, DeviceProfile Device, RuntimeProfile?[] Defaults, int DeviceRank, int PrecisionRank);

    /// <summary>
    /// Builds a feasible candidate the ranked list kept as one number, ((model × slots) + slot) × runtimes + runtime (the
    /// runtime among the request's, 0 for the slot's default): the same evaluation again, so the same figures.
    /// </summary>
    private static SelectionCandidate Build(EvaluationContext context, ModelSpec[] models, List<Slot> slots, RuntimeProfile[] runtimes, int pair)
    {
        var perSlot = Math.Max(runtimes.Length, 1);
        var (modelAndSlot, runtimeIndex) = Math.DivRem(pair, perSlot);
        var (modelIndex, slotIndex) = Math.DivRem(modelAndSlot, slots.Count);
        var model = models[modelIndex];
        var slot = slots[slotIndex];
        var runtime = runtimes.Length == 0 ? slot.Defaults[(int)model.Architecture.Kind] : runtimes[runtimeIndex];
        Evaluate(context, slot.Workload, model, slot.Device, runtime, [], out var figures);
        return NewCandidate(context.State, model, slot.Workload, slot.Device, runtime, figures);
    }

    /// <summary>One candidate's figures as <see cref="Evaluate"/> leaves them: its quality, memory, FLOPs and (when <see cref="Estimated"/>) performance.</summary>
    private readonly record struct Figures(QualityFigure Quality, MemoryEstimate Memory, FlopEstimate Flops, PerformanceEstimate Performance, bool Estimated);

    private readonly record struct QualityFigure(double? Value, double? Published, string? DeltaSource, string Assumption);

    /// <summary>What every candidate of one selection shares, resolved once: the overrides by canonical key, and the one "no score" message (no message is built per candidate).</summary>
    private sealed record EvaluationContext(SelectorState State, SelectionRequest Request, ModelTask? Task, Benchmark? Benchmark, bool ExplicitBenchmark, Dictionary<string, double> Overrides, string NoScore);

    private sealed record SelectorState(ModelCatalog Models, DeviceCatalog Devices, SizeClassThresholds Thresholds, BenchmarkRegistry Benchmarks, FormatQualityDeltas Deltas, RuntimeCatalog Runtimes)
    {
        /// <summary>Gets the ordinal rank of each runtime's id in the catalog, plus one (0 is "no runtime", which sorts first); built once per catalog, not per selection.</summary>
        public Dictionary<RuntimeProfile, int> RuntimeRanks { get; } = RanksOf(Runtimes);

        private static Dictionary<RuntimeProfile, int> RanksOf(RuntimeCatalog runtimes)
        {
            var ranks = OrdinalRanks(runtimes.Runtimes, r => r.Id);
            var byProfile = new Dictionary<RuntimeProfile, int>(ReferenceEqualityComparer.Instance);
            for (var i = 0; i < ranks.Length; i++)
            {
                byProfile[runtimes.Runtimes[i]] = ranks[i] + 1;
            }

            return byProfile;
        }
    }
}
