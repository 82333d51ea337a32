using System.CommandLine;
using System.Globalization;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Runtimes;

namespace ModelSelection.Samples.Console.Commands;

/// <summary><c>modelselect runtimes [--id ID] [--json]</c>: the runtime (inference engine) catalog, or one runtime with its efficiencies per device class.</summary>
internal sealed class RuntimesCommand : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var id = new Option<string?>("--id") { Description = "Show one runtime with its efficiencies per device class.", HelpName = "ID" };
        CliCompletions.RuntimeIds(id, context);
        var command = new Command("runtimes", "List the runtime (inference engine) catalog, or show one runtime.");
        command.Options.Add(id);
        context.SetExamples(command, "modelselect runtimes", "modelselect runtimes --id llama.cpp", "modelselect runtimes --json");
        command.SetAction(parseResult =>
        {
            var output = context.OutputFor(parseResult);
            var catalog = context.Get<RuntimeCatalog>(parseResult);
            var wanted = parseResult.GetValue(id);
            var list = wanted is null ? catalog.Runtimes : [catalog.Get(wanted)];
            if (output.Json)
            {
                output.WriteJson(wanted is null ? new { runtimes = list.Select(ToJson).ToArray(), defaults = Defaults(catalog) } : ToJson(list[0]));
                return ExitCodes.Success;
            }

            if (wanted is null)
            {
                var table = CliTable.Create("id", "kinds", "vendors", "batching", "formats");
                foreach (var r in list)
                {
                    table.Row(r.Id, string.Join(",", r.Kinds.Select(ModelsCommand.KindName)), r.Vendors.IsDefaultOrEmpty ? "any" : string.Join(",", r.Vendors), r.ContinuousBatching ? "continuous" : "static", string.Join(",", r.Formats.Select(f => f.Name)));
                }

                output.Write(table);
                output.Out.WriteLine($"{list.Length} runtimes. Defaults per device class:");
                var defaults = CliTable.Create("device class", "decoder", "encoder", "encoder-decoder");
                foreach (var (deviceClass, kinds) in Defaults(catalog))
                {
                    defaults.Row(deviceClass, kinds.GetValueOrDefault("decoder", "—"), kinds.GetValueOrDefault("encoder", "—"), kinds.GetValueOrDefault("encoder-decoder", "—"));
                }

                output.Write(defaults);

                output.Out.WriteLine("'runtimes --id ID' shows one runtime's efficiencies; docs/runtimes.md gives the sources and docs/accuracy.md the fit.");
                return ExitCodes.Success;
            }

            var one = list[0];
            output.Out.WriteLine($"{one.Id}  {one.DisplayName}");
            output.Out.WriteLine($"serves        {string.Join(", ", one.Kinds.Select(ModelsCommand.KindName))} models on {string.Join(", ", one.Classes.Select(DeviceClasses.ToName))}{(one.Vendors.IsDefaultOrEmpty ? string.Empty : $" ({string.Join(", ", one.Vendors)} only)")}");
            output.Out.WriteLine($"formats       {string.Join(", ", one.Formats.Select(f => f.Name))}");
            output.Out.WriteLine($"layouts       {string.Join(", ", one.Layouts.Select(DeviceLayouts.ToName).Append("replicas"))}");
            output.Out.WriteLine($"batching      {(one.ContinuousBatching ? "continuous" : "static")}; attention {(one.Attention == AttentionImplementation.Eager ? "eager" : "fused (flash)")}; logits {(one.LogitsForAllPositions ? "every position" : "last position while generating")}; KV block {one.KvBlockTokens} tokens; uses {(one.MaxMemoryFraction * 100).ToString("0.#", CultureInfo.InvariantCulture)} % of memory");
            var efficiencies = CliTable.Create("device class", ">η_c", ">m½ rows", ">η_m", ">τ_layer µs", ">τ_call µs", ">q_c", ">q_m", ">α µs", ">MFU", "source");
            foreach (var (deviceClass, e) in one.Efficiencies.OrderBy(p => p.Key))
            {
                efficiencies.Row(DeviceClasses.ToName(deviceClass), N(e.ComputeEfficiency), N(e.HalfEfficiencyRows), N(e.MemoryEfficiency), N(e.LayerOverheadSeconds * 1e6), N(e.CallOverheadSeconds * 1e6), N(e.QuantizedComputeFactor), N(e.QuantizedMemoryFactor), N(e.AllReduceLatencySeconds * 1e6), N(e.TrainingEfficiency), e.Source);
            }

            foreach (var (device, e) in one.DeviceEfficiencies.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                efficiencies.Row($"device {device}", N(e.ComputeEfficiency), N(e.HalfEfficiencyRows), N(e.MemoryEfficiency), N(e.LayerOverheadSeconds * 1e6), N(e.CallOverheadSeconds * 1e6), N(e.QuantizedComputeFactor), N(e.QuantizedMemoryFactor), N(e.AllReduceLatencySeconds * 1e6), N(e.TrainingEfficiency), e.Source);
            }

            output.Write(efficiencies);
            foreach (var (scope, m) in (one.Memory is { } shared ? new[] { ("memory", shared) } : []).Concat(one.DeviceMemory.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ($"memory on {p.Key}", p.Value))))
            {
                output.Out.WriteLine($"{scope,-13} own {ByteText.Format(m.FixedBytes)}, load transient {N(m.LoadTransientFraction)} × weights, resident buffers {N(m.HiddenBuffers)} × b·s·h, {N(m.FeedForwardBuffers)} × b·s·ff, {N(m.AttentionScoreBuffers)} × scores — {m.Source}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, SortedDictionary<string, string>> Defaults(RuntimeCatalog catalog)
    {
        var result = new Dictionary<string, SortedDictionary<string, string>>();
        foreach (var ((deviceClass, kind), runtime) in catalog.Defaults.OrderBy(d => d.Key.Class).ThenBy(d => d.Key.Kind))
        {
            var key = DeviceClasses.ToName(deviceClass);
            if (!result.TryGetValue(key, out var kinds))
            {
                result[key] = kinds = new SortedDictionary<string, string>(Comparer<string>.Create((a, b) => Order(a).CompareTo(Order(b))));
            }

            kinds[ModelsCommand.KindName(kind)] = runtime;
        }

        return result;

        static int Order(string kind) => kind switch { "decoder" => 0, "encoder" => 1, _ => 2 };
    }

    internal static object ToJson(RuntimeProfile r) => new
    {
        id = r.Id,
        name = r.DisplayName,
        kinds = r.Kinds.Select(ModelsCommand.KindName).ToArray(),
        vendors = r.Vendors.ToArray(),
        formats = r.Formats.Select(f => f.Name).ToArray(),
        layouts = r.Layouts.Select(DeviceLayouts.ToName).ToArray(),
        continuousBatching = r.ContinuousBatching,
        attention = r.Attention == AttentionImplementation.Eager ? "eager" : "flash",
        logitsForAllPositions = r.LogitsForAllPositions,
        kvBlockTokens = r.KvBlockTokens,
        maxMemoryFraction = r.MaxMemoryFraction,
        efficiencies = r.Efficiencies.OrderBy(p => p.Key).ToDictionary(p => DeviceClasses.ToName(p.Key), p => Efficiency(p.Value)),
        deviceEfficiencies = r.DeviceEfficiencies.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => Efficiency(p.Value)),
        memory = r.Memory is { } memory ? Memory(memory) : null,
        deviceMemory = r.DeviceMemory.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => Memory(p.Value)),
        sources = r.Sources.ToArray(),
        notes = r.Notes,
    };

    private static object Efficiency(RuntimeEfficiency e) => new
    {
        computeEfficiency = e.ComputeEfficiency,
        halfEfficiencyRows = e.HalfEfficiencyRows,
        memoryEfficiency = e.MemoryEfficiency,
        layerOverheadSeconds = e.LayerOverheadSeconds,
        callOverheadSeconds = e.CallOverheadSeconds,
        quantizedComputeFactor = e.QuantizedComputeFactor,
        quantizedMemoryFactor = e.QuantizedMemoryFactor,
        allReduceLatencySeconds = e.AllReduceLatencySeconds,
        trainingEfficiency = e.TrainingEfficiency,
        source = e.Source,
    };

    private static object Memory(RuntimeMemoryModel m) => new
    {
        fixedBytes = m.FixedBytes,
        loadTransientFraction = m.LoadTransientFraction,
        hiddenBuffers = m.HiddenBuffers,
        feedForwardBuffers = m.FeedForwardBuffers,
        attentionScoreBuffers = m.AttentionScoreBuffers,
        source = m.Source,
    };

    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
