using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Selection;

namespace ModelSelection;

/// <summary>
/// The default <see cref="IModelSelector"/>: expands candidates × precisions × devices (× device counts), estimates
/// each, records every violated constraint, ranks the feasible ones by the objective under a total order, and
/// explains the decision.
/// </summary>
/// <remarks>
/// Works with or without dependency injection (<c>new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn)</c>).
/// Logs the decision at Information and each candidate at Debug; counts selections on the <c>ModelSelection</c> meter.
/// Thread-safe: the catalogs are immutable and swapped atomically when options change.
/// </remarks>
public sealed class ModelSelector : IModelSelector
{
    private readonly ILocalDeviceProbe _probe;
    private readonly ILogger _logger;
    private volatile SelectorState _state;

    /// <summary>Creates a selector over catalogs.</summary>
    /// <param name="models">The model catalog candidates are looked up in.</param>
    /// <param name="devices">The device catalog devices are looked up in.</param>
    /// <param name="thresholds">Size-class thresholds; <see langword="null"/> for <see cref="SizeClassThresholds.Default"/>.</param>
    /// <param name="probe">The probe for the device id <c>local</c>; <see langword="null"/> for <see cref="LocalDeviceProbe.Default"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="models"/> or <paramref name="devices"/> is <see langword="null"/>.</exception>
    public ModelSelector(ModelCatalog models, DeviceCatalog devices, SizeClassThresholds? thresholds = null, ILocalDeviceProbe? probe = null, ILogger<ModelSelector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(devices);
        _state = new SelectorState(models, devices, thresholds ?? SizeClassThresholds.Default);
        _probe = probe ?? LocalDeviceProbe.Default;
        _logger = logger ?? NullLogger<ModelSelector>.Instance;
    }

    /// <summary>Gets the catalogs and thresholds in force.</summary>
    public ModelCatalog Models => _state.Models;

    /// <summary>Gets the device catalog in force.</summary>
    public DeviceCatalog Devices => _state.Devices;

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

        return Choose(request);
    }

    /// <inheritdoc/>
    public SelectionResult Choose(SelectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var state = _state;
        var models = ResolveModels(state, request);
        var devices = ResolveDevices(state, request);
        var precisions = request.Precisions.Count > 0 ? request.Precisions.Distinct().ToArray() : [request.Workload.WeightPrecision];
        // No inferred benchmark: a benchmark chosen from the candidate set would make the choice depend on which
        // other candidates were offered (independence of irrelevant alternatives).
        var benchmark = request.Constraints.QualityBenchmark;
        var order = new CandidateOrder(request.Objective, request.Policy);

        var feasible = new List<SelectionCandidate>();
        var rejected = new List<RejectedCandidate>();
        var scratch = new List<RejectionReason>();
        foreach (var precision in precisions)
        {
            foreach (var device in devices)
            {
                foreach (var count in DeviceCounts(device, request.Constraints.MaxDeviceCount))
                {
                    var workload = request.Workload with { WeightPrecision = precision, Devices = count };
                    foreach (var model in models)
                    {
                        var (candidate, reasons) = Evaluate(state, request, workload, model, device, benchmark, scratch);
                        if (reasons.IsEmpty)
                        {
                            feasible.Add(candidate);
                        }
                        else
                        {
                            rejected.Add(new RejectedCandidate(candidate, reasons));
                        }

                        if (_logger.IsEnabled(LogLevel.Debug))
                        {
                            SelectionLog.Candidate(_logger, candidate.Key, reasons.IsEmpty ? "feasible" : string.Join("; ", reasons.Select(r => r.Message)));
                        }
                    }
                }
            }
        }

        feasible.Sort(order);
        rejected.Sort((a, b) => order.Compare(a.Candidate, b.Candidate));
        SelectionCandidate? choice = feasible.Count > 0 ? feasible[0] : null;
        var bestEffort = false;
        var violations = ImmutableArray<RejectionReason>.Empty;
        if (choice is null && request.NoFit == NoFitBehavior.BestEffort && rejected.Count > 0)
        {
            var nearest = rejected.OrderBy(r => r.Reasons.Length).ThenBy(r => Overshoot(r.Reasons)).ThenBy(r => r.Candidate, order).First();
            choice = nearest.Candidate;
            violations = nearest.Reasons;
            bestEffort = true;
        }

        var binding = BindingConstraint(choice, bestEffort, rejected, order);
        var explanation = Explain(request, benchmark, choice, bestEffort, violations, feasible.Count, rejected, binding);
        var result = new SelectionResult(choice, bestEffort, violations, [.. feasible], [.. rejected], request.Policy is null ? request.Objective : SelectionObjective.Quality, benchmark, binding, explanation);

        var outcome = choice is null ? "none" : bestEffort ? "best-effort" : "chosen";
        SelectionMetrics.Selections.Add(1);
        SelectionMetrics.Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        SelectionMetrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        SelectionLog.Decision(_logger, outcome, explanation);
        return result;
    }

    /// <summary>Replaces the catalogs atomically (options reload); selections in flight keep the state they started with.</summary>
    internal void Swap(ModelCatalog models, DeviceCatalog devices, SizeClassThresholds thresholds) =>
        _state = new SelectorState(models, devices, thresholds);

    private static bool IsLocal(string id) => string.Equals(id, DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase);

    private static List<ModelSpec> ResolveModels(SelectorState state, SelectionRequest request)
    {
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

    private static IEnumerable<int> DeviceCounts(DeviceProfile device, int max)
    {
        yield return 1;
        if (device.InterconnectBandwidthBytesPerSecond is null)
        {
            yield break;
        }

        for (var count = 2; count <= max; count *= 2)
        {
            yield return count;
        }
    }

    private static (SelectionCandidate Candidate, ImmutableArray<RejectionReason> Reasons) Evaluate(
        SelectorState state, SelectionRequest request, InferenceWorkload workload, ModelSpec model, DeviceProfile device, string? benchmark, List<RejectionReason> reasons)
    {
        var c = request.Constraints;
        var precision = workload.WeightPrecision;
        var count = workload.Devices;
        MemoryEstimate memory;
        FlopEstimate flops;
        PerformanceEstimate? performance = null;
        var supported = device.PeakFlops.Resolve(precision) is not null;
        if (supported)
        {
            performance = ModelEstimator.EstimateAll(model, workload, device, default, out memory, out flops);
        }
        else
        {
            memory = ModelEstimator.EstimateMemory(model, workload, device);
            flops = ModelEstimator.EstimateFlops(model, workload);
        }

        double? quality = null;
        var assumption = benchmark is null ? "no benchmark named" : $"{model.Id} has no published {benchmark} score";
        if (benchmark is not null && model.QualityScores.TryGetValue(benchmark, out var score))
        {
            if (request.QualityDeltas.TryGetValue(precision.Name, out var delta))
            {
                quality = score.Value + delta;
                assumption = $"published {benchmark} {Show(score.Value)} ({score.Source}) {(delta >= 0 ? "+" : "−")} {Show(Math.Abs(delta))} for {precision.Name} (caller's delta)";
            }
            else
            {
                quality = score.Value;
                assumption = precision.BitsPerWeight < 16
                    ? $"published {benchmark} {Show(score.Value)} ({score.Source}) kept at {precision.Name}: no quality delta supplied for this format"
                    : $"published {benchmark} {Show(score.Value)} ({score.Source})";
            }
        }

        var candidate = new SelectionCandidate(model, precision, device, count, state.Thresholds.Classify(model), quality, assumption, memory, flops, performance);
        reasons.Clear();
        var allowed = (long)Math.Floor(device.UsableMemoryBytes * (1 - c.MemoryHeadroomFraction));
        if (c.MaxMemoryBytes is { } cap && cap < allowed)
        {
            allowed = cap;
        }

        if (memory.TotalBytes > allowed)
        {
            var headroom = c.MemoryHeadroomFraction > 0 ? $" after keeping {Show(c.MemoryHeadroomFraction * 100)} % free" : string.Empty;
            var what = c.MaxMemoryBytes is { } m && m == allowed ? "the request allows" : $"the device has{headroom}";
            reasons.Add(new RejectionReason(RejectionCode.ExceedsMemory, $"needs {UnitConversions.FormatBytes(memory.TotalBytes)} per device, {what} {UnitConversions.FormatBytes(allowed)} usable", memory.TotalBytes, allowed));
        }

        if (!supported)
        {
            var peaks = device.PeakFlops;
            var available = string.Join(", ", new[] { ("fp32", peaks.Fp32), ("tf32", peaks.Tf32), ("fp16", peaks.Fp16), ("bf16", peaks.Bf16), ("fp8", peaks.Fp8), ("int8", peaks.Int8), ("int4", peaks.Int4) }.Where(p => p.Item2 is not null).Select(p => p.Item1));
            reasons.Add(new RejectionReason(RejectionCode.UnsupportedPrecision, $"{precision.Name} computes in {precision.ComputePrecision.Name}; {device.Id} computes only {available}", null, null));
        }

        if (benchmark is not null && (c.MinQuality is not null || c.QualityBenchmark is not null) && quality is null)
        {
            reasons.Add(new RejectionReason(RejectionCode.MissingQualityScore, $"{model.Id} has no published {benchmark} score", null, c.MinQuality));
        }
        else if (c.MinQuality is { } floor && quality is { } q && q < floor)
        {
            reasons.Add(new RejectionReason(RejectionCode.BelowQualityFloor, $"scores {Show(q)} on {benchmark}, the floor is {Show(floor)}", q, floor));
        }

        if (performance is { } p)
        {
            Limit(reasons, RejectionCode.ExceedsLatency, "takes", "end to end", p.LatencySeconds, c.MaxLatencySeconds);
            Limit(reasons, RejectionCode.ExceedsTimeToFirstToken, "takes", "to the first token", p.TimeToFirstTokenSeconds, c.MaxTimeToFirstTokenSeconds);
            Limit(reasons, RejectionCode.ExceedsTimePerOutputToken, "takes", "per output token", p.TimePerOutputTokenSeconds, c.MaxTimePerOutputTokenSeconds);
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

        return (candidate, reasons.Count == 0 ? [] : [.. reasons]);
    }

    private static void Limit(List<RejectionReason> reasons, RejectionCode code, string verb, string what, double? actual, double? limit)
    {
        if (actual is { } a && limit is { } l && a > l)
        {
            reasons.Add(new RejectionReason(code, $"{verb} {Seconds(a)} {what}, the limit is {Seconds(l)}", a, l));
        }
    }

    private static double Overshoot(ImmutableArray<RejectionReason> reasons) =>
        reasons.Sum(r => r.Required is { } required && r.Limit is { } limit && limit != 0 ? Math.Abs(required - limit) / Math.Abs(limit) : 1.0);

    internal static RejectionCode? BindingConstraint(SelectionCandidate? choice, bool bestEffort, List<RejectedCandidate> rejected, CandidateOrder order)
    {
        if (rejected.Count == 0)
        {
            return null;
        }

        if (choice is null || bestEffort)
        {
            return rejected.SelectMany(r => r.Reasons).GroupBy(r => r.Code).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        }

        // The best candidate by the objective alone that the constraints turned away is what bound the choice.
        var better = rejected.Where(r => order.CompareByObjective(r.Candidate, choice) < 0).Select(r => r.Candidate).OrderBy(c => c, order).FirstOrDefault();
        return better is null ? null : rejected.First(r => ReferenceEquals(r.Candidate, better)).Reasons[0].Code;
    }

    internal static string Explain(SelectionRequest request, string? benchmark, SelectionCandidate? choice, bool bestEffort, ImmutableArray<RejectionReason> violations, int feasible, List<RejectedCandidate> rejected, RejectionCode? binding)
    {
        var total = feasible + rejected.Count;
        var objective = request.Policy is null ? ObjectiveText(request.Objective, benchmark) : "a custom policy";
        if (choice is null)
        {
            return $"No candidate satisfies the constraints: all {total} were rejected, most often for {binding} ({string.Join("; ", rejected.Take(3).Select(r => $"{r.Candidate.Key}: {r.Reasons[0].Message}"))}).";
        }

        var p = choice.Performance;
        var facts = p is { } perf
            ? $"{UnitConversions.FormatBytes(choice.Memory.TotalBytes)} per device, {Seconds(perf.LatencySeconds)} end to end ({perf.Bound.ToString().ToLowerInvariant()}-bound)"
            : UnitConversions.FormatBytes(choice.Memory.TotalBytes) + " per device";
        var quality = choice.Quality is { } q ? $", {benchmark} {Show(q)}" : string.Empty;
        if (bestEffort)
        {
            return $"Best effort: no candidate satisfies the constraints, so {choice.Key} ({choice.SizeClass.ToString().ToLowerInvariant()}, {choice.Model.Parameters.ToString("G", CultureInfo.InvariantCulture)} parameters{quality}) is returned as the nearest, violating {string.Join("; ", violations.Select(v => $"{v.Code}: {v.Message}"))}.";
        }

        var bound = binding is { } code
            ? $" The binding constraint was {code}: {rejected.First(r => r.Reasons[0].Code == code && true).Candidate.Key} would rank higher but {rejected.First(r => r.Reasons[0].Code == code).Reasons[0].Message}."
            : " No constraint was binding: the best candidate by the objective is feasible.";
        return $"Chose {choice.Key} ({choice.SizeClass.ToString().ToLowerInvariant()} model, {choice.Model.Parameters.ToString("G", CultureInfo.InvariantCulture)} parameters{quality}; {facts}) by {objective}, the best of {feasible} feasible of {total} candidates.{bound}";
    }

    private static string ObjectiveText(SelectionObjective objective, string? benchmark) => objective switch
    {
        SelectionObjective.Latency => "lowest latency",
        SelectionObjective.Cost => "lowest cost",
        SelectionObjective.Energy => "lowest energy",
        SelectionObjective.Smallest => "smallest model",
        _ => benchmark is null ? "quality" : $"highest {benchmark}",
    };

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds < 1 ? (seconds * 1e3).ToString("0.###", CultureInfo.InvariantCulture) + " ms" : seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private sealed record SelectorState(ModelCatalog Models, DeviceCatalog Devices, SizeClassThresholds Thresholds);
}
