using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary>
/// The console's errors speak the user's units and name the option; a flag that would be ignored, or two that
/// contradict each other, is an error naming both (exit 2, one line on stderr, nothing on stdout).
/// </summary>
public class CliRulesTests
{
    [Theory]
    // Values in the user's own units, naming the option as typed.
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--max-latency", "-5ms" }, "modelselect: --max-latency must be positive; was -5ms.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--max-ttft", "0s" }, "modelselect: --max-ttft must be positive; was 0s.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--max-memory", "-4GiB" }, "modelselect: --max-memory must be positive; was -4GiB.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--max-memory", "lots" }, "modelselect: --max-memory must be a size such as 4GiB or 512MiB; was 'lots'.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--min-throughput", "-3" }, "modelselect: --min-throughput must be positive; was -3.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--max-cost", "-0.5" }, "modelselect: --max-cost must be 0 or more; was -0.5.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--objective", "speed" }, "modelselect: --objective must be one of quality, latency, cost, energy, size; was 'speed'.")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--precisions", "fp16,fp13" }, "modelselect: --precisions: 'fp13' is not a known weight format; known: fp32, ")]
    [InlineData(new[] { "select", "--device", "nvidia-t4", "--devices", "nvidia-a10g" }, "modelselect: --devices must be a whole number between 1 and 64; was 'nvidia-a10g': it counts devices; name the device itself with --device ID.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--seq", "0" }, "modelselect: --seq must be between 1 and 10000000; was 0.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--kv-precision", "fp5" }, "modelselect: --kv-precision: 'fp5' is not a known numeric precision; known: fp32, ")]
    [InlineData(new[] { "plan", "--compute-budget", "lots" }, "modelselect: --compute-budget: ")]
    [InlineData(new[] { "plan", "--device", "nvidia-a100-80gb-sxm", "--hours", "10", "--utilization", "1.5" }, "modelselect: --utilization must be greater than 0 and at most 1; was 1.5.")]
    // Ignored flags.
    [InlineData(new[] { "estimate", "--model", "gpt2", "--lora-rank", "8" }, "modelselect: --lora-rank only applies with --training; add --training or remove --lora-rank.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--training", "--qlora" }, "modelselect: --qlora only applies with --lora-rank (QLoRA trains LoRA adapters on a 4-bit base); add --lora-rank or remove --qlora.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--data-parallel", "4" }, "modelselect: --data-parallel only applies with --training; add --training or remove --data-parallel.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--training", "--precision", "int8" }, "modelselect: --precision does not apply with --training: a --training step computes in its optimizer's precision (--optimizer); remove --precision.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--training", "--kv-precision", "fp8" }, "modelselect: --kv-precision does not apply with --training: a training step keeps no KV cache; remove --kv-precision.")]
    [InlineData(new[] { "estimate", "--model", "gpt2", "--device", "nvidia-a100-80gb-sxm", "--layout", "pp" }, "modelselect: --layout only applies with --device-count (one device has no layout); add --device-count or remove --layout.")]
    [InlineData(new[] { "select", "--device", "nvidia-a100-80gb-sxm", "--layouts", "tp" }, "modelselect: --layouts only applies with --device-count N (N > 1): one device has no layout; add --device-count or remove --layouts.")]
    [InlineData(new[] { "plan", "--compute-budget", "1e21", "--candidates", "gpt2" }, "modelselect: --candidates only applies with --fine-tune; add --fine-tune or remove --candidates.")]
    [InlineData(new[] { "plan", "--fine-tune", "--candidates", "gpt2", "--dataset-examples", "10", "--device", "nvidia-t4", "--dataset-tokens", "1B" }, "modelselect: --dataset-tokens does not apply with --fine-tune: --fine-tune plans from --dataset-examples, --epochs and --device, not from a pre-training budget; remove --dataset-tokens.")]
    [InlineData(new[] { "plan", "--hours", "10" }, "modelselect: --hours only applies with --device (the budget is --device-count × the device's peak × hours); add --device or remove --hours.")]
    [InlineData(new[] { "accuracy", "--runtimes-out", "x.json" }, "modelselect: --runtimes-out only applies with --fit (there is nothing to write without a fit); add --fit or remove --runtimes-out.")]
    // Conflicting flags.
    [InlineData(new[] { "plan", "--compute-budget", "1e21", "--hours", "10" }, "modelselect: --compute-budget and --hours cannot be combined: both set the compute budget; give --compute-budget FLOPS, or --device ID --device-count N --hours H.")]
    [InlineData(new[] { "plan", "--device", "nvidia-a100-80gb-sxm", "--hours", "10", "--budget-usd", "100" }, "modelselect: --hours and --budget-usd cannot be combined: both set the compute budget; give --hours H or --budget-usd USD.")]
    [InlineData(new[] { "devices", "--probe", "--id", "nvidia-t4" }, "modelselect: --probe and --id cannot be combined: --probe measures this machine and --id shows one device (--id local measures this machine too).")]
    // The singular and the plural say which is which.
    [InlineData(new[] { "estimate", "--model", "gpt2", "--precisions", "fp16,int8" }, "modelselect: estimate has no --precisions option; did you mean --precision FORMAT? One weight precision or quantisation format: ")]
    public async Task Bad_or_ignored_flags_exit_two_with_one_line_naming_them(string[] args, string expected)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
        if (expected.EndsWith('.'))
        {
            Assert.Equal(expected, line);
        }
        else
        {
            Assert.StartsWith(expected, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Old_spellings_keep_working_as_aliases()
    {
        var (devicesExit, _, devicesError) = await RunAsync("estimate", "--model", "gpt2", "--device", "nvidia-a100-80gb-sxm", "--devices", "2", "--json");
        Assert.True(devicesExit == 0, devicesError);
        var (precisionExit, _, precisionError) = await RunAsync("select", "--device", "nvidia-t4", "--candidates", "gpt2", "--precision", "fp16,int8", "--json");
        Assert.True(precisionExit == 0, precisionError);
    }
}
