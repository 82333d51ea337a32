using System.CommandLine;
using System.Globalization;
using ModelSelection.Estimation;
using ModelSelection.Quality;
using UnitsNet;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect select --device ID [constraints] [--objective …] [--json]</c>: the decision, ranked alternatives and
/// every rejection with its reasons; exit 1 when nothing satisfies the constraints.
/// </summary>
internal sealed class SelectCommand(IModelSelector selector, ISelectionProfiles profiles, BenchmarkRegistry benchmarks, Catalog.DeviceCatalog deviceCatalog, Devices.ILocalDeviceProbe probe) : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var device = new Option<string?>("--device") { Description = "Device id(s) to choose among, comma-separated; 'local' probes this machine." };
        var profile = new Option<string?>("--profile") { Description = "A named profile from appsettings.json (ModelSelection:Profiles); the options below override it." };
        var candidates = new Option<string?>("--candidates") { Description = "Candidate model ids, comma-separated (default: the catalog)." };
        var task = new Option<string?>("--task") { Description = "What the model must do: " + string.Join(", ", ModelTasks.AllNames) + " (default: text-generation when --new-tokens > 0, else open)." };
        task.AcceptOnlyFromAmong([.. ModelTasks.AllNames]);
        var benchmark = new Option<string?>("--benchmark") { Description = "Benchmark that quality refers to, e.g. glue-test or mmlu-5shot ('modelselect models --benchmarks' lists them); candidates without its score are rejected. Default: the task's own benchmark, where unscored candidates rank after scored ones by parameter count." };
        var minQuality = new Option<double?>("--min-quality") { Description = "Quality floor on the benchmark." };
        var maxLatency = new Option<string?>("--max-latency") { Description = "End-to-end latency limit, e.g. 50ms or 2s." };
        var maxTtft = new Option<string?>("--max-ttft") { Description = "Time-to-first-token limit, e.g. 500ms." };
        var maxTpot = new Option<string?>("--max-tpot") { Description = "Time-per-output-token limit, e.g. 100ms." };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Memory cap per device, e.g. 4GiB." };
        var minThroughput = new Option<double?>("--min-throughput") { Description = "Throughput floor (tokens/s, or sequences/s when nothing is generated)." };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "Cost limit per request in USD." };
        var maxEnergy = new Option<double?>("--max-energy") { Description = "Energy limit per request in joules." };
        var batch = new Option<int?>("--batch") { Description = "Sequences per request (default 1)." };
        var seq = new Option<int?>("--seq") { Description = "Input tokens (default 128)." };
        var newTokens = new Option<int?>("--new-tokens") { Description = "Generated tokens (default 0)." };
        var precisions = new Option<string?>("--precisions") { Description = "Weight formats to try, comma-separated, e.g. fp16,int8,q4_k_m (default fp16)." };
        var objective = new Option<string?>("--objective") { Description = "quality (default), latency, cost, energy or size." };
        objective.AcceptOnlyFromAmong("quality", "latency", "cost", "energy", "size");
        var devices = new Option<int?>("--devices") { Description = "Most devices per candidate (default 1); 2, 4, … up to it are tried in each of --layouts." };
        var layouts = new Option<string?>("--layouts") { Description = "Multi-device layouts to try with --devices, comma-separated: tensor-parallel (tp), pipeline-parallel (pp), replicas (dp); default all three." };
        var runtimesOption = new Option<string?>("--runtimes") { Description = "Inference engines to try on every device, comma-separated ('modelselect runtimes'), e.g. vllm,tensorrt-llm; default: the catalog's default per device class and model kind." };
        var ggufFiles = new Option<string?>("--gguf") { Description = "GGUF files to add as candidates, comma-separated; each at its own format unless --precisions says otherwise." };
        var hostPool = new HostPoolOptions();
        var bestEffort = new Option<bool>("--best-effort") { Description = "When nothing fits, return the nearest candidate, flagged." };
        var command = new Command("select", "Choose the best model, precision and device for a workload under constraints, with every rejection explained. Exit 1 when nothing fits.");
        foreach (var option in new Option[] { device, profile, candidates, task, benchmark, minQuality, maxLatency, maxTtft, maxTpot, maxMemory, minThroughput, maxCost, maxEnergy, batch, seq, newTokens, precisions, objective, devices, layouts, runtimesOption, ggufFiles, bestEffort })
        {
            command.Options.Add(option);
        }

        hostPool.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            var request = parseResult.GetValue(profile) is { } name ? profiles.GetRequest(name) : new SelectionRequest();
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
                if (parseResult.GetValue(precisions) is null)
                {
                    request = request with { Precisions = [.. specs.Select(spec => spec.StoredWeights!.Format).Distinct()] };
                }
            }

            if (hostPool.Given(parseResult))
            {
                var withHost = new List<Devices.DeviceProfile>();
                foreach (var id in request.DeviceIds)
                {
                    var (device, problem) = hostPool.Apply(parseResult, await deviceCatalog.ResolveAsync(id, probe, cancellationToken).ConfigureAwait(false));
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

            if (parseResult.GetValue(precisions) is { } formats)
            {
                request = request with { Precisions = [.. Split(formats).Select(p => NumericPrecision.Parse(p, CultureInfo.InvariantCulture))] };
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
                    c = c with { QualityBenchmark = benchmarks.Get(named).Id };
                }
                catch (ArgumentException exception)
                {
                    return CliErrors.Report(output.Error, "--benchmark: " + CliErrors.OneLine(exception));
                }
            }

            c = parseResult.GetValue(minQuality) is { } q ? c with { MinQuality = q } : c;
            c = parseResult.GetValue(maxLatency) is { } l ? c with { MaxLatency = TimeSpan.FromSeconds(Seconds(l, "--max-latency")) } : c;
            c = parseResult.GetValue(maxTtft) is { } ttft ? c with { MaxTimeToFirstToken = TimeSpan.FromSeconds(Seconds(ttft, "--max-ttft")) } : c;
            c = parseResult.GetValue(maxTpot) is { } tpot ? c with { MaxTimePerOutputToken = TimeSpan.FromSeconds(Seconds(tpot, "--max-tpot")) } : c;
            c = parseResult.GetValue(maxMemory) is { } mem ? c with { MaxMemoryBytes = Bytes(mem) } : c;
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

            var result = await selector.SelectAsync(request, cancellationToken).ConfigureAwait(false);
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

    private static double Seconds(string text, string option) =>
        Duration.TryParse(text, CultureInfo.InvariantCulture, out var duration)
            ? UnitConversions.ToSeconds(duration)
            : throw new FormatException($"{option} must be a duration such as 50ms or 2s; was '{text}'.");

    private static long Bytes(string text) =>
        Information.TryParse(text, CultureInfo.InvariantCulture, out var size)
            ? UnitConversions.ToBytes(size)
            : throw new FormatException($"--max-memory must be a size such as 4GiB or 512MiB; was '{text}'.");

    private static void WriteText(SelectionResult result, CliOutput output)
    {
        var w = output.Out;
        w.WriteLine(result.Choice is { } choice
            ? $"choice     {choice.Key} ({choice.SizeClass.ToString().ToLowerInvariant()}{(result.BestEffort ? ", BEST EFFORT" : string.Empty)})"
            : "choice     none");
        w.WriteLine($"why        {result.Explanation}");
        if (result.Choice is { } c)
        {
            w.WriteLine($"quality    {c.QualityAssumption}");
        }

        w.WriteLine($"task       {(result.Task is { } t ? ModelTasks.ToName(t) : "open (no --task, nothing generated)")}; ranked by {RankingText(result)}");

        w.WriteLine();
        w.WriteLine($"ranked ({result.Ranked.Count} feasible):");
        foreach (var r in result.Ranked.Take(10))
        {
            w.WriteLine($"  {r.Key,-70} {Quality(r),8} {Latency(r),12} {UnitConversions.FormatBytes(r.Memory.TotalBytes),12}");
        }

        w.WriteLine($"rejected ({result.Rejected.Count}):");
        foreach (var r in result.Rejected.Take(15))
        {
            w.WriteLine($"  {r.Candidate.Key,-70} {string.Join("; ", r.Reasons.Select(x => $"{x.Code}: {x.Message}"))}");
        }

        if (result.Rejected.Count > 15)
        {
            w.WriteLine($"  … and {result.Rejected.Count - 15} more (--json lists them all)");
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
