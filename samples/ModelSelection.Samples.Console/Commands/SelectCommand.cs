using System.CommandLine;
using System.Globalization;
using ModelSelection.Estimation;
using ModelSelection.Quality;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect select --device ID [constraints] [--objective …] [--json]</c>: the decision, ranked alternatives and
/// every rejection with its reasons; exit 1 when nothing satisfies the constraints.
/// </summary>
internal sealed class SelectCommand : ICliCommand
{
    private static readonly string[] Objectives = ["quality", "latency", "cost", "energy", "size"];

    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var device = new Option<string?>("--device") { Description = "The device to run on: one id, or several comma-separated to choose among; 'local' measures this machine.", HelpName = "ID[,ID…]" };
        var profile = new Option<string?>("--profile") { Description = "A named profile from the configuration (ModelSelection:Profiles; see --config); the options below override it.", HelpName = "NAME" };
        var candidates = new Option<string?>("--candidates") { Description = "Candidate model ids, comma-separated. Default: the catalog.", HelpName = "ID,ID…" };
        var task = CliOptions.OneOf("--task", "What the model must do. Default: text-generation when --new-tokens > 0, else open.", [.. ModelTasks.AllNames]);
        var benchmark = new Option<string?>("--benchmark") { Description = "Benchmark that quality refers to, e.g. glue-test or mmlu-5shot ('modelselect models --benchmarks' lists them); candidates without its score are rejected. Default: the task's own benchmark, where unscored candidates rank after scored ones by parameter count.", HelpName = "ID" };
        var minQuality = CliOptions.Number("--min-quality", "Quality floor on the benchmark, in its own units.", "SCORE", exclusiveMin: double.NegativeInfinity);
        var maxLatency = CliOptions.Duration("--max-latency", "End-to-end latency limit, e.g. 50ms or 2s.");
        var maxTtft = CliOptions.Duration("--max-ttft", "Time-to-first-token limit, e.g. 500ms.");
        var maxTpot = CliOptions.Duration("--max-tpot", "Time-per-output-token limit, e.g. 100ms (needs --new-tokens).");
        var maxMemory = CliOptions.Size("--max-memory", "Memory cap per device, e.g. 4GiB.");
        var minThroughput = CliOptions.Number("--min-throughput", "Throughput floor: tokens/s, or sequences/s when nothing is generated.", "PER_SECOND");
        var maxCost = CliOptions.Money("--max-cost", "Cost limit per request in US dollars.");
        var maxEnergy = CliOptions.Number("--max-energy", "Energy limit per request in joules.", "JOULES");
        var batch = CliOptions.Count("--batch", "Sequences per request. Default: 1.", 1, Estimation.InferenceWorkload.MaxBatch);
        var seq = CliOptions.Count("--seq", "Input tokens. Default: 128.", 1, Estimation.InferenceWorkload.MaxTokens);
        var newTokens = CliOptions.Count("--new-tokens", "Generated tokens. Default: 0.", 0, Estimation.InferenceWorkload.MaxTokens);
        var precisions = CliOptions.Precisions("--precisions", "Weight formats to try: a list, comma-separated, e.g. fp16,int8,q4_k_m. Default: fp16 (a --gguf file's own format).", "--precision");
        CliCompletions.Precisions(precisions);
        var objective = CliOptions.OneOf("--objective", "What the choice maximises or minimises. Default: quality.", Objectives);
        var devices = CliOptions.Count("--device-count", "The most devices one candidate may be split across: a count, 1 to 64 (the device itself is --device). 2, 4, … up to it are tried in each of --layouts. Default: 1.", 1, 64, "--devices");
        var layouts = new Option<string?>("--layouts") { Description = "Multi-device layouts to try with --device-count, comma-separated: tensor-parallel (tp), pipeline-parallel (pp), replicas (dp). Default: all three.", HelpName = "LAYOUT,LAYOUT…" };
        var runtimesOption = new Option<string?>("--runtimes") { Description = "Inference engines to try on every device, comma-separated ('modelselect runtimes'), e.g. vllm,tensorrt-llm. Default: the catalog's default per device class and model kind.", HelpName = "ID,ID…" };
        var ggufFiles = new Option<string?>("--gguf") { Description = "GGUF files to add as candidates, comma-separated; each at its own format unless --precisions says otherwise.", HelpName = "FILE,FILE…" };
        var hostPool = new HostPoolOptions();
        var bestEffort = new Option<bool>("--best-effort") { Description = "When nothing fits, return the nearest candidate, flagged." };
        var command = new Command("select", "Choose the best model, precision and device for a workload under constraints, with every rejection explained. Exit 1 when nothing fits.");
        foreach (var option in new Option[] { device, profile, candidates, task, benchmark, minQuality, maxLatency, maxTtft, maxTpot, maxMemory, minThroughput, maxCost, maxEnergy, batch, seq, newTokens, precisions, objective, devices, layouts, runtimesOption, ggufFiles, bestEffort })
        {
            command.Options.Add(option);
        }

        CliCompletions.DeviceIds(device, context);
        CliCompletions.ModelIds(candidates, context);
        CliCompletions.RuntimeIds(runtimesOption, context);
        command.Validators.Add(result =>
        {
            if (result.Given(layouts) && !result.Given(devices) && !result.Given(profile))
            {
                result.AddError("--layouts only applies with --device-count N (N > 1): one device has no layout; add --device-count or remove --layouts.");
            }
        });
        context.SetExamples(
            command,
            "modelselect select --device nvidia-rtx-4090 --new-tokens 128 --max-tpot 50ms",
            "modelselect select --device raspberry-pi-5-8gb,apple-m3 --task classification --max-latency 20ms --objective latency",
            "modelselect select --device nvidia-h100-sxm-80gb --device-count 4 --layouts tp,pp --precisions fp16,fp8 --json",
            "modelselect select --profile edge --config my-settings.json");
        hostPool.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            var request = parseResult.GetValue(profile) is { } name ? context.Get<ISelectionProfiles>(parseResult).GetRequest(name) : new SelectionRequest();
            if (parseResult.GetValue(device) is { } ids)
            {
                request = request with { DeviceIds = Split(ids) };
            }

            if (request.DeviceIds.Count == 0 && request.Devices.Count == 0)
            {
                return CliErrors.Report(output.Error, "select needs --device ID (or --profile NAME).");
            }

            if (parseResult.GetValue(candidates) is { } list)
            {
                request = request with { CandidateIds = Split(list) };
            }

            if (parseResult.GetValue(ggufFiles) is { } files)
            {
                var specs = Split(files).Select(f => Gguf.GgufModel.Read(f).ToModelSpec()).ToList();
                request = request with { Models = [.. request.Models, .. specs] };
                if (parseResult.GetValue(precisions) is not { Length: > 0 })
                {
                    request = request with { Precisions = [.. specs.Select(spec => spec.StoredWeights!.Format).Distinct()] };
                }
            }

            if (hostPool.Given(parseResult))
            {
                var withHost = new List<Devices.DeviceProfile>();
                foreach (var id in request.DeviceIds)
                {
                    var (device, problem) = hostPool.Apply(parseResult, await context.ResolveDeviceAsync(parseResult, output, id, cancellationToken).ConfigureAwait(false));
                    if (device is null)
                    {
                        return CliErrors.Report(output.Error, problem!);
                    }

                    withHost.Add(device);
                }

                request = request with { DeviceIds = [], Devices = [.. request.Devices, .. withHost] };
            }

            if (parseResult.GetValue(runtimesOption) is { } engines)
            {
                request = request with { RuntimeIds = Split(engines) };
            }

            if (parseResult.GetValue(layouts) is { } layoutNames)
            {
                var parsed = new List<Estimation.DeviceLayout>();
                foreach (var layoutName in Split(layoutNames))
                {
                    if (!Estimation.DeviceLayouts.TryParse(layoutName, out var layout))
                    {
                        return CliErrors.Report(output.Error, $"--layouts: '{layoutName}' is not a layout; expected {string.Join(", ", Estimation.DeviceLayouts.AllNames)} (or tp, pp, dp).");
                    }

                    parsed.Add(layout);
                }

                request = request with { Layouts = parsed };
            }

            if (parseResult.GetValue(precisions) is { Length: > 0 } formats)
            {
                request = request with { Precisions = formats };
            }

            var w = request.Workload;
            w = parseResult.GetValue(batch) is { } b ? w with { Batch = b } : w;
            w = parseResult.GetValue(seq) is { } s ? w with { InputTokens = s } : w;
            w = parseResult.GetValue(newTokens) is { } g ? w with { GeneratedTokens = g } : w;
            if (parseResult.GetValue(task) is { } taskName)
            {
                request = request with { Task = ModelTasks.Parse(taskName) };
            }

            var c = request.Constraints;
            if (parseResult.GetValue(benchmark) is { } named)
            {
                try
                {
                    c = c with { QualityBenchmark = context.Get<BenchmarkRegistry>(parseResult).Get(named).Id };
                }
                catch (ArgumentException exception)
                {
                    return CliErrors.Report(output.Error, "--benchmark: " + CliErrors.OneLine(exception));
                }
            }

            c = parseResult.GetValue(minQuality) is { } q ? c with { MinQuality = q } : c;
            c = parseResult.GetValue(maxLatency) is { } l ? c with { MaxLatency = l } : c;
            c = parseResult.GetValue(maxTtft) is { } ttft ? c with { MaxTimeToFirstToken = ttft } : c;
            c = parseResult.GetValue(maxTpot) is { } tpot ? c with { MaxTimePerOutputToken = tpot } : c;
            c = parseResult.GetValue(maxMemory) is { } mem ? c with { MaxMemoryBytes = mem } : c;
            c = parseResult.GetValue(minThroughput) is { } tp ? c with { MinThroughputPerSecond = tp } : c;
            c = parseResult.GetValue(maxCost) is { } cost ? c with { MaxCostUsd = cost } : c;
            c = parseResult.GetValue(maxEnergy) is { } energy ? c with { MaxEnergyJoules = energy } : c;
            c = parseResult.GetValue(devices) is { } n ? c with { MaxDeviceCount = n } : c;
            if (c.MaxTimePerOutputToken is not null && w.GeneratedTokens == 0)
            {
                return CliErrors.Report(output.Error, "--max-tpot limits the time per generated token, but nothing is generated: add --new-tokens N.");
            }

            if (c.MinQuality is not null && c.QualityBenchmark is null && (request with { Workload = w }).EffectiveTask is null)
            {
                return CliErrors.Report(output.Error, "--min-quality needs a benchmark to refer to: add --benchmark ID or --task NAME.");
            }

            request = request with
            {
                Workload = w,
                Constraints = c,
                Objective = parseResult.GetValue(objective) switch
                {
                    "latency" => SelectionObjective.Latency,
                    "cost" => SelectionObjective.Cost,
                    "energy" => SelectionObjective.Energy,
                    "size" => SelectionObjective.Smallest,
                    "quality" => SelectionObjective.Quality,
                    _ => request.Objective,
                },
                NoFit = parseResult.GetValue(bestEffort) ? NoFitBehavior.BestEffort : request.NoFit,
            };

            var selector = context.Get<IModelSelector>(parseResult);
            var result = await output.WithProgressAsync(
                request.DeviceIds.Any(id => string.Equals(id, Catalog.DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase)) ? "Measuring this machine and selecting" : "Selecting",
                _ => selector.SelectAsync(request, cancellationToken)).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(SelectionJson.Result(result));
            }
            else
            {
                WriteText(result, output);
            }

            return result.Choice is null ? ExitCodes.NoCandidate : ExitCodes.Success;
        });
        return command;
    }

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void WriteText(SelectionResult result, CliOutput output)
    {
        var w = output.Out;
        output.MarkupLine(result.Choice is { } choice
            ? "choice     " + CliTable.Verdict($"{choice.Key} ({choice.SizeClass.ToString().ToLowerInvariant()}{(result.BestEffort ? ", BEST EFFORT" : string.Empty)})", good: !result.BestEffort)
            : "choice     " + CliTable.Verdict("none", good: false));
        w.WriteLine($"why        {result.Explanation}");
        if (result.Choice is { } c)
        {
            w.WriteLine($"quality    {c.QualityAssumption}");
        }

        w.WriteLine($"task       {(result.Task is { } t ? ModelTasks.ToName(t) : "open (no --task, nothing generated)")}; ranked by {RankingText(result)}");

        w.WriteLine();
        w.WriteLine($"ranked ({result.Ranked.Count} feasible):");
        if (result.Ranked.Count > 0)
        {
            var ranked = CliTable.Create("candidate", ">quality", ">latency", ">memory");
            foreach (var r in result.Ranked.Take(10))
            {
                ranked.Row(r.Key, Quality(r), Latency(r), UnitConversions.FormatBytes(r.Memory.TotalBytes));
            }

            output.Write(ranked);
        }

        w.WriteLine($"rejected ({result.Rejected.Count}):");
        if (result.Rejected.Count > 0)
        {
            var rejected = CliTable.Create("candidate", "reasons");
            foreach (var r in result.Rejected.Take(15))
            {
                rejected.MarkupRow(Spectre.Console.Markup.Escape(r.Candidate.Key), CliTable.Verdict(string.Join("; ", r.Reasons.Select(x => $"{x.Code}: {x.Message}")), good: false));
            }

            output.Write(rejected);
        }

        if (result.Rejected.Count > 15)
        {
            w.WriteLine($"… and {result.Rejected.Count - 15} more (--json lists them all)");
        }
    }

    private static string RankingText(SelectionResult result) => result.RankedBy switch
    {
        RankingBasis.Score => result.Benchmark + " (with each format's quality delta)",
        RankingBasis.ParameterProxy => "parameter count, a proxy for quality (no comparable score)",
        RankingBasis.TieBreaks => "the tie-breaks: the objective's figure is unknown",
        RankingBasis.None => "nothing: no candidate is feasible",
        var basis => basis.ToString().ToLowerInvariant(),
    };

    private static string Quality(SelectionCandidate c) => c.Quality is { } q ? q.ToString("0.##", CultureInfo.InvariantCulture) : "—";

    private static string Latency(SelectionCandidate c) => c.Performance is { } p ? (p.LatencySeconds * 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "—";
}
