using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Quality;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Selection;

/// <summary>The selector's invariants (DESIGN.md §5), each over 1,000 generated realistic questions.</summary>
public class ModelSelectorPropertyTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);

    /// <summary>The benchmark a request ranks by: the named one, else its task's fixed default.</summary>
    private static Benchmark? BenchmarkOf(SelectionRequest request) =>
        request.Constraints.QualityBenchmark is { } id ? BenchmarkRegistry.BuiltIn.Get(id)
        : request.EffectiveTask is { } task ? BenchmarkRegistry.BuiltIn.DefaultFor(task) : null;

    /// <summary>The score a candidate should carry, stated independently: its own checkpoint's published score, times the format's retention (or perplexity ratio).</summary>
    private static double? ExpectedQuality(SelectionRequest request, SelectionCandidate c)
    {
        var benchmark = BenchmarkOf(request);
        if (benchmark is null || !c.Model.QualityScores.TryGetValue(benchmark.Id, out var s) || s.Checkpoint is not null)
        {
            return null;
        }

        var delta = FormatQualityDeltas.BuiltIn.For(c.Precision);
        return benchmark.Scale == BenchmarkScale.Perplexity ? s.Value * delta.PerplexityRatio
            : benchmark.HigherIsBetter ? s.Value * delta.Retention : s.Value / delta.Retention;
    }

    /// <summary>What the model cannot do at all: the task, or the context. A candidate rejected for that is checked for nothing else.</summary>
    private static HashSet<RejectionCode> CapabilityViolations(SelectionRequest request, SelectionCandidate c)
    {
        var codes = new HashSet<RejectionCode>();
        var a = c.Model.Architecture;
        var total = (long)request.Workload.InputTokens + request.Workload.GeneratedTokens;
        if ((request.EffectiveTask is { } task && !c.Model.Tasks.Contains(task)) || (a.Kind == ModelKind.Encoder && request.Workload.GeneratedTokens > 0))
        {
            codes.Add(RejectionCode.UnsupportedTask);
        }

        if ((c.Model.ContextLength > 0 && total > c.Model.ContextLength) || (a.PositionEncoding == PositionEncoding.Learned && a.MaxPositions > 0 && total > a.MaxPositions))
        {
            codes.Add(RejectionCode.ExceedsContext);
        }

        // The runtime: checked only when the model can serve the request at all.
        if (codes.Count == 0 && c.Runtime is { } r)
        {
            var vendorOk = r.Vendors.IsDefaultOrEmpty || r.Vendors.Contains(c.Device.Vendor);
            var layoutOk = c.DeviceCount == 1 || c.Layout == DeviceLayout.Replicas || r.Layouts.Contains(c.Layout);
            if (!r.Efficiencies.ContainsKey(c.Device.Class) || !vendorOk || !r.Kinds.Contains(a.Kind))
            {
                codes.Add(RejectionCode.UnsupportedRuntime);
            }
            else if (!r.Formats.Contains(c.Precision))
            {
                codes.Add(RejectionCode.UnsupportedFormat);
            }
            else if (!layoutOk)
            {
                codes.Add(RejectionCode.UnsupportedRuntime);
            }
        }

        return codes;
    }

    /// <summary>An independent statement of the constraints: which codes a candidate violates.</summary>
    private static HashSet<RejectionCode> Violations(SelectionRequest request, SelectionCandidate c)
    {
        var capability = CapabilityViolations(request, c);
        if (capability.Count > 0)
        {
            return capability;
        }

        var k = request.Constraints;
        var codes = new HashSet<RejectionCode>();
        var usable = c.Runtime is { MaxMemoryFraction: < 1 } engine ? Math.Min(c.Device.UsableMemoryBytes, Math.Floor(c.Device.MemoryBytes * engine.MaxMemoryFraction)) : c.Device.UsableMemoryBytes;
        var allowed = Math.Floor(usable * (1 - k.MemoryHeadroomFraction));
        if (k.MaxMemoryBytes is { } cap)
        {
            allowed = Math.Min(allowed, cap);
        }

        var blockQuantized = c.Precision.Kind == NumericPrecisionKind.BlockQuantized || c.Precision.BitsPerWeight < 8;
        var computeIn = blockQuantized && c.Runtime is { } rt && rt.QuantizedComputePrecisions.TryGetValue(c.Device.Class, out var dequantized) ? dequantized : c.Precision;
        if (c.Device.PeakFlops.Resolve(computeIn) is null)
        {
            codes.Add(RejectionCode.UnsupportedPrecision);
        }

        var benchmark = BenchmarkOf(request);
        var score = ExpectedQuality(request, c);
        if (benchmark is not null && (k.MinQuality is not null || k.QualityBenchmark is not null) && score is null)
        {
            codes.Add(RejectionCode.MissingQualityScore);
        }
        else if (k.MinQuality is { } floor && score is { } q && (benchmark!.HigherIsBetter ? q < floor : q > floor))
        {
            codes.Add(RejectionCode.BelowQualityFloor);
        }

        if (c.Performance is { } p)
        {
            if (p.LatencySeconds > k.MaxLatency?.TotalSeconds) { codes.Add(RejectionCode.ExceedsLatency); }
            if (p.TimePerOutputTokenSeconds > k.MaxTimePerOutputToken?.TotalSeconds) { codes.Add(RejectionCode.ExceedsTimePerOutputToken); }
            if (k.MaxCostUsd is { } maxCost) { codes.Add(p.CostUsd is { } cost ? (cost > (double)maxCost ? RejectionCode.ExceedsCost : default) : RejectionCode.UnknownCost); }
            if (k.MaxEnergyJoules is { } maxEnergy) { codes.Add(p.EnergyJoules is { } e ? (e > maxEnergy ? RejectionCode.ExceedsEnergy : default) : RejectionCode.UnknownEnergy); }
        }

        codes.Remove(default); // ExceedsMemory is 0: re-check it rather than trust the placeholder
        if (c.Memory.TotalBytes > allowed)
        {
            codes.Add(RejectionCode.ExceedsMemory);
        }

        return codes;
    }

    /// <summary>
    /// The objective as a number, lower better: quality ranks comparable scores in the benchmark's direction, any
    /// score before none (offset 1e12), and unscored candidates by parameter count (the stated proxy).
    /// </summary>
    private static double? ObjectiveValue(SelectionRequest r, SelectionCandidate c) => r.Objective switch
    {
        SelectionObjective.Quality => c.Quality is { } q ? (BenchmarkOf(r)?.HigherIsBetter == false ? q : -q) : 1e12 - c.Model.Parameters.Count / 1e3,
        SelectionObjective.Latency => c.Performance?.LatencySeconds,
        SelectionObjective.Cost => c.Performance?.CostUsd,
        SelectionObjective.Energy => c.Performance?.EnergyJoules,
        _ => c.Model.Parameters.Count,
    };

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Soundness_the_choice_satisfies_every_constraint(SelectionRequest request)
    {
        var result = Selector.Select(request);
        if (result.Choice is { } choice && !result.BestEffort)
        {
            Assert.Empty(Violations(request, choice));
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Completeness_a_feasible_candidate_means_a_choice(SelectionRequest request)
    {
        var result = Selector.Select(request);
        var anyFeasible = result.Ranked.Concat(result.Rejected.Select(r => r.Candidate)).Any(c => Violations(request, c).Count == 0);
        Assert.Equal(anyFeasible, result.Choice is not null);
        Assert.Equal(anyFeasible, result.Ranked.Count > 0);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 500)]
    public void The_sort_on_precomputed_keys_is_the_comparers_total_order(SelectionRequest request)
    {
        // The selector sorts on keys built as candidates are evaluated; the comparer states the order once more. Every
        // adjacent pair of the ranked and of the rejected list must be in the comparer's order.
        var result = Selector.Select(request);
        var benchmark = result.Benchmark is { } id ? ModelSelection.Quality.BenchmarkRegistry.BuiltIn.Get(id) : null;
        var order = new ModelSelection.Selection.CandidateOrder(request.Objective, request.Policy, benchmark, ModelSelection.Quality.FormatQualityDeltas.BuiltIn);
        for (var i = 1; i < result.Ranked.Count; i++)
        {
            Assert.True(order.Compare(result.Ranked[i - 1], result.Ranked[i]) < 0, $"{result.Ranked[i - 1].Key} before {result.Ranked[i].Key}");
        }

        for (var i = 1; i < result.Rejected.Count; i++)
        {
            Assert.True(order.Compare(result.Rejected[i - 1].Candidate, result.Rejected[i].Candidate) < 0, $"{result.Rejected[i - 1].Candidate.Key} before {result.Rejected[i].Candidate.Key}");
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Optimality_no_feasible_candidate_beats_the_choice(SelectionRequest request)
    {
        var result = Selector.Select(request);
        if (result.Choice is not { } choice)
        {
            return;
        }

        var best = ObjectiveValue(request, choice);
        foreach (var other in result.Ranked)
        {
            var value = ObjectiveValue(request, other);
            Assert.True(best is null ? value is null : value is null || value >= best, $"{other.Key} ({value}) beats {choice.Key} ({best})");
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void The_result_never_depends_on_input_order_and_is_deterministic(SelectionRequest request)
    {
        var result = Selector.Select(request);
        var shuffled = Selector.Select(request with
        {
            CandidateIds = [.. request.CandidateIds.Reverse()],
            DeviceIds = [.. request.DeviceIds.Reverse()],
            Precisions = [.. request.Precisions.Reverse()],
        });
        var again = Selector.Select(request);
        Assert.Equal(result.Choice?.Key, shuffled.Choice?.Key);
        Assert.Equal(result.Ranked.Select(c => c.Key), shuffled.Ranked.Select(c => c.Key));
        Assert.Equal(result.Rejected.Select(c => c.Candidate.Key), shuffled.Rejected.Select(c => c.Candidate.Key));
        Assert.Equal(result.Explanation, again.Explanation);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Relaxing_any_constraint_never_removes_a_feasible_candidate(SelectionRequest request)
    {
        var feasible = Selector.Select(request).Ranked.Select(c => c.Key).ToHashSet();
        var k = request.Constraints;
        foreach (var relaxed in new[]
        {
            k with { MaxLatency = null }, k with { MaxTimePerOutputToken = null }, k with { MaxMemoryBytes = null },
            k with { MemoryHeadroomFraction = 0 }, k with { MinQuality = null }, k with { MaxCostUsd = null }, k with { MaxEnergyJoules = null },
        })
        {
            var after = Selector.Select(request with { Constraints = relaxed }).Ranked.Select(c => c.Key).ToHashSet();
            Assert.Subset(after, feasible);
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void More_usable_memory_never_lowers_the_chosen_quality(SelectionRequest request)
    {
        var quality = request with { Objective = SelectionObjective.Quality, Constraints = request.Constraints with { QualityBenchmark = request.Constraints.QualityBenchmark ?? "mmlu-5shot" } };
        var devices = quality.DeviceIds.Select(DeviceCatalog.BuiltIn.Get).ToList();
        var before = Selector.Select(quality with { DeviceIds = [], Devices = devices });
        var after = Selector.Select(quality with { DeviceIds = [], Devices = [.. devices.Select(d => d with { MemoryBytes = d.MemoryBytes * 2 })] });
        if (before.Choice?.Quality is { } q)
        {
            Assert.True(after.Choice?.Quality >= q, $"{before.Choice.Key} ({q}) → {after.Choice?.Key} ({after.Choice?.Quality})");
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Removing_a_non_chosen_candidate_keeps_the_choice(SelectionRequest request)
    {
        var result = Selector.Select(request);
        if (result.Choice is not { } choice)
        {
            return;
        }

        var other = request.CandidateIds.FirstOrDefault(id => !string.Equals(id, choice.Model.Id, StringComparison.OrdinalIgnoreCase));
        if (other is null)
        {
            return;
        }

        var reduced = Selector.Select(request with { CandidateIds = [.. request.CandidateIds.Where(id => id != other)] });
        Assert.Equal(choice.Key, reduced.Choice?.Key);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Every_rejection_lists_exactly_the_constraints_it_violates(SelectionRequest request)
    {
        var result = Selector.Select(request);
        foreach (var rejected in result.Rejected)
        {
            Assert.Equal(Violations(request, rejected.Candidate).Order(), rejected.Reasons.Select(r => r.Code).Order());
            Assert.All(rejected.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        }

        Assert.All(result.Ranked, c => Assert.Empty(Violations(request, c)));
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void The_explanation_names_the_choice_and_the_binding_constraint(SelectionRequest request)
    {
        var result = Selector.Select(request);
        if (result.Choice is { } choice)
        {
            Assert.Contains(choice.Model.Id, result.Explanation);
        }

        if (result.BindingConstraint is { } code)
        {
            Assert.Contains(code.ToString(), result.Explanation);
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void No_chosen_candidate_violates_its_task_or_context(SelectionRequest request)
    {
        var result = Selector.Select(request with { NoFit = NoFitBehavior.BestEffort });
        foreach (var candidate in result.Ranked.Append(result.Choice).OfType<SelectionCandidate>())
        {
            Assert.Empty(CapabilityViolations(request, candidate));
            if (request.EffectiveTask is { } task)
            {
                Assert.Contains(task, candidate.Model.Tasks);
            }
        }

        Assert.Equal(request.EffectiveTask, result.Task);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void The_explanation_never_names_an_objective_whose_figure_is_unknown(SelectionRequest request)
    {
        var result = Selector.Select(request);
        if (result.Choice is not { } choice || result.BestEffort)
        {
            return;
        }

        var text = result.Explanation;
        Assert.DoesNotContain("by quality", text, StringComparison.Ordinal);
        if (result.Ranked.All(c => c.Quality is null))
        {
            Assert.DoesNotContain(" by highest", text, StringComparison.Ordinal);
        }

        if (result.Ranked.All(c => c.Performance?.CostUsd is null))
        {
            Assert.DoesNotContain("by lowest cost", text, StringComparison.Ordinal);
        }

        if (result.Ranked.All(c => c.Performance?.EnergyJoules is null))
        {
            Assert.DoesNotContain("by lowest energy", text, StringComparison.Ordinal);
        }

        switch (result.RankedBy)
        {
            case RankingBasis.Score:
                Assert.NotNull(choice.Quality);
                Assert.Contains("by highest " + result.Benchmark, text, StringComparison.Ordinal);
                break;
            case RankingBasis.ParameterProxy:
                Assert.Null(choice.Quality);
                Assert.Contains("parameter count as a proxy for quality", text, StringComparison.Ordinal);
                break;
            case RankingBasis.Cost:
                Assert.NotNull(choice.Performance?.CostUsd);
                break;
            case RankingBasis.Energy:
                Assert.NotNull(choice.Performance?.EnergyJoules);
                break;
            case RankingBasis.TieBreaks:
                Assert.Contains("is unknown for every feasible candidate", text, StringComparison.Ordinal);
                break;
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Every_benchmark_id_is_known(SelectionRequest request)
    {
        var result = Selector.Select(request);
        if (result.Benchmark is { } id)
        {
            Assert.True(BenchmarkRegistry.BuiltIn.TryGet(id, out var benchmark));
            Assert.Equal(benchmark.Id, id);
        }

        foreach (var candidate in result.Ranked.Concat(result.Rejected.Select(r => r.Candidate)))
        {
            Assert.All(candidate.Model.QualityScores.Keys, key => Assert.True(BenchmarkRegistry.BuiltIn.TryGet(key, out _), key));
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void A_lossless_format_never_ranks_below_a_lossy_one_of_the_same_model(SelectionRequest request)
    {
        var quality = request with { Objective = SelectionObjective.Quality, Precisions = [.. request.Precisions, NumericPrecision.Fp16, NumericPrecision.GgufQ4KM] };
        var ranked = Selector.Select(quality).Ranked;
        for (var i = 0; i < ranked.Count; i++)
        {
            for (var j = i + 1; j < ranked.Count; j++)
            {
                var (better, worse) = (ranked[i], ranked[j]);
                var sameModel = better.Model.Id == worse.Model.Id && better.Device.Id == worse.Device.Id && better.DeviceCount == worse.DeviceCount;
                if (sameModel && FormatQualityDeltas.BuiltIn.For(worse.Precision).IsLossless)
                {
                    Assert.True(FormatQualityDeltas.BuiltIn.For(better.Precision).IsLossless, $"{better.Key} ranks above {worse.Key}");
                }
            }
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Quantised_candidates_score_below_their_published_score(SelectionRequest request)
    {
        var result = Selector.Select(request);
        foreach (var candidate in result.Ranked.Concat(result.Rejected.Select(r => r.Candidate)))
        {
            Assert.Equal(ExpectedQuality(request, candidate), candidate.Quality);
            if (candidate.Quality is { } q && candidate.PublishedQuality is { } published && !FormatQualityDeltas.BuiltIn.For(candidate.Precision).IsLossless)
            {
                var benchmark = BenchmarkOf(request)!;
                Assert.True(benchmark.HigherIsBetter ? q < published : q > published, candidate.Key);
            }
        }
    }
}
