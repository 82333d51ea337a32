using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Quality;
using ModelSelection.Selection;

namespace ModelSelection.Planning;

/// <summary>
/// Plans fine-tuning: for each candidate the training memory per device, whether it fits, the FLOPs, the time at the
/// stated utilisation, the cost and the energy; then chooses the best candidate whose fine-tuning fits the memory, the
/// time and the money — the same result shape as inference selection.
/// </summary>
/// <remarks>
/// FLOPs: full fine-tuning costs forward + backward = 3 × the forward FLOPs of every token seen (≈ 6·N·D, N all
/// parameters); LoRA and QLoRA cost 2 × forward (≈ 4·N·D: activations still flow back through the frozen weights, but
/// weight gradients exist only for the adapters, whose share is negligible); full activation recomputation adds one
/// forward. D = unique tokens × epochs. Time = FLOPs ÷ (devices × 16-bit peak × utilisation), or with a
/// <see cref="FineTuningRequest.Runtime"/> the step model's tokens per second (fitted MFU, exposed communication). Thread-safe.
/// </remarks>
public static class FineTuningPlanner
{
    /// <summary>Plans and chooses.</summary>
    /// <param name="request">The question.</param>
    /// <param name="catalog">The catalog candidate ids are looked up in; <see langword="null"/> for the built-in one.</param>
    /// <returns>The choice, the ranked feasible candidates and every rejection with its reasons; each candidate's <see cref="SelectionCandidate.Performance"/> holds the training time as its latency, its cost and energy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A model id or the benchmark is unknown, no candidate is named, or the runtime does not run on the device.</exception>
    public static SelectionResult Plan(FineTuningRequest request, ModelCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        catalog ??= ModelCatalog.BuiltIn;
        var models = request.CandidateIds.Select(catalog.Get).Concat(request.Models).DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase).ToList();
        if (models.Count == 0)
        {
            throw new ArgumentException("A fine-tuning plan needs at least one candidate: set CandidateIds or Models.", nameof(request));
        }

        var device = request.Device;
        var resolution = device.PeakFlops.Resolve(NumericPrecision.Bf16);
        if (request.Runtime is { } framework && !framework.RunsOn(request.Device))
        {
            throw new ArgumentException($"Runtime '{framework.Id}' does not run on {request.Device.Id}; it runs on {string.Join(", ", framework.Classes.Select(DeviceClasses.ToName))}.", nameof(request));
        }

        var training = request.Training with { DataParallel = request.DeviceCount };
        var tokens = request.Dataset.Tokens * request.Epochs;
        var benchmark = request.Benchmark is { } id ? BenchmarkRegistry.BuiltIn.Get(id) : null;
        var order = new CandidateOrder(request.Objective, null, benchmark, FormatQualityDeltas.BuiltIn);
        var feasible = new List<SelectionCandidate>();
        var rejected = new List<RejectedCandidate>();
        foreach (var model in models)
        {
            MemoryEstimate memory;
            try
            {
                memory = ModelEstimator.EstimateTrainingMemory(model, training, device);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                // Past what an estimate holds (2^63 bytes): a rejection with its reason, never an exception out of the plan.
                var empty = new SelectionCandidate(model, NumericPrecision.Bf16, device, request.DeviceCount, SizeClassThresholds.Default.Classify(model), null, "not estimated", default, default, null);
                rejected.Add(new RejectedCandidate(empty, [new RejectionReason(RejectionCode.ExceedsMemory, "needs more memory to train than an estimate can hold: " + exception.Message.Split(" (Parameter")[0], long.MaxValue, device.UsableMemoryBytes)]));
                continue;
            }

            var forward = ModelEstimator.EstimateFlops(model, new InferenceWorkload { InputTokens = training.SequenceLength });
            var perToken = forward.Forward.Flops / training.SequenceLength;
            var flops = FlopCount.FromFlops(ModelEstimator.TrainingPasses(training) * perToken * tokens);
            var reasons = new List<RejectionReason>();
            PerformanceEstimate? performance = null;
            if (resolution is { } r)
            {
                // With a runtime, the step model: its fitted MFU and the gradient all-reduce it cannot hide; otherwise
                // the flat utilisation of the peak.
                var seconds = request.Runtime is { } engine
                    ? tokens / (ModelEstimator.EstimateTrainingStep(model, training, device, engine).TokensPerSecondPerDevice * request.DeviceCount)
                    : flops.Flops / (request.DeviceCount * r.Peak.FlopsPerSecond * request.Utilization);
                double? cost = device.PricePerHourUsd is { } price ? seconds / 3600 * request.DeviceCount * (double)price : null;
                double? energy = device.PowerWatts is { } watts ? watts * request.DeviceCount * seconds : null;
                var free = device.UsableMemoryBytes - memory.TotalBytes;
                performance = new PerformanceEstimate(free >= 0, free, r.Compute, r.FellBack, seconds, null, null, PerformanceBound.Compute, null, PerformanceBound.Compute, tokens / seconds, 0, energy, cost, cost is { } c ? c / tokens * 1e6 : null);
                if (request.MaxHours is { } maxHours && seconds / 3600 > maxHours)
                {
                    reasons.Add(new RejectionReason(RejectionCode.ExceedsTime, $"takes {Show(seconds / 3600)} h, the limit is {Show(maxHours)} h", seconds / 3600, maxHours));
                }

                if (request.MaxCostUsd is { } maxCost)
                {
                    if (cost is not { } dollars)
                    {
                        reasons.Add(new RejectionReason(RejectionCode.UnknownCost, $"{device.Id} has no price, so the ${Show((double)maxCost)} limit cannot be checked", null, (double)maxCost));
                    }
                    else if (dollars > (double)maxCost)
                    {
                        reasons.Add(new RejectionReason(RejectionCode.ExceedsCost, $"costs ${Show(dollars)}, the limit is ${Show((double)maxCost)}", dollars, (double)maxCost));
                    }
                }
            }
            else
            {
                reasons.Add(new RejectionReason(RejectionCode.UnsupportedPrecision, $"{device.Id} has no 16-bit or fp32 compute path for training", null, null));
            }

            if (memory.TotalBytes > device.UsableMemoryBytes)
            {
                reasons.Insert(0, new RejectionReason(RejectionCode.ExceedsMemory, $"needs {UnitConversions.FormatBytes(memory.TotalBytes)} per device to train, the device has {UnitConversions.FormatBytes(device.UsableMemoryBytes)} usable", memory.TotalBytes, device.UsableMemoryBytes));
            }

            double? quality = benchmark is not null && model.QualityScores.TryGetValue(benchmark.Id, out var score) && score.IsOwnCheckpoint ? score.Value : null;
            var assumption = benchmark is null ? "no benchmark named: ranked by parameter count as a proxy for quality" : quality is null ? $"{model.Id} has no published {benchmark.Id} score of its own" : $"published {benchmark.Id} {Show(quality.Value)} before fine-tuning";
            var candidate = new SelectionCandidate(model, NumericPrecision.Bf16, device, request.DeviceCount, SizeClassThresholds.Default.Classify(model), quality, assumption, memory,
                new FlopEstimate(forward.Forward, null, flops, default), performance);
            if (reasons.Count == 0)
            {
                feasible.Add(candidate);
            }
            else
            {
                rejected.Add(new RejectedCandidate(candidate, [.. reasons]));
            }
        }

        feasible.Sort(order);
        rejected.Sort((x, y) => order.Compare(x.Candidate, y.Candidate));
        var choice = feasible.Count > 0 ? feasible[0] : null;
        var (binding, example) = ModelSelector.Binding(choice, false, rejected, order);
        var selection = new SelectionRequest { Objective = request.Objective, Constraints = new SelectionConstraints { QualityBenchmark = request.Benchmark } };
        var rankedBy = ModelSelector.RankedBy(selection, choice);
        var explanation = "Fine-tuning: " + ModelSelector.Explain(selection, benchmark, choice, false, [], feasible.Count, feasible.Count(c => c.Quality is null), rejected, binding, example, rankedBy, null)
            .Replace(" end to end", " of training", StringComparison.Ordinal);
        return new SelectionResult(choice, false, [], [.. feasible], [.. rejected], request.Objective, benchmark?.Id, binding, explanation) { RankedBy = rankedBy };
    }

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
