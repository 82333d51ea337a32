using System.Text.Json;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary><c>modelselect plan</c>: its JSON against shared/contract/plan.schema.json and select.schema.json, and its exit codes.</summary>
public class PlanCommandTests
{
    private const string TinyLlama = "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T";

    [Fact]
    public async Task ComputeBudget_Json_FollowsThePlanSchema()
    {
        var (exitCode, output, error) = await RunAsync("plan", "--compute-budget", "5.76e23", "--dataset-tokens", "300B", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("plan.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(5.76e23, root.GetProperty("computeBudgetFlops").GetDouble());
        Assert.InRange(root.GetProperty("computeOptimal").GetProperty("parameters").GetDouble(), 69e9, 70e9);
        Assert.InRange(root.GetProperty("computeOptimal").GetProperty("tokens").GetDouble(), 1.38e12, 1.39e12);
        Assert.Equal(4, root.GetProperty("dataLimited").GetProperty("epochs").GetDouble());
        Assert.Contains(root.GetProperty("advice").EnumerateArray(), a => a.GetString()!.Contains("Muennighoff", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Devices_Json_GivesTheBudgetHoursAndCost()
    {
        // 8 × A100 80GB × 100 h × 0.5 × 312e12 FLOP/s = 8 · 360,000 s · 156e12 = 4.4928e20 FLOPs; cost 800 GPU-h × $3.4309.
        var (exitCode, output, _) = await RunAsync("plan", "--device", "nvidia-a100-80gb-sxm", "--devices", "8", "--hours", "100", "--utilization", "0.5", "--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("plan.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(4.4928e20, root.GetProperty("computeBudgetFlops").GetDouble(), 4.4928e20 * 1e-9);
        Assert.Equal(100, root.GetProperty("hours").GetDouble(), 1e-9);
        Assert.Equal(2744.72, root.GetProperty("costUsd").GetDouble(), 0.01);
    }

    [Fact]
    public async Task Money_Json_BuysTheSameBudgetAsTheHoursItPaysFor()
    {
        // $2,744.72 at $3.4309 per GPU-hour = 800 GPU-hours: on 8 GPUs, the 100 h of the test above, 4.4928e20 FLOPs at 50 %.
        var (exitCode, output, _) = await RunAsync("plan", "--device", "nvidia-a100-80gb-sxm", "--devices", "8", "--budget-usd", "2744.72", "--utilization", "0.5", "--json");
        Assert.Equal(0, exitCode);
        ContractSchemas.AssertValid("plan.schema.json", output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(4.4928e20, document.RootElement.GetProperty("computeBudgetFlops").GetDouble(), 4.4928e20 * 1e-6);
        Assert.Equal(100, document.RootElement.GetProperty("hours").GetDouble(), 1e-4);
    }

    [Fact]
    public async Task FineTune_Json_FollowsTheSelectSchemaWithTrainingFields()
    {
        var (exitCode, output, error) = await RunAsync("plan", "--fine-tune", "--candidates", $"meta-llama/Llama-2-7b-hf,{TinyLlama}",
            "--dataset-examples", "50000", "--tokens-per-example", "512", "--epochs", "3", "--device", "nvidia-a100-80gb-sxm", "--max-hours", "10", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("select.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var choice = document.RootElement.GetProperty("choice");
        Assert.Equal(TinyLlama, choice.GetProperty("model").GetString());
        Assert.Equal(1.108, choice.GetProperty("hours").GetDouble(), 0.011); // derived by hand in FineTuningPlannerTests
        Assert.True(choice.GetProperty("memory").GetProperty("totalBytes").GetInt64() > 16 * 1_100_048_384L);
        Assert.True(choice.GetProperty("costUsd").GetDouble() > 0);
        var rejected = Assert.Single(document.RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal("ExceedsMemory", rejected.GetProperty("reasons")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task FineTune_ZeroThreeShardsTheStatesAcrossTheDevices()
    {
        // Llama-2-7B, mixed-precision AdamW: 16 B × 6.74e9 = 107.8 GB of weights, gradients and states — too much for
        // one A100 80GB, and still too much replicated on 8; ZeRO-3 puts 1/8 (13.5 GB) on each.
        string[] args = ["plan", "--fine-tune", "--candidates", "meta-llama/Llama-2-7b-hf", "--dataset-examples", "10000", "--device", "nvidia-a100-80gb-sxm", "--devices", "8", "--json"];
        var (replicated, _, _) = await RunAsync(args);
        Assert.Equal(1, replicated);
        var (sharded, output, _) = await RunAsync([.. args, "--zero", "3"]);
        Assert.Equal(0, sharded);
        using var document = JsonDocument.Parse(output);
        Assert.InRange(document.RootElement.GetProperty("choice").GetProperty("memory").GetProperty("totalBytes").GetInt64(), 13.4e9, 40e9);
    }

    [Fact]
    public async Task FineTune_NothingFits_ExitsOne()
    {
        var (exitCode, output, _) = await RunAsync("plan", "--fine-tune", "--candidates", "meta-llama/Llama-2-70b-hf",
            "--dataset-examples", "1000", "--device", "nvidia-rtx-4090", "--json");
        Assert.Equal(1, exitCode);
        ContractSchemas.AssertValid("select.schema.json", output);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(output).RootElement.GetProperty("choice").ValueKind);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("plan", "--compute-budget", "-3")]
    [InlineData("plan", "--compute-budget", "lots")]
    [InlineData("plan", "--compute-budget", "1e40")]
    [InlineData("plan", "--fine-tune", "--candidates", "gpt2", "--dataset-examples", "10", "--device", "nvidia-t4", "--zero", "4")]
    [InlineData("plan", "--fine-tune", "--candidates", "gpt2", "--dataset-examples", "10", "--device", "nvidia-t4", "--optimizer", "lion")]
    [InlineData("plan", "--device", "nvidia-jetson-nano-4gb", "--budget-usd", "100")]
    [InlineData("plan", "--device", "nvidia-a100-80gb-sxm", "--budget-usd", "-5")]
    [InlineData("plan", "--device", "nvidia-h100-sxm", "--hours", "10")]
    [InlineData("plan", "--device", "nvidia-a100-80gb-sxm", "--hours", "10", "--utilization", "1.5")]
    [InlineData("plan", "--fine-tune", "--candidates", "gpt2")]
    [InlineData("plan", "--fine-tune", "--candidates", "no-such-model", "--dataset-examples", "10", "--device", "nvidia-t4")]
    public async Task BadInput_ExitsTwoWithOneLineOnStderr(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("modelselect: ", error, StringComparison.Ordinal);
    }
}
