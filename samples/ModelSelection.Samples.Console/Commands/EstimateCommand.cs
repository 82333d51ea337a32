using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Runtimes;
using ModelSelection.Onnx;
using ModelSelection.Safetensors;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect estimate (--model ID | --hf-config FILE | --safetensors FILE)</c>: the exact parameter count of a
/// catalog model, a <c>config.json</c> or a safetensors checkpoint (single file, sharded index or folder), with the
/// family, the architecture and the counting convention.
/// </summary>
internal sealed class EstimateCommand : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "A catalog id (see 'modelselect models'), e.g. meta-llama/Llama-2-7b-hf.", HelpName = "ID" };
        var config = new Option<FileInfo?>("--hf-config") { Description = "A Hugging Face config.json.", HelpName = "FILE" };
        var gguf = new Option<string?>("--gguf") { Description = "A .gguf file (llama.cpp, Ollama, LM Studio), or any part of a split one: its exact parameters and weight bytes; its own format unless --precision says otherwise.", HelpName = "FILE" };
        var onnx = new Option<string?>("--onnx") { Description = "An .onnx file (external data beside it): its exact parameters from the initializers, and the FLOPs of its graph at --batch and --seq; where the graph shows a transformer, the full estimate from the recovered architecture.", HelpName = "FILE" };
        var safetensors = new Option<string?>("--safetensors") { Description = "A .safetensors file, a model.safetensors.index.json, or a folder holding either; a config.json beside it adds the architecture.", HelpName = "PATH" };
        var precision = CliOptions.Parsed("--precision", "One weight precision or quantisation format: fp32, fp16, bf16, fp8, int8, int4, gptq, awq, nf4, q4_k_m, … (select tries a list with --precisions). GGUF formats follow llama.cpp's per-tensor recipe. Default: fp16, or a --gguf file's own format.", "FORMAT", ParsePrecision);
        var kvPrecision = CliOptions.Parsed("--kv-precision", "KV-cache precision, e.g. fp8, int8, or llama.cpp's q8_0 and q4_0. Default: the activation precision.", "FORMAT", ParsePrecision);
        var gpuLayers = CliOptions.Count("--gpu-layers", "llama.cpp's -ngl: blocks kept on the device; the rest and the token embedding stay in host memory (needs --host-memory, or a device with a host pool).", 0, 1_000_000);
        var hostPool = new HostPoolOptions();
        var batch = CliOptions.Count("--batch", "Sequences per request.", 1, InferenceWorkload.MaxBatch, 1);
        var seq = CliOptions.Count("--seq", "Input tokens per sequence; shortened to the model's whole context when that is shorter and --seq is not given.", 1, InferenceWorkload.MaxTokens, 128);
        var newTokens = CliOptions.Count("--new-tokens", "Tokens to generate (decoders).", 0, InferenceWorkload.MaxTokens, 0);
        var attention = CliOptions.OneOf("--attention", "Attention kernel: fused (flash) or eager.", "flash", "flash", "eager");
        var device = new Option<string?>("--device") { Description = "One device id (see 'modelselect devices'); 'local' measures this machine.", HelpName = "ID" };
        var deviceCount = CliOptions.Count("--device-count", "How many of --device: a count, split as --layout says (the device itself is --device).", 1, 1024, 1, "--devices");
        var layout = new Option<string?>("--layout") { Description = "How --device-count devices split the work: tensor-parallel (tp), pipeline-parallel (pp) or replicas (dp). Default: tensor-parallel.", HelpName = "LAYOUT" };
        layout.CompletionSources.Add([.. DeviceLayouts.AllNames]);
        var runtime = new Option<string?>("--runtime") { Description = "Inference engine ('modelselect runtimes'): its fitted efficiencies and memory policy; 'none' for the plain roofline with the device's own efficiencies. Default: the catalog's default for the device and model kind (pytorch for --training).", HelpName = "ID" };
        var training = new Option<bool>("--training") { Description = "Estimate one training step instead of inference (uses --batch and --seq)." };
        var trainingOptions = new TrainingOptions();
        var dataParallel = CliOptions.Count("--data-parallel", "Training: data-parallel replicas.", 1, 100_000, 1);
        var command = new Command("estimate", "Exact parameters, memory, FLOPs and — with --device — latency, throughput, energy and cost of a model for a workload.");
        foreach (var option in new Option[] { model, config, gguf, safetensors, onnx, gpuLayers, precision, kvPrecision, batch, seq, newTokens, attention, device, deviceCount, layout, runtime, training, dataParallel })
        {
            command.Options.Add(option);
        }

        trainingOptions.AddTo(command, training);
        hostPool.AddTo(command);
        CliCompletions.ModelIds(model, context);
        CliCompletions.DeviceIds(device, context);
        CliCompletions.RuntimeIds(runtime, context, "none");
        CliCompletions.Precisions(precision);
        CliCompletions.Precisions(kvPrecision);
        CliRules.OnlyWith(command, dataParallel, training);
        CliRules.OnlyWith(command, runtime, device, "a runtime's efficiencies are per device class");
        CliRules.OnlyWith(command, layout, deviceCount, "one device has no layout");
        command.Validators.Add(result =>
        {
            if (result.Given(training) && result.Given(newTokens))
            {
                result.AddError("--new-tokens applies to inference; a --training step uses --batch and --seq.");
            }
        });
        CliRules.OnlyWithout(command, precision, training, "a --training step computes in its optimizer's precision (--optimizer)");
        CliRules.OnlyWithout(command, kvPrecision, training, "a training step keeps no KV cache");
        CliRules.OnlyWithout(command, attention, training, "a training step is estimated with fused attention");
        CliRules.OnlyWithout(command, layout, training, "a --training step splits across --device-count by tensor parallelism and --data-parallel replicas");
        context.SetExamples(
            command,
            "modelselect estimate --model meta-llama/Llama-2-7b-hf --device nvidia-rtx-4090 --new-tokens 128",
            "modelselect estimate --model gpt2 --precision int8 --device local",
            "modelselect estimate --hf-config config.json --batch 8 --seq 512 --json",
            "modelselect estimate --model meta-llama/Llama-2-7b-hf --training --lora-rank 16 --qlora --device nvidia-rtx-4090",
            "modelselect estimate --model meta-llama/Llama-2-70b-hf --device nvidia-h100-sxm-80gb --device-count 4 --layout pp");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            var chosen = new object?[] { parseResult.GetValue(model), parseResult.GetValue(config), parseResult.GetValue(safetensors), parseResult.GetValue(gguf), parseResult.GetValue(onnx) }.Count(v => v is not null);
            if (chosen != 1)
            {
                return CliErrors.Report(output.Error, "estimate needs exactly one of --model ID, --hf-config FILE, --safetensors FILE, --gguf FILE or --onnx FILE.");
            }

            var isTraining = parseResult.GetValue(training);
            SafetensorsCheckpoint? checkpoint = null;
            (OnnxModel Model, OnnxFlopCount Flops, object Json)? onnxInfo = null;
            NumericPrecision? filePrecision = null;
            ModelSpec? spec;
            string source;
            if (parseResult.GetValue(onnx) is { } onnxPath)
            {
                var onnxModel = await OnnxModel.ReadAsync(onnxPath, cancellationToken).ConfigureAwait(false);
                var onnxFlops = onnxModel.Flops(parseResult.GetValue(batch), parseResult.GetValue(seq));
                onnxInfo = (onnxModel, onnxFlops, OnnxJson(onnxModel, onnxFlops, parseResult.GetValue(batch), parseResult.GetValue(seq)));
                if (onnxModel.Architecture is null)
                {
                    return WriteOnnxOnly(onnxModel, onnxFlops, onnxPath, onnxInfo.Value.Json, output);
                }

                spec = onnxModel.ToModelSpec();
                source = onnxPath;
                filePrecision = onnxModel.BytesByType.OrderByDescending(kv => kv.Value).First().Key switch
                {
                    OnnxDataType.Float => NumericPrecision.Fp32,
                    OnnxDataType.BFloat16 => NumericPrecision.Bf16,
                    OnnxDataType.Int8 or OnnxDataType.UInt8 => NumericPrecision.Int8,
                    _ => NumericPrecision.Fp16,
                };
            }
            else if (parseResult.GetValue(gguf) is { } ggufPath)
            {
                spec = Gguf.GgufModel.Read(ggufPath).ToModelSpec();
                source = ggufPath;
            }
            else if (parseResult.GetValue(safetensors) is { } checkpointPath)
            {
                checkpoint = SafetensorsCheckpoint.Read(checkpointPath);
                var folder = Directory.Exists(checkpointPath) ? checkpointPath : Path.GetDirectoryName(Path.GetFullPath(checkpointPath)) ?? ".";
                var configPath = Path.Combine(folder, "config.json");
                spec = File.Exists(configPath) ? HuggingFaceConfig.Load(configPath) : null;
                source = checkpointPath;
                if (spec is null)
                {
                    return WriteCheckpointOnly(checkpoint, checkpointPath, output);
                }
            }
            else
            {
                spec = parseResult.GetValue(model) is { } id ? context.Get<ModelCatalog>(parseResult).Get(id) : HuggingFaceConfig.Load(parseResult.GetValue(config)!.FullName);
                source = parseResult.GetValue(config)?.FullName ?? spec.Id;
            }

            var weightPrecision = parseResult.GetValue(precision) ?? spec.StoredWeights?.Format ?? filePrecision ?? NumericPrecision.Fp16;
            var sequence = parseResult.GetValue(seq);
            if (parseResult.GetResult(seq) is null or { Implicit: true } && spec.ContextLength > 0)
            {
                // The default 128 tokens, shortened to what a small model can hold (an explicit --seq is never changed).
                sequence = (int)Math.Max(1, Math.Min(sequence, spec.ContextLength - (isTraining ? 0L : parseResult.GetValue(newTokens))));
            }

            DeviceProfile? profile = null;
            if (parseResult.GetValue(device) is { } deviceId)
            {
                profile = await context.ResolveDeviceAsync(parseResult, output, deviceId, cancellationToken).ConfigureAwait(false);
            }

            if (hostPool.Given(parseResult))
            {
                if (profile is null)
                {
                    return CliErrors.Report(output.Error, "--host-memory, --host-bandwidth and --host-gflops describe the host pool of a --device; give --device.");
                }

                var (withHost, problem) = hostPool.Apply(parseResult, profile);
                if (withHost is null)
                {
                    return CliErrors.Report(output.Error, problem!);
                }

                profile = withHost;
            }

            if (parseResult.GetValue(gpuLayers) is { } ngl && (profile is null || isTraining))
            {
                return CliErrors.Report(output.Error, $"--gpu-layers {ngl} splits inference between a --device and its host memory; {(isTraining ? "it does not apply to --training" : "give --device")}.");
            }

            var deviceLayout = DeviceLayout.TensorParallel;
            if (parseResult.GetValue(layout) is { } layoutName && !DeviceLayouts.TryParse(layoutName, out deviceLayout))
            {
                return CliErrors.Report(output.Error, $"--layout must be one of {string.Join(", ", DeviceLayouts.AllNames)} (or tp, pp, dp); was '{layoutName}'.");
            }

            var runtimeId = parseResult.GetValue(runtime);
            var runtimes = context.Get<RuntimeCatalog>(parseResult);

            var engine = profile is null || string.Equals(runtimeId, "none", StringComparison.OrdinalIgnoreCase) ? null
                : runtimeId is not null ? runtimes.Get(runtimeId)
                : isTraining ? (runtimes.TryGet("pytorch", out var torch) && torch.RunsOn(profile) ? torch : null)
                : runtimes.DefaultFor(profile, spec.Architecture.Kind, weightPrecision);

            var estimate = isTraining
                ? Training(spec, profile, engine, trainingOptions.Apply(parseResult, new TrainingWorkload
                {
                    Batch = parseResult.GetValue(batch),
                    SequenceLength = sequence,
                    DataParallel = parseResult.GetValue(dataParallel),
                    TensorParallel = parseResult.GetValue(deviceCount),
                }))
                : Inference(spec, profile, engine, new InferenceWorkload
                {
                    Batch = parseResult.GetValue(batch),
                    InputTokens = sequence,
                    GeneratedTokens = parseResult.GetValue(newTokens),
                    WeightPrecision = weightPrecision,
                    KvCachePrecision = parseResult.GetValue(kvPrecision),
                    Attention = parseResult.GetValue(attention) == "eager" ? AttentionImplementation.Eager : AttentionImplementation.Flash,
                    Devices = parseResult.GetValue(deviceCount),
                    Layout = deviceLayout,
                    GpuLayers = parseResult.GetValue(gpuLayers),
                });
            Write(spec, source, checkpoint, onnxInfo, estimate, output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static NumericPrecision ParsePrecision(string text) => NumericPrecision.Parse(text, CultureInfo.InvariantCulture);

    private static EstimateResult Inference(ModelSpec spec, DeviceProfile? device, RuntimeProfile? runtime, InferenceWorkload workload)
    {
        var memory = ModelEstimator.EstimateMemory(spec, workload, device, runtime);
        var flops = ModelEstimator.EstimateFlops(spec, workload);
        var performance = device is null ? (PerformanceEstimate?)null
            : runtime is null ? ModelEstimator.EstimatePerformance(spec, workload, device)
            : ModelEstimator.EstimatePerformance(spec, workload, device, runtime);
        var workloadJson = new { mode = "inference", batch = workload.Batch, inputTokens = workload.InputTokens, generatedTokens = workload.GeneratedTokens, kvCachePrecision = workload.EffectiveKvCachePrecision.Name, activationPrecision = (runtime?.ActivationPrecision ?? workload.EffectiveActivationPrecision).Name, attention = (runtime?.Attention ?? workload.Attention) == AttentionImplementation.Eager ? "eager" : "flash", devices = workload.Devices, layout = DeviceLayouts.ToName(workload.Layout), gpuLayers = workload.GpuLayers };
        return new EstimateResult(workload.WeightPrecision.Name, workloadJson, memory, flops.Forward.Flops, flops.PerGeneratedToken?.Flops, flops.Total.Flops, device, runtime, performance, null);
    }

    private static EstimateResult Training(ModelSpec spec, DeviceProfile? device, RuntimeProfile? runtime, TrainingWorkload workload)
    {
        var memory = ModelEstimator.EstimateTrainingMemory(spec, workload, device);
        var step = ModelEstimator.EstimateTrainingStepFlops(spec, workload);
        var forward = ModelEstimator.EstimateFlops(spec, new InferenceWorkload { Batch = workload.Batch, InputTokens = workload.SequenceLength }).Forward.Flops;
        TrainingStepEstimate? stepEstimate = device is null ? null : ModelEstimator.EstimateTrainingStep(spec, workload, device, runtime);
        var workloadJson = new { mode = "training", batch = workload.Batch, sequenceLength = workload.SequenceLength, optimizer = workload.Optimizer.ToString(), loraRank = workload.LoraRank, qlora = workload.QLora, trainableParameters = ModelEstimator.TrainableParameters(spec, workload), recomputation = workload.Recomputation.ToString(), zeroStage = workload.ZeroStage, dataParallel = workload.DataParallel, tensorParallel = workload.TensorParallel };
        return new EstimateResult(workload.EffectiveComputePrecision.Name, workloadJson, memory, forward, null, step.Flops, device, runtime, null, stepEstimate);
    }

    private sealed record EstimateResult(string Precision, object Workload, MemoryEstimate Memory, double Forward, double? PerGeneratedToken, double Total, DeviceProfile? Device, RuntimeProfile? Runtime, PerformanceEstimate? Performance, TrainingStepEstimate? TrainingStep);

    private static int WriteCheckpointOnly(SafetensorsCheckpoint checkpoint, string path, CliOutput output)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                model = path,
                parameters = checkpoint.Parameters.Count,
                activeParameters = (long?)null,
                countingConvention = "Stored elements of every tensor in the checkpoint, buffers (inv_freq, masks, position_ids) excluded; shared tensors are stored once.",
                checkpoint = CheckpointJson(checkpoint, configMatches: null),
            });
        }
        else
        {
            WriteCheckpointText(checkpoint, output);
            output.Out.WriteLine("No config.json beside the checkpoint: family, architecture, memory and FLOPs unknown.");
        }

        return ExitCodes.Success;
    }

    private static int WriteOnnxOnly(OnnxModel model, OnnxFlopCount flops, string path, object onnxJson, CliOutput output)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                model = path,
                parameters = model.ParameterElements,
                activeParameters = (long?)null,
                countingConvention = "Elements of every floating-point (and 8- or 4-bit integer) initializer, each name once; integer shape constants and position ids excluded.",
                flops = new { forward = flops.Total.Flops, convention = "2 x multiply-accumulates of the graph's MatMul, Gemm, Conv and attention nodes at --batch x --seq; no elementwise ops" },
                onnx = onnxJson,
            });
        }
        else
        {
            WriteOnnxText(model, flops, output);
            output.Out.WriteLine($"No architecture: {model.ArchitectureProblem}. Memory and time unknown.");
        }

        return ExitCodes.Success;
    }

    private static object OnnxJson(OnnxModel model, OnnxFlopCount flops, int batch, int sequence) => new
    {
        irVersion = model.IrVersion,
        opset = model.Opset,
        producer = model.ProducerName.Length == 0 ? null : $"{model.ProducerName} {model.ProducerVersion}".Trim(),
        nodes = model.NodeCount,
        inputs = model.Inputs.Select(i => new { name = i.Name, elementType = i.ElementType.ToString(), dimensions = i.Dimensions?.Select(d => d.ToString()).ToArray() }).ToArray(),
        storedParameterElements = model.ParameterElements,
        bufferElements = model.BufferElements,
        weightBytes = model.WeightBytes,
        bytesByType = model.BytesByType.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        graphFlops = new
        {
            batch,
            sequenceLength = sequence,
            forward = flops.Total.Flops,
            byOperator = flops.ByOperator.ToDictionary(kv => kv.Key, kv => kv.Value.Flops),
            uncounted = flops.Uncounted.ToArray(),
        },
        architectureRecovered = model.Architecture is not null,
        architectureProblem = model.ArchitectureProblem,
    };

    private static void WriteOnnxText(OnnxModel model, OnnxFlopCount flops, CliOutput output)
    {
        var invariant = CultureInfo.InvariantCulture;
        output.Out.WriteLine($"onnx         opset {model.Opset}, IR {model.IrVersion}, {model.NodeCount} nodes{(model.ProducerName.Length > 0 ? $", from {model.ProducerName} {model.ProducerVersion}" : string.Empty)}");
        output.Out.WriteLine($"inputs       {string.Join(", ", model.Inputs)}");
        output.Out.WriteLine($"stored       {model.ParameterElements.ToString("N0", invariant)} parameter elements, {ByteText.Format(model.WeightBytes)} ({string.Join(", ", model.BytesByType.Select(kv => $"{kv.Key} {ByteText.Format(kv.Value)}"))}); {model.BufferElements.ToString("N0", invariant)} buffer elements left out");
        output.Out.WriteLine($"graph FLOPs  {flops.Total.Flops.ToString("E3", invariant)} ({string.Join(", ", flops.ByOperator.Select(kv => $"{kv.Key} {kv.Value.Flops.ToString("E3", invariant)}"))}){(flops.Uncounted.IsEmpty ? string.Empty : $"; not counted: {string.Join("; ", flops.Uncounted)}")}");
    }

    private static void Write(ModelSpec spec, string source, SafetensorsCheckpoint? checkpoint, (OnnxModel Model, OnnxFlopCount Flops, object Json)? onnx, EstimateResult estimate, CliOutput output)
    {
        var a = spec.Architecture;
        if (output.Json)
        {
            // The contract: "performance" appears only when a device was given (absent, not null).
            var node = System.Text.Json.JsonSerializer.SerializeToNode(new
            {
                model = source,
                family = spec.Family,
                parameters = spec.Parameters.Count,
                activeParameters = a.IsMixtureOfExperts ? spec.ActiveParameters.Count : (long?)null,
                countingConvention = ModelSpec.CountingConvention,
                architecture = new
                {
                    kind = ModelsCommand.KindName(a.Kind),
                    layers = a.Layers,
                    decoderLayers = a.DecoderLayers,
                    hiddenSize = a.HiddenSize,
                    attentionHeads = a.AttentionHeads,
                    keyValueHeads = a.KeyValueHeads,
                    headDimension = a.HeadDimension,
                    feedForwardSize = a.FeedForwardSize,
                    gatedFeedForward = a.GatedFeedForward,
                    vocabularySize = a.VocabularySize,
                    maxPositions = a.MaxPositions,
                    contextLength = spec.ContextLength,
                    tasks = spec.Tasks.Select(ModelTasks.ToName).ToArray(),
                    tiedEmbeddings = a.TiedEmbeddings,
                    experts = a.Experts,
                    expertsPerToken = a.ExpertsPerToken,
                    slidingWindow = a.SlidingWindow,
                },
                checkpoint = checkpoint is null ? null : CheckpointJson(checkpoint, checkpoint.Parameters == spec.Parameters),
                onnx = onnx?.Json,
                precision = estimate.Precision,
                workload = estimate.Workload,
                memory = new
                {
                    weightsBytes = estimate.Memory.WeightsBytes,
                    kvCacheBytes = estimate.Memory.KvCacheBytes,
                    activationsBytes = estimate.Memory.ActivationsBytes,
                    overheadBytes = estimate.Memory.OverheadBytes,
                    gradientsBytes = estimate.Memory.GradientsBytes,
                    optimizerStatesBytes = estimate.Memory.OptimizerStatesBytes,
                    totalBytes = estimate.Memory.TotalBytes,
                },
                flops = new { forward = estimate.Forward, perGeneratedToken = estimate.PerGeneratedToken, total = estimate.Total, convention = "2 x multiply-accumulates; linear layers and attention QK^T and PV over full s^2; no elementwise ops" },
                performance = PerformanceJson(estimate),
            }, CliOutput.JsonOptions)!.AsObject();
            if (node["performance"] is null)
            {
                node.Remove("performance");
            }

            if (node["onnx"] is null)
            {
                node.Remove("onnx");
            }

            output.WriteJson(node);
            return;
        }

        var invariant = CultureInfo.InvariantCulture;
        output.Out.WriteLine($"model        {source}");
        output.Out.WriteLine($"family       {spec.Family} ({ModelsCommand.KindName(a.Kind)})");
        output.Out.WriteLine($"parameters   {spec.Parameters.ToString("N", invariant)} ({spec.Parameters.ToString("G", invariant)})");
        if (a.IsMixtureOfExperts)
        {
            output.Out.WriteLine($"active       {spec.ActiveParameters.ToString("N", invariant)} per token ({a.ExpertsPerToken} of {a.Experts} experts)");
        }

        output.Out.WriteLine($"shape        {a.Layers} layers{(a.DecoderLayers > 0 ? $" + {a.DecoderLayers} decoder layers" : string.Empty)}, hidden {a.HiddenSize}, {a.AttentionHeads} heads ({a.KeyValueHeads} KV) × {a.HeadDimension}, FFN {a.FeedForwardSize}{(a.GatedFeedForward ? " gated" : string.Empty)}, vocabulary {a.VocabularySize}{(a.TiedEmbeddings ? ", tied head" : string.Empty)}{(a.SlidingWindow is { } w ? $", window {w}" : string.Empty)}");
        output.Out.WriteLine($"counting     {ModelSpec.CountingConvention}");
        if (onnx is { } read)
        {
            WriteOnnxText(read.Model, read.Flops, output);
        }

        if (checkpoint is not null)
        {
            WriteCheckpointText(checkpoint, output);
            output.Out.WriteLine(checkpoint.Parameters == spec.Parameters
                ? "check        the checkpoint's tensors add up to the config's count"
                : $"check        the checkpoint stores {checkpoint.Parameters.ToString("N", invariant)} elements, the config describes {spec.Parameters.ToString("N", invariant)} (packed or partial checkpoint?)");
        }

        var mem = estimate.Memory;
        output.Out.WriteLine($"workload     {estimate.Precision} weights; {System.Text.Json.JsonSerializer.Serialize(estimate.Workload, CliOutput.JsonOptions).Replace("\n", " ", StringComparison.Ordinal).Replace("  ", string.Empty, StringComparison.Ordinal)}");
        output.Out.WriteLine($"memory       weights {ByteText.Format(mem.WeightsBytes)} + KV cache {ByteText.Format(mem.KvCacheBytes)} + activations {ByteText.Format(mem.ActivationsBytes)} + overhead {ByteText.Format(mem.OverheadBytes)}"
            + (mem.GradientsBytes + mem.OptimizerStatesBytes > 0 ? $" + gradients {ByteText.Format(mem.GradientsBytes)} + optimizer {ByteText.Format(mem.OptimizerStatesBytes)}" : string.Empty)
            + $" = {ByteText.Format(mem.TotalBytes)} per device (GiB = 2^30 B)");
        output.Out.WriteLine($"flops        forward {FlopCount.FromFlops(estimate.Forward).ToString("G", invariant)}"
            + (estimate.PerGeneratedToken is { } perToken ? $", per generated token {FlopCount.FromFlops(perToken).ToString("G", invariant)}" : string.Empty)
            + $", total {FlopCount.FromFlops(estimate.Total).ToString("G", invariant)} (2 × MACs)");
        if (estimate.Device is { } device)
        {
            output.Out.WriteLine(estimate.Runtime is { } engine
                ? $"runtime      {engine.Id} ({engine.EfficiencyFor(device).Source.Split(';')[0].Split(" (")[0]})"
                : "runtime      none: the plain roofline with the device's own efficiencies");
            if (estimate.Performance is { } p)
            {
                var usable = mem.TotalBytes + p.FreeBytes;
                var share = usable < device.UsableMemoryBytes && estimate.Runtime is { } r ? $" (the {(r.MaxMemoryFraction * 100).ToString("0.#", invariant)} % {r.Id} uses)" : string.Empty;
                output.Out.WriteLine(p.Offload is { } split
                    ? $"device       {device.Id}: {(p.Fits ? "fits" : "does NOT fit")} with {split}: GPU {ByteText.Format(split.Device.TotalBytes)} of {ByteText.Format(split.DeviceUsableBytes)} usable, host {ByteText.Format(split.Host.TotalBytes)} of {ByteText.Format(split.HostUsableBytes)} usable; computes in {p.ComputePrecision}{(p.PrecisionFellBack ? " (fallback)" : string.Empty)}"
                    : $"device       {device.Id}: {(p.Fits ? "fits" : "does NOT fit")}, {ByteText.Format(Math.Abs(p.FreeBytes))} {(p.Fits ? "to spare" : "short")} of {ByteText.Format(usable)} usable{share}; computes in {p.ComputePrecision}{(p.PrecisionFellBack ? " (fallback)" : string.Empty)}");
                output.Out.WriteLine($"latency      {Ms(p.LatencySeconds)} end to end ({p.Bound.ToString().ToLowerInvariant()}-bound)"
                    + (p.TimeToFirstTokenSeconds is { } ttft ? $"; first token {Ms(ttft)} ({p.ForwardBound.ToString().ToLowerInvariant()}), then {Ms(p.TimePerOutputTokenSeconds ?? 0)} per token ({(p.DecodeBound ?? p.ForwardBound).ToString().ToLowerInvariant()})" : string.Empty));
                if (p.Offload is { } o)
                {
                    output.Out.WriteLine($"offload      {o}: device {ByteText.Format(o.Device.TotalBytes)} (weights {ByteText.Format(o.Device.WeightsBytes)}, KV {ByteText.Format(o.Device.KvCacheBytes)}, compute {ByteText.Format(o.Device.ComputeBytes)}){(o.DeviceFits ? string.Empty : " does NOT fit")}; host {ByteText.Format(o.Host.TotalBytes)} (weights {ByteText.Format(o.Host.WeightsBytes)}, KV {ByteText.Format(o.Host.KvCacheBytes)}, compute {ByteText.Format(o.Host.ComputeBytes)}){(o.HostFits ? string.Empty : " does NOT fit")}; per step device {Ms(o.DeviceStepSeconds)} + host {Ms(o.HostStepSeconds)}");
                }

                output.Out.WriteLine($"throughput   {p.ThroughputPerSecond.ToString("0.##", invariant)} {(estimate.PerGeneratedToken is null ? "sequences" : "tokens")}/s; energy {(p.EnergyJoules is { } j ? j.ToString("0.###", invariant) + " J" : "unknown")}; cost {(p.CostUsd is { } c ? "$" + c.ToString("0.######", invariant) + $" (${p.CostPerMillionTokensUsd!.Value.ToString("0.####", invariant)} per million tokens)" : "no list price")}");
            }
            else if (estimate.TrainingStep is { } step)
            {
                output.Out.WriteLine($"device       {device.Id}: {(mem.TotalBytes <= device.UsableMemoryBytes ? "fits" : "does NOT fit")} ({ByteText.Format(device.UsableMemoryBytes)} usable); one step ≈ {Ms(step.StepSeconds)} (compute {Ms(step.ComputeSeconds)}, exposed communication {Ms(step.ExposedCommunicationSeconds)}), {step.TokensPerSecondPerDevice.ToString("0", invariant)} tokens/s per device, model FLOPs utilisation {(step.ModelFlopsUtilization * 100).ToString("0.#", invariant)} % of the {step.ComputePrecision.Name} peak");
            }
        }
    }

    private static string Ms(double seconds) => (seconds * 1e3).ToString(seconds < 0.01 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " ms";

    private static object? PerformanceJson(EstimateResult estimate)
    {
        if (estimate.Device is not { } device)
        {
            return null;
        }

        if (estimate.Performance is { } p)
        {
            return new
            {
                device = device.Id,
                fits = p.Fits,
                freeBytes = p.FreeBytes,
                usableMemoryBytes = estimate.Memory.TotalBytes + p.FreeBytes,
                latencySeconds = p.LatencySeconds,
                timeToFirstTokenSeconds = p.TimeToFirstTokenSeconds,
                timePerOutputTokenSeconds = p.TimePerOutputTokenSeconds,
                bound = p.Bound.ToString().ToLowerInvariant(),
                forwardBound = p.ForwardBound.ToString().ToLowerInvariant(),
                decodeBound = p.DecodeBound?.ToString().ToLowerInvariant(),
                computePrecision = p.ComputePrecision.Name,
                precisionFellBack = p.PrecisionFellBack,
                throughputPerSecond = p.ThroughputPerSecond,
                allReduceSeconds = p.AllReduceSeconds,
                runtime = p.Runtime,
                layout = p.Layout is { } l ? DeviceLayouts.ToName(l) : null,
                pipelineBubbleFraction = p.PipelineBubbleFraction,
                offload = p.Offload is { } o ? OffloadJson(o) : null,
                energyJoules = p.EnergyJoules,
                costUsd = p.CostUsd,
                costPerMillionTokensUsd = p.CostPerMillionTokensUsd,
            };
        }

        var t = estimate.TrainingStep!.Value;
        var seconds = t.StepSeconds;
        return new
        {
            device = device.Id,
            runtime = estimate.Runtime?.Id,
            computeSeconds = t.ComputeSeconds,
            exposedCommunicationSeconds = t.ExposedCommunicationSeconds,
            gradientAllReduceSeconds = t.GradientAllReduceSeconds,
            tokensPerSecondPerDevice = t.TokensPerSecondPerDevice,
            modelFlopsUtilization = t.ModelFlopsUtilization,
            fits = estimate.Memory.TotalBytes <= device.UsableMemoryBytes,
            freeBytes = device.UsableMemoryBytes - estimate.Memory.TotalBytes,
            latencySeconds = seconds,
            timeToFirstTokenSeconds = (double?)null,
            timePerOutputTokenSeconds = (double?)null,
            bound = "compute",
            throughputPerSecond = seconds > 0 ? 1 / seconds : 0,
            energyJoules = device.PowerWatts is { } w ? w * seconds : (double?)null,
            costUsd = device.PricePerHourUsd is { } price ? (double)price / 3600 * seconds : (double?)null,
        };
    }

    /// <summary>The offload split as JSON (also used by select).</summary>
    internal static object OffloadJson(LayerOffloadEstimate o) => new
    {
        gpuLayers = o.GpuLayers,
        layers = o.Layers,
        summary = o.ToString(),
        device = PoolJson(o.Device, o.DeviceFits),
        host = PoolJson(o.Host, o.HostFits),
        deviceStepSeconds = o.DeviceStepSeconds,
        hostStepSeconds = o.HostStepSeconds,
    };

    private static object PoolJson(MemoryPoolFootprint pool, bool fits) => new
    {
        weightsBytes = pool.WeightsBytes,
        kvCacheBytes = pool.KvCacheBytes,
        computeBytes = pool.ComputeBytes,
        overheadBytes = pool.OverheadBytes,
        totalBytes = pool.TotalBytes,
        fits,
    };

    private static object CheckpointJson(SafetensorsCheckpoint checkpoint, bool? configMatches) => new
    {
        files = checkpoint.Files.Length,
        tensors = checkpoint.Files.Sum(f => f.Tensors.Length),
        storedParameterElements = checkpoint.Parameters.Count,
        bufferElements = checkpoint.BufferElements,
        totalBytes = checkpoint.TotalBytes,
        bytesByDtype = checkpoint.BytesByDtype.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
        matchesConfig = configMatches,
    };

    private static void WriteCheckpointText(SafetensorsCheckpoint checkpoint, CliOutput output)
    {
        var invariant = CultureInfo.InvariantCulture;
        output.Out.WriteLine($"checkpoint   {checkpoint.Files.Length} file(s), {checkpoint.Files.Sum(f => f.Tensors.Length)} tensors, {ByteText.Format(checkpoint.TotalBytes)} ({checkpoint.TotalBytes.ToString("N0", invariant)} bytes)");
        output.Out.WriteLine($"stored       {checkpoint.Parameters.ToString("N", invariant)} parameter elements; {checkpoint.BufferElements.ToString("N0", invariant)} buffer elements left out");
        output.Out.WriteLine($"dtypes       {string.Join(", ", checkpoint.BytesByDtype.Select(kv => $"{kv.Key} {ByteText.Format(kv.Value)}"))}");
    }
}
