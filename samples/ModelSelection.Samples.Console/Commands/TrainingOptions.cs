using System.CommandLine;
using ModelSelection.Estimation;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>The training options <c>estimate --training</c> and <c>plan --fine-tune</c> share: optimizer, LoRA, QLoRA, recomputation, ZeRO.</summary>
internal sealed class TrainingOptions
{
    private readonly Option<string> _optimizer = new("--optimizer") { Description = "Training: adamw (mixed precision, 16 B/param; default), adamw-fp32-grads, adamw-fp32, adam-8bit, sgd.", DefaultValueFactory = _ => "adamw" };
    private readonly Option<int?> _loraRank = new("--lora-rank") { Description = "Training: LoRA adapters of this rank instead of full fine-tuning." };
    private readonly Option<bool> _qlora = new("--qlora") { Description = "Training: 4-bit NF4 frozen base (needs --lora-rank)." };
    private readonly Option<string> _recompute = new("--recompute") { Description = "Training: none (default), selective or full activation recomputation.", DefaultValueFactory = _ => "none" };
    private readonly Option<int> _zero = new("--zero") { Description = "Training: ZeRO stage 0-3 across the data-parallel replicas (default 0).", DefaultValueFactory = _ => 0 };

    /// <summary>Initializes the options with their allowed values.</summary>
    public TrainingOptions()
    {
        _optimizer.AcceptOnlyFromAmong("adamw", "adamw-fp32-grads", "adamw-fp32", "adam-8bit", "sgd");
        _recompute.AcceptOnlyFromAmong("none", "selective", "full");
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _optimizer, _loraRank, _qlora, _recompute, _zero })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Applies the parsed options to <paramref name="workload"/>.</summary>
    public TrainingWorkload Apply(ParseResult parseResult, TrainingWorkload workload) => workload with
    {
        Optimizer = parseResult.GetValue(_optimizer) switch
        {
            "adamw-fp32-grads" => OptimizerPolicy.MixedPrecisionAdamWFp32Gradients,
            "adamw-fp32" => OptimizerPolicy.Fp32AdamW,
            "adam-8bit" => OptimizerPolicy.Adam8Bit,
            "sgd" => OptimizerPolicy.SgdMomentum,
            _ => OptimizerPolicy.MixedPrecisionAdamW,
        },
        LoraRank = parseResult.GetValue(_loraRank),
        QLora = parseResult.GetValue(_qlora),
        Recomputation = parseResult.GetValue(_recompute) switch { "selective" => ActivationRecomputation.Selective, "full" => ActivationRecomputation.Full, _ => ActivationRecomputation.None },
        ZeroStage = parseResult.GetValue(_zero),
    };
}
