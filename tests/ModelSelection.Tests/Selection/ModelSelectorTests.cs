using ModelSelection.Catalog;
using ModelSelection.Runtimes;
using static ModelSelection.Tests.Selection.LazyCandidateListTests;

namespace ModelSelection.Tests.Selection;

/// <summary>How the selector treats the models it is given and how much a large selection costs in memory.</summary>
public class ModelSelectorTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);

    [Fact]
    public void Choose_AllocatesNoCandidatePerFeasiblePair_UntilTheyAreRead()
    {
        // 1,000 feasible pairs: a built candidate is ~350 bytes, so a selection that built them would allocate over
        // 350 kB; ranking on keys keeps four bytes per pair and the per-model lookups.
        var request = Request(DistinctLlamas(500));
        Selector.Select(request);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = Selector.Select(request);
        var choosing = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000, result.Ranked.Count);
        Assert.True(choosing < 150 * 1000, $"choosing among 1,000 feasible pairs allocated {choosing:N0} bytes");

        before = GC.GetAllocatedBytesForCurrentThread();
        _ = result.Ranked.ToList();
        var reading = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(reading > 300 * 1000, $"reading 1,000 candidates allocated only {reading:N0} bytes: were they built while choosing?");
    }

    [Fact]
    public void Choose_MorePairsThanAnIntCounts_IsRefusedBeforeAnyIsEvaluated()
    {
        // Every device of the catalog at 1 device and, at the least, 2, 4 and 8 replicas, every format, every runtime:
        // 40,000 models × 4 × NumericPrecision.All × DeviceCatalog × RuntimeCatalog is over 3.8 billion pairs, more than
        // an int counts. The request is refused at once, with the numbers, instead of running out of memory.
        var model = ModelCatalog.BuiltIn.Get("meta-llama/Llama-2-7b-hf");
        var models = Enumerable.Range(0, 40_000).Select(i => model.WithId($"copy-{i}")).ToList();
        var request = new SelectionRequest
        {
            Models = models,
            DeviceIds = [.. DeviceCatalog.BuiltIn.Devices.Select(d => d.Id)],
            Precisions = [.. NumericPrecision.All],
            RuntimeIds = [.. RuntimeCatalog.BuiltIn.Runtimes.Select(r => r.Id)],
            Constraints = new SelectionConstraints { MaxDeviceCount = 8 },
        };
        Assert.True(4L * models.Count * request.Precisions.Count * request.DeviceIds.Count * request.RuntimeIds.Count > int.MaxValue);

        var error = Assert.Throws<ArgumentException>(() => Selector.Select(request));
        Assert.StartsWith("A selection evaluates at most 2,147,483,647 candidates; this one would evaluate ", error.Message, StringComparison.Ordinal);
        Assert.Contains("(40000 models ×", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_TwoModelsWithOneIdIgnoringCase_KeepsTheLaterOne()
    {
        // Models given later stand in for earlier ones with the same id (as they do for catalog ids), in the earlier's place.
        var models = DistinctLlamas(3);
        var renamed = models[2].WithId("MODEL-0000");
        var result = Selector.Select(Request([models[0], models[1], renamed]));

        Assert.Equal(4, result.Ranked.Count);
        Assert.DoesNotContain(result.Ranked, c => c.Model.Id == "model-0000");
        Assert.Equal(2, result.Ranked.Count(c => c.Model.Id == "MODEL-0000"));
    }

    [Fact]
    public void Choose_ANullModel_IsRefused()
    {
        var request = Request([.. DistinctLlamas(2), null!]);
        Assert.Throws<ArgumentNullException>(() => Selector.Select(request));
    }

    [Fact]
    public void Choose_AfterTheCallerChangesTheirList_StillBuildsTheCandidatesItRanked()
    {
        // The ranked list reads its models when first read: it must hold its own copy, not the caller's list.
        var models = DistinctLlamas(10);
        var result = Selector.Select(Request(models));
        var expected = result.Choice!.Model.Id;
        models.Clear();

        Assert.Equal(20, result.Ranked.Count);
        Assert.All(result.Ranked, c => Assert.StartsWith("model-", c.Model.Id, StringComparison.Ordinal));
        Assert.Equal(expected, result.Ranked[0].Model.Id);
    }
}
