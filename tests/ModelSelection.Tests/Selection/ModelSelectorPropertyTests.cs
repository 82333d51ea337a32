using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Selection;

/// <summary>The selector's invariants (DESIGN.md §5), each over 1,000 generated realistic questions.</summary>
public class ModelSelectorPropertyTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);

    /// <summary>An independent statement of the constraints: which codes a candidate violates.</summary>
    private static HashSet<RejectionCode> Violations(SelectionRequest request, SelectionCandidate c, string? benchmark)
    {
        var k = request.Constraints;
        var codes = new HashSet<RejectionCode>();
        var allowed = Math.Floor(c.Device.UsableMemoryBytes * (1 - k.MemoryHeadroomFraction));
        if (k.MaxMemoryBytes is { } cap)
        {
            allowed = Math.Min(allowed, cap);
        }

        if (c.Memory.TotalBytes > allowed)
        {
            codes.Add(RejectionCode.ExceedsMemory);
        }

        if (c.Device.PeakFlops.Resolve(c.Precision) is null)
        {
            codes.Add(RejectionCode.UnsupportedPrecision);
        }

        var score = benchmark is not null && c.Model.QualityScores.TryGetValue(benchmark, out var s) ? s.Value : (double?)null;
        if (benchmark is not null && (k.MinQuality is not null || k.QualityBenchmark is not null) && score is null)
        {
            codes.Add(RejectionCode.MissingQualityScore);
        }
        else if (k.MinQuality is { } floor && score < floor)
        {
            codes.Add(RejectionCode.BelowQualityFloor);
        }

        if (c.Performance is { } p)
        {
            if (p.LatencySeconds > k.MaxLatencySeconds) { codes.Add(RejectionCode.ExceedsLatency); }
            if (p.TimePerOutputTokenSeconds > k.MaxTimePerOutputTokenSeconds) { codes.Add(RejectionCode.ExceedsTimePerOutputToken); }
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

    private static double? ObjectiveValue(SelectionRequest r, SelectionCandidate c) => r.Objective switch
    {
        SelectionObjective.Quality => c.Quality is { } q ? -q : null,
        SelectionObjective.Latency => c.Performance?.LatencySeconds,
        SelectionObjective.Cost => c.Performance?.CostUsd,
        SelectionObjective.Energy => c.Performance?.EnergyJoules,
        _ => c.Model.Parameters.Count,
    };

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Soundness_the_choice_satisfies_every_constraint(SelectionRequest request)
    {
        var result = Selector.Choose(request);
        if (result.Choice is { } choice && !result.BestEffort)
        {
            Assert.Empty(Violations(request, choice, result.Benchmark));
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Completeness_a_feasible_candidate_means_a_choice(SelectionRequest request)
    {
        var result = Selector.Choose(request);
        var anyFeasible = result.Ranked.Concat(result.Rejected.Select(r => r.Candidate)).Any(c => Violations(request, c, result.Benchmark).Count == 0);
        Assert.Equal(anyFeasible, result.Choice is not null);
        Assert.Equal(anyFeasible, !result.Ranked.IsEmpty);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Optimality_no_feasible_candidate_beats_the_choice(SelectionRequest request)
    {
        var result = Selector.Choose(request);
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
        var result = Selector.Choose(request);
        var shuffled = Selector.Choose(request with
        {
            CandidateIds = [.. request.CandidateIds.Reverse()],
            DeviceIds = [.. request.DeviceIds.Reverse()],
            Precisions = [.. request.Precisions.Reverse()],
        });
        var again = Selector.Choose(request);
        Assert.Equal(result.Choice?.Key, shuffled.Choice?.Key);
        Assert.Equal(result.Ranked.Select(c => c.Key), shuffled.Ranked.Select(c => c.Key));
        Assert.Equal(result.Rejected.Select(c => c.Candidate.Key), shuffled.Rejected.Select(c => c.Candidate.Key));
        Assert.Equal(result.Explanation, again.Explanation);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Relaxing_any_constraint_never_removes_a_feasible_candidate(SelectionRequest request)
    {
        var feasible = Selector.Choose(request).Ranked.Select(c => c.Key).ToHashSet();
        var k = request.Constraints;
        foreach (var relaxed in new[]
        {
            k with { MaxLatencySeconds = null }, k with { MaxTimePerOutputTokenSeconds = null }, k with { MaxMemoryBytes = null },
            k with { MemoryHeadroomFraction = 0 }, k with { MinQuality = null }, k with { MaxCostUsd = null }, k with { MaxEnergyJoules = null },
        })
        {
            var after = Selector.Choose(request with { Constraints = relaxed }).Ranked.Select(c => c.Key).ToHashSet();
            Assert.Subset(after, feasible);
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void More_usable_memory_never_lowers_the_chosen_quality(SelectionRequest request)
    {
        var quality = request with { Objective = SelectionObjective.Quality, Constraints = request.Constraints with { QualityBenchmark = request.Constraints.QualityBenchmark ?? "mmlu-5shot" } };
        var devices = quality.DeviceIds.Select(DeviceCatalog.BuiltIn.Get).ToList();
        var before = Selector.Choose(quality with { DeviceIds = [], Devices = devices });
        var after = Selector.Choose(quality with { DeviceIds = [], Devices = [.. devices.Select(d => d with { MemoryBytes = d.MemoryBytes * 2 })] });
        if (before.Choice?.Quality is { } q)
        {
            Assert.True(after.Choice?.Quality >= q, $"{before.Choice.Key} ({q}) → {after.Choice?.Key} ({after.Choice?.Quality})");
        }
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Removing_a_non_chosen_candidate_keeps_the_choice(SelectionRequest request)
    {
        var result = Selector.Choose(request);
        if (result.Choice is not { } choice)
        {
            return;
        }

        var other = request.CandidateIds.FirstOrDefault(id => !string.Equals(id, choice.Model.Id, StringComparison.OrdinalIgnoreCase));
        if (other is null)
        {
            return;
        }

        var reduced = Selector.Choose(request with { CandidateIds = [.. request.CandidateIds.Where(id => id != other)] });
        Assert.Equal(choice.Key, reduced.Choice?.Key);
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void Every_rejection_lists_exactly_the_constraints_it_violates(SelectionRequest request)
    {
        var result = Selector.Choose(request);
        foreach (var rejected in result.Rejected)
        {
            Assert.Equal(Violations(request, rejected.Candidate, result.Benchmark).Order(), rejected.Reasons.Select(r => r.Code).Order());
            Assert.All(rejected.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        }

        Assert.All(result.Ranked, c => Assert.Empty(Violations(request, c, result.Benchmark)));
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 1000)]
    public void The_explanation_names_the_choice_and_the_binding_constraint(SelectionRequest request)
    {
        var result = Selector.Choose(request);
        if (result.Choice is { } choice)
        {
            Assert.Contains(choice.Model.Id, result.Explanation);
        }

        if (result.BindingConstraint is { } code)
        {
            Assert.Contains(code.ToString(), result.Explanation);
        }
    }
}
