using System.CommandLine;
using ModelSelection.Estimation;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>The training options <c>estimate --training</c> and <c>plan --fine-tune</c> share: optimizer, LoRA, QLoRA, recomputation, ZeRO.</summary>
internal sealed class TrainingOptions
{
    private readonly Option<string> _optimizer = CliOptions.OneOf("--optimizer", "Training: the optimizer and its precision policy; adamw is mixed precision, 16 B/param.", "adamw", "adamw", "adamw-fp32-grads", "adamw-fp32", "adam-8bit", "sgd");
    private readonly Option<int?> _loraRank = CliOptions.Count("--lora-rank", "Training: LoRA adapters of this rank instead of full fine-tuning.", 1, 4096);
    private readonly Option<bool> _qlora = new("--qlora") { Description = "Training: 4-bit NF4 frozen base (needs --lora-rank)." };
    private readonly Option<string> _recompute = CliOptions.OneOf("--recompute", "Training: activation recomputation.", "none", "none", "selective", "full");
    private readonly Option<int> _zero = CliOptions.Count("--zero", "Training: ZeRO stage across the data-parallel replicas, 0 to 3.", 0, 3, 0);

    /// <summary>Adds the options to <paramref name="command"/>; each is an error unless <paramref name="mode"/> is given too.</summary>
    public void AddTo(Command command, Option mode)
    {
        foreach (var option in new Option[] { _optimizer, _loraRank, _qlora, _recompute, _zero })
        {
            command.Options.Add(option);
            CliRules.OnlyWith(command, option, mode);
        }

        CliRules.OnlyWith(command, _qlora, _loraRank, "QLoRA trains LoRA adapters on a 4-bit base");
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
