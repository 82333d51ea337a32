using System.CommandLine;
using System.Globalization;
using ModelSelection.Catalog;
using ModelSelection.Devices;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect devices [--probe [--refresh]] [--id ID] [--json]</c>: the device catalog with its key figures, one device
/// (<c>local</c> is this machine), or a measurement of this machine with progress on stderr (read from the per-machine
/// probe cache unless <c>--refresh</c>).
/// </summary>
internal sealed class DevicesCommand : ICliCommand
{
    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var probeOption = new Option<bool>("--probe") { Description = "Measure this machine (memory, cores, instruction sets, clock, sustained fp32 FLOP/s, int8 OP/s and bandwidth; about 2 s, then cached per machine)." };
        var refresh = new Option<bool>("--refresh") { Description = "With --probe or --id local: measure again even when a cached measurement exists, and replace it." };
        var id = new Option<string?>("--id") { Description = "Show one catalog device; 'local' measures this machine, like --probe.", HelpName = "ID" };
        CliCompletions.DeviceIds(id, context);
        var command = new Command("devices", "List the built-in device catalog, show one device, or probe this machine.");
        command.Options.Add(probeOption);
        command.Options.Add(id);
        command.Options.Add(refresh);
        CliRules.NotTogether(command, probeOption, id, "--probe measures this machine and --id shows one device (--id local measures this machine too)");
        context.SetExamples(command, "modelselect devices", "modelselect devices --id nvidia-rtx-4090", "modelselect devices --probe --json", "modelselect devices --probe --refresh");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = context.OutputFor(parseResult);
            var catalog = context.Get<DeviceCatalog>(parseResult);
            var wanted = parseResult.GetValue(probeOption) ? DeviceCatalog.LocalId : parseResult.GetValue(id);
            if (wanted is null)
            {
                WriteList(catalog, output);
                return ExitCodes.Success;
            }

            DeviceProfile device;
            if (string.Equals(wanted, DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase))
            {
                var probe = context.Get<ILocalDeviceProbe>(parseResult);
                device = await output.WithProgressAsync("Measuring this machine", progress => probe.ProbeAsync(new LocalProbeOptions { Progress = progress, Refresh = parseResult.GetValue(refresh) }, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                device = catalog.Get(wanted);
            }

            if (output.Json)
            {
                output.WriteJson(ToJson(device));
            }
            else
            {
                WriteOne(device, output);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The catalog JSON of one device (docs/contract/catalog.schema.json).</summary>
    public static object ToJson(DeviceProfile d) => new
    {
        id = d.Id,
        name = d.DisplayName,
        @class = DeviceClasses.ToName(d.Class),
        memoryBytes = d.MemoryBytes,
        usableMemoryBytes = d.UsableMemoryBytes,
        isUnifiedMemory = d.IsUnifiedMemory,
        memoryBandwidthBytesPerSecond = d.MemoryBandwidthBytesPerSecond,
        peakFlops = Peaks(d.PeakFlops),
        sparsePeakFlops = d.SparsePeakFlops is { } sparse ? Peaks(sparse) : null,
        powerWatts = d.PowerWatts,
        pricePerHourUsd = d.PricePerHourUsd,
        priceAsOf = d.PriceAsOf,
        computeEfficiency = d.ComputeEfficiency,
        memoryEfficiency = d.MemoryEfficiency,
        fixedOverheadSeconds = d.FixedOverheadSeconds,
        runtimeOverheadBytes = d.RuntimeOverheadBytes,
        interconnectBandwidthBytesPerSecond = d.InterconnectBandwidthBytesPerSecond,
        estimatedFields = d.EstimatedFields.ToArray(),
        measurement = d.Measurement,
        notes = d.Notes,
        sources = d.Sources.ToArray(),
    };

    private static Dictionary<string, double?> Peaks(PrecisionPeaks p) => new()
    {
        ["fp32"] = p.Fp32, ["tf32"] = p.Tf32, ["fp16"] = p.Fp16, ["bf16"] = p.Bf16, ["fp8"] = p.Fp8, ["int8"] = p.Int8, ["int4"] = p.Int4,
    };

    private static void WriteList(DeviceCatalog catalog, CliOutput output)
    {
        if (output.Json)
        {
            output.WriteJson(new { devices = catalog.Devices.Select(ToJson).ToArray() });
            return;
        }

        var table = CliTable.Create("id", "class", ">memory", ">usable", ">bandwidth", ">fp16", ">int8", ">power", ">$/h");
        foreach (var d in catalog.Devices)
        {
            table.Row(d.Id, DeviceClasses.ToName(d.Class), ByteText.Format(d.MemoryBytes), ByteText.Format(d.UsableMemoryBytes), Rate(d.MemoryBandwidthBytesPerSecond, "B/s"), Flops(d.PeakFlops.Fp16), Flops(d.PeakFlops.Int8, integer: true), d.PowerWatts is { } w ? w.ToString("0.#", CultureInfo.InvariantCulture) + " W" : "—", d.PricePerHourUsd is { } p ? p.ToString("0.00", CultureInfo.InvariantCulture) : "—");
        }

        output.Write(table);
        output.Out.WriteLine($"{catalog.Devices.Length} devices. Peaks are dense (no 2:4 sparsity); memory in GiB = 2^30 bytes, bandwidth in 10^9 B/s. 'devices --id ID' for one device, 'devices --probe' to measure this machine.");
    }

    private static void WriteOne(DeviceProfile d, CliOutput output)
    {
        var w = output.Out;
        w.WriteLine($"{d.Id}  {d.DisplayName} ({DeviceClasses.ToName(d.Class)})");
        w.WriteLine($"memory        {ByteText.Format(d.MemoryBytes)}, usable {ByteText.Format(d.UsableMemoryBytes)} ({d.UsableMemoryFraction.ToString("0.###", CultureInfo.InvariantCulture)}){(d.IsUnifiedMemory ? ", unified" : string.Empty)}");
        w.WriteLine($"bandwidth     {Rate(d.MemoryBandwidthBytesPerSecond, "B/s")} × efficiency {d.MemoryEfficiency.ToString("0.##", CultureInfo.InvariantCulture)}");
        w.WriteLine($"peaks (dense) fp32 {Flops(d.PeakFlops.Fp32)}, tf32 {Flops(d.PeakFlops.Tf32)}, fp16 {Flops(d.PeakFlops.Fp16)}, bf16 {Flops(d.PeakFlops.Bf16)}, fp8 {Flops(d.PeakFlops.Fp8)}, int8 {Flops(d.PeakFlops.Int8, integer: true)}, int4 {Flops(d.PeakFlops.Int4, integer: true)} × efficiency {d.ComputeEfficiency.ToString("0.##", CultureInfo.InvariantCulture)}");
        w.WriteLine($"overheads     {(d.FixedOverheadSeconds * 1e3).ToString("0.###", CultureInfo.InvariantCulture)} ms per call, runtime {ByteText.Format(d.RuntimeOverheadBytes)}");
        w.WriteLine($"power, price  {(d.PowerWatts is { } p ? p.ToString("0.#", CultureInfo.InvariantCulture) + " W" : "unknown")}, {(d.PricePerHourUsd is { } price ? "$" + price.ToString("0.####", CultureInfo.InvariantCulture) + "/h" + (d.PriceAsOf is { } asOf ? " as of " + asOf : string.Empty) : "no list price")}");
        if (d.InterconnectBandwidthBytesPerSecond is { } link)
        {
            w.WriteLine($"interconnect  {Rate(link, "B/s")}");
        }

        foreach (var field in d.EstimatedFields)
        {
            w.WriteLine($"estimated     {field}");
        }

        if (d.Measurement is { } measurement)
        {
            w.WriteLine($"measured      {measurement}");
        }

        if (d.Notes is { } notes)
        {
            w.WriteLine($"notes         {notes}");
        }
    }

    private static string Flops(double? value, bool integer = false) =>
        value is { } v ? FlopRate.FromFlopsPerSecond(v).ToString("G3", CultureInfo.InvariantCulture).Replace("FLOP/s", integer ? "OP/s" : "FLOP/s", StringComparison.Ordinal) : "—";

    private static string Rate(double value, string unit) => FlopRate.FromFlopsPerSecond(value).ToString("G4", CultureInfo.InvariantCulture).Replace("FLOP/s", unit, StringComparison.Ordinal);
}
