using System.Text.Json;
using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Comparison;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Json;
using ModelSelection.Models;
using ModelSelection.Planning;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Json;

/// <summary>The shipped source-generated context writes every request, result and quantity, and reads it back to the same thing.</summary>
public sealed class JsonRoundTripTests
{
    private static readonly ModelSelector Selector = new(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn);

    [Fact]
    public void ASelectionResult_WithChoiceRankedAndRejected_ReadsBackToTheSameDecision()
    {
        var result = Selector.Select(new SelectionRequest
        {
            CandidateIds = ["bert-large-uncased", "distilbert-base-uncased", "meta-llama/Llama-2-70b-hf", "google/mobilebert-uncased"],
            DeviceIds = ["nvidia-t4", "raspberry-pi-5-8gb"],
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Parse("q4_k_m")],
            Task = ModelTask.Classification,
            Constraints = new SelectionConstraints { MaxLatency = TimeSpan.FromMilliseconds(50) },
        });
        Assert.NotNull(result.Choice);
        Assert.NotEmpty(result.Rejected);

        var json = JsonSerializer.Serialize(result, ModelSelectionJsonContext.Default.SelectionResult);
        var back = JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.SelectionResult)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, ModelSelectionJsonContext.Default.SelectionResult));
        Assert.Equal(result.Choice!.Key, back.Choice!.Key);
        Assert.Equal(result.Choice.Model, back.Choice.Model);
        Assert.Equal(result.Choice.Model.Parameters, back.Choice.Model.Parameters);
        Assert.Equal(result.Choice.Device, back.Choice.Device);
        Assert.Equal(result.Choice.Performance, back.Choice.Performance);
        Assert.Equal(result.Choice.Memory, back.Choice.Memory);
        Assert.Equal(result.Choice.Flops, back.Choice.Flops);
        Assert.Equal(result.Ranked.Select(c => c.Key), back.Ranked.Select(c => c.Key));
        Assert.Equal(result.Rejected.Select(r => (r.Candidate.Key, string.Join("|", r.Reasons))), back.Rejected.Select(r => (r.Candidate.Key, string.Join("|", r.Reasons))));
        Assert.Equal(result.Explanation, back.Explanation);
        Assert.Equal(result.BindingConstraint, back.BindingConstraint);
        Assert.Equal(result.Task, back.Task);
    }

    [Fact]
    public void AModelReadBack_EstimatesExactlyWhatTheOriginalDid()
    {
        var spec = ModelCatalog.BuiltIn.Get("mistralai/Mixtral-8x7B-v0.1");
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(spec, ModelSelectionJsonContext.Default.ModelSpec), ModelSelectionJsonContext.Default.ModelSpec)!;
        Assert.Equal(spec.Parameters, back.Parameters);
        Assert.Equal(spec.ActiveParameters, back.ActiveParameters);
        Assert.Equal(spec.Architecture, back.Architecture);
        Assert.Equal(spec.Inventory.Groups.Length, back.Inventory.Groups.Length);
        Assert.Equal(spec.Inventory.Groups.ToArray(), back.Inventory.Groups.ToArray());
        var device = DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm");
        var workload = new InferenceWorkload { Batch = 4, InputTokens = 512, GeneratedTokens = 64 };
        Assert.Equal(ModelEstimator.EstimatePerformance(spec, workload, device), ModelEstimator.EstimatePerformance(back, workload, device));
    }

    [Fact]
    public void ARequest_WithItsOwnModelsAndDevices_ReadsBackAndDecidesTheSame()
    {
        var request = new SelectionRequest
        {
            Models = [ModelCatalog.BuiltIn.Get("microsoft/Phi-3-mini-4k-instruct").WithId("my-phi")],
            CandidateIds = ["TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"],
            Devices = [DeviceCatalog.BuiltIn.Get("apple-m3") with { Id = "my-laptop", PricePerHourUsd = 0.05m }],
            Precisions = [NumericPrecision.Parse("q4_k_m")],
            Workload = new InferenceWorkload { InputTokens = 256, GeneratedTokens = 64 },
            Constraints = new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.FromMilliseconds(40), MaxMemoryBytes = 6L << 30 },
            Objective = SelectionObjective.Latency,
            QualityDeltas = new Dictionary<string, double> { ["q4_k_m"] = -0.5 },
        };
        var json = JsonSerializer.Serialize(request, ModelSelectionJsonContext.Default.SelectionRequest);
        var back = JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.SelectionRequest)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, ModelSelectionJsonContext.Default.SelectionRequest));
        Assert.Equal(request.Constraints, back.Constraints);
        Assert.Equal(request.Workload, back.Workload);
        Assert.Equal(
            JsonSerializer.Serialize(Selector.Select(request), ModelSelectionJsonContext.Default.SelectionResult),
            JsonSerializer.Serialize(Selector.Select(back), ModelSelectionJsonContext.Default.SelectionResult));
    }

    [Fact]
    public void AComparison_AndAPretrainingPlan_RoundTrip()
    {
        var comparison = new ModelComparer(Selector).Compare(new ComparisonRequest { ModelIds = ["bert-base-uncased", "distilbert-base-uncased"], DeviceIds = ["nvidia-t4", "raspberry-pi-5-8gb"] });
        var json = JsonSerializer.Serialize(comparison, ModelSelectionJsonContext.Default.ComparisonResult);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.ComparisonResult)!, ModelSelectionJsonContext.Default.ComparisonResult));

        var plan = PretrainingPlanner.Plan(ComputeBudget.FromFlops(1e21), DatasetSize.FromTokens(20_000_000_000), DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm"), 8);
        var planJson = JsonSerializer.Serialize(plan, ModelSelectionJsonContext.Default.PretrainingPlan);
        var planBack = JsonSerializer.Deserialize(planJson, ModelSelectionJsonContext.Default.PretrainingPlan)!;
        Assert.Equal(planJson, JsonSerializer.Serialize(planBack, ModelSelectionJsonContext.Default.PretrainingPlan));
        Assert.Equal(plan.OptimalParameters, planBack.OptimalParameters);
        Assert.Equal(plan.Comparison.ToArray(), planBack.Comparison.ToArray());
    }

    [Fact]
    public void Quantities_AreTheirCanonicalNumbers_EvenWithTheReflectionSerializer()
    {
        Assert.Equal("7241732096", JsonSerializer.Serialize(ParameterCount.FromCount(7_241_732_096)));
        Assert.Equal("\"q4_k_m\"", JsonSerializer.Serialize(NumericPrecision.Parse("Q4_K_M")));
        Assert.Equal("312000000000000", JsonSerializer.Serialize(FlopRate.FromTeraflopsPerSecond(312), ModelSelectionJsonContext.Default.FlopRate));
        Assert.Equal("1400000000000", JsonSerializer.Serialize(DatasetSize.Parse("1.4T tokens"), ModelSelectionJsonContext.Default.DatasetSize));

        // The default reflection serializer no longer meets an object cycle in a result (UnitsNet views are not written).
        var result = Selector.Select(new SelectionRequest { DeviceIds = ["nvidia-t4"], CandidateIds = ["bert-base-uncased"] });
        Assert.Contains("\"parameters\":109482240", JsonSerializer.Serialize(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"7.24B\"", 7_240_000_000)]
    [InlineData("109482240", 109_482_240)]
    [InlineData("\"66,362,880\"", 66_362_880)]
    public void AParameterCount_ReadsFromItsNumberOrItsText(string json, long expected) =>
        Assert.Equal(ParameterCount.FromCount(expected), JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.ParameterCount));

    [Theory]
    [InlineData("1.5", "Expected a parameter count as a whole number between 0 and 9223372036854775807; found 1.5.")]
    [InlineData("-1", "Expected a parameter count: Parameter count must be between 0 and 1E+15; was -1.")]
    [InlineData("\"7 GB\"", "Expected a parameter count: '7 GB' is not a valid parameter count: 'GB' is not a known scale (use K, M, B, T, thousand, million, billion or trillion).")]
    [InlineData("true", "Expected a parameter count as a number or as text such as \"7.24B\"; found a boolean.")]
    public void ABadParameterCount_IsAJsonException_ThatSaysWhatWasExpected(string json, string message)
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.ParameterCount));
        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadPrecisionOrModel_InsideAResult_NamesWhereItIs()
    {
        var unknown = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"precisions": ["fp17"]}""", ModelSelectionJsonContext.Default.SelectionRequest));
        Assert.Contains("fp17", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("$.precisions[0]", unknown.Path);

        var spec = JsonSerializer.Serialize(ModelCatalog.BuiltIn.Get("bert-base-uncased"), ModelSelectionJsonContext.Default.ModelSpec).Replace("\"parameters\":109482240", "\"parameters\":109482241", StringComparison.Ordinal);
        var wrong = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(spec, ModelSelectionJsonContext.Default.ModelSpec));
        Assert.Contains("the tensors hold 109482240 parameters but the document declares 109482241", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALimitThatIsNotPositive_IsRefusedOnRead()
    {
        var exception = Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize("""{"maxLatency": "-00:00:00.005"}""", ModelSelectionJsonContext.Default.SelectionConstraints));
        Assert.Contains("MaxLatency must be a positive duration", exception.Message, StringComparison.Ordinal);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void EveryQuantity_RoundTripsExactly(ParameterCount parameters, DatasetSize tokens, FlopCount flops, FlopRate rate, ComputeBudget budget, NumericPrecision precision)
    {
        Assert.Equal(parameters, JsonSerializer.Deserialize(JsonSerializer.Serialize(parameters, ModelSelectionJsonContext.Default.ParameterCount), ModelSelectionJsonContext.Default.ParameterCount));
        Assert.Equal(tokens, JsonSerializer.Deserialize(JsonSerializer.Serialize(tokens, ModelSelectionJsonContext.Default.DatasetSize), ModelSelectionJsonContext.Default.DatasetSize));
        Assert.Equal(flops, JsonSerializer.Deserialize(JsonSerializer.Serialize(flops, ModelSelectionJsonContext.Default.FlopCount), ModelSelectionJsonContext.Default.FlopCount));
        Assert.Equal(rate, JsonSerializer.Deserialize(JsonSerializer.Serialize(rate, ModelSelectionJsonContext.Default.FlopRate), ModelSelectionJsonContext.Default.FlopRate));
        Assert.Equal(budget, JsonSerializer.Deserialize(JsonSerializer.Serialize(budget, ModelSelectionJsonContext.Default.ComputeBudget), ModelSelectionJsonContext.Default.ComputeBudget));
        Assert.Equal(precision, JsonSerializer.Deserialize(JsonSerializer.Serialize(precision, ModelSelectionJsonContext.Default.NumericPrecision), ModelSelectionJsonContext.Default.NumericPrecision));
    }

    [Property(Arbitrary = [typeof(SelectionArbitraries)], MaxTest = 100)]
    public void AnySelection_ReadsBackToTheSameDocument(SelectionRequest request)
    {
        var result = Selector.Select(request);
        var json = JsonSerializer.Serialize(result, ModelSelectionJsonContext.Default.SelectionResult);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ModelSelectionJsonContext.Default.SelectionResult)!, ModelSelectionJsonContext.Default.SelectionResult));
    }
}
