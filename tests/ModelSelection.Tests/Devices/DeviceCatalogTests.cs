using System.Text.Json;
using ModelSelection.Catalog;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Devices;

public class DeviceCatalogTests
{
    private static readonly JsonElement[] Facts = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFiles.Shared, "data", "devices.json"))).RootElement.EnumerateArray().ToArray();

    [Fact]
    public void BuiltIn_HasTheTwentySixDevicesOfTheSharedTable()
    {
        var ids = Facts.Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(ids, DeviceCatalog.BuiltIn.Devices.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BuiltIn_NumbersEqualTheSharedFacts()
    {
        // shared/data/devices.json is the sourced table the catalog is built from: every fact must survive the build.
        foreach (var fact in Facts)
        {
            var device = DeviceCatalog.BuiltIn.Get(fact.GetProperty("id").GetString()!);
            Assert.Equal(fact.GetProperty("memory_bytes").GetInt64(), device.MemoryBytes);
            Assert.Equal(fact.GetProperty("memory_bandwidth_bytes_per_s").GetDouble(), device.MemoryBandwidthBytesPerSecond);
            Assert.Equal(fact.GetProperty("memory_is_unified").GetBoolean(), device.IsUnifiedMemory);
            var peaks = fact.GetProperty("peak_flops");
            Assert.Equal(Number(peaks, "fp32"), device.PeakFlops.Fp32);
            Assert.Equal(Number(peaks, "tf32"), device.PeakFlops.Tf32);
            Assert.Equal(Number(peaks, "fp16"), device.PeakFlops.Fp16);
            Assert.Equal(Number(peaks, "bf16"), device.PeakFlops.Bf16);
            Assert.Equal(Number(peaks, "fp8"), device.PeakFlops.Fp8);
            Assert.Equal(Number(peaks, "int8"), device.PeakFlops.Int8);
            Assert.Equal(Number(peaks, "int4"), device.PeakFlops.Int4);
            Assert.Equal(Number(fact, "tdp_watts"), device.PowerWatts);
            Assert.Equal(Number(fact, "price_per_hour_usd"), (double?)device.PricePerHourUsd);
            Assert.All(fact.GetProperty("sources").EnumerateArray(), s => Assert.Contains(s.GetString(), device.Sources));
        }
    }

    [Fact]
    public void BuiltIn_EveryEntryObeysTheInvariants()
    {
        foreach (var d in DeviceCatalog.BuiltIn.Devices)
        {
            Assert.True(d.MemoryBytes > 0, d.Id);
            Assert.True(d.MemoryBandwidthBytesPerSecond > 0, d.Id);
            Assert.True(d.PeakFlops.Any, d.Id);
            Assert.NotEmpty(d.Sources);
            Assert.InRange(d.UsableMemoryBytes, 1, d.MemoryBytes);
            Assert.InRange(d.ComputeEfficiency, double.Epsilon, 1);
            Assert.InRange(d.MemoryEfficiency, double.Epsilon, 1);
            if (d.SparsePeakFlops is { } sparse)
            {
                foreach (var p in new[] { NumericPrecision.Tf32, NumericPrecision.Fp16, NumericPrecision.Bf16, NumericPrecision.Fp8E4M3, NumericPrecision.Int8, NumericPrecision.Int4 })
                {
                    if (d.PeakFlops.Get(p) is { } dense && sparse.Get(p) is { } withSparsity)
                    {
                        Assert.True(dense <= withSparsity, $"{d.Id} {p}: dense {dense} > sparse {withSparsity}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("nvidia-a10g", "PeakFlops")]
    [InlineData("qualcomm-snapdragon-8-gen-3", "PeakFlops.Int8")]
    [InlineData("raspberry-pi-4-4gb", "PowerWatts")]
    [InlineData("apple-a17-pro", "MemoryBandwidthBytesPerSecond")]
    [InlineData("intel-xeon-platinum-8480plus", "MemoryBytes")]
    public void BuiltIn_ComputedOrThirdPartyFiguresAreMarked(string id, string field) =>
        Assert.True(DeviceCatalog.BuiltIn.Get(id).IsEstimated(field), $"{id} {field}");

    [Fact]
    public void BuiltIn_VendorFiguresAreNotMarked() =>
        Assert.Empty(DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm").EstimatedFields);

    [Fact]
    public void Get_UnknownAndLocal_ExplainWhatToDo()
    {
        Assert.Equal("nvidia-l4", DeviceCatalog.BuiltIn.Get("NVIDIA-L4").Id);
        Assert.StartsWith("Unknown device id 'nope'; known ids: ", Assert.Throws<ArgumentException>(() => DeviceCatalog.BuiltIn.Get("nope")).Message);
        Assert.StartsWith("Unknown device id 'local'; 'local' is the probed machine: use ResolveAsync.", Assert.Throws<ArgumentException>(() => DeviceCatalog.BuiltIn.Get("local")).Message);
        Assert.Throws<ArgumentException>(() => new DeviceCatalog([DeviceCatalog.BuiltIn.Get("nvidia-l4") with { Id = "local" }]));
    }

    [Fact]
    public async Task ResolveAsync_LocalProbesAndOthersLookUp()
    {
        var probe = new FixedProbe(DeviceCatalog.BuiltIn.Get("raspberry-pi-5-8gb") with { Id = "fixed" });
        Assert.Equal("fixed", (await DeviceCatalog.BuiltIn.ResolveAsync("local", probe)).Id);
        Assert.Equal("nvidia-t4", (await DeviceCatalog.BuiltIn.ResolveAsync("nvidia-t4", probe)).Id);
    }

    [Fact]
    public void With_OverridesAndAdds()
    {
        var bigger = DeviceCatalog.BuiltIn.Get("nvidia-rtx-4090") with { MemoryBytes = 48L << 30 };
        var mine = DeviceCatalog.BuiltIn.Get("nvidia-rtx-4090") with { Id = "my-4090-box" };
        var catalog = DeviceCatalog.BuiltIn.With([bigger, mine]);
        Assert.Equal(48L << 30, catalog.Get("nvidia-rtx-4090").MemoryBytes);
        Assert.Equal(27, catalog.Devices.Length);
    }

    [Theory]
    [InlineData("""{"devices":[{"id":"x","class":"datacenter-gpu","memoryBytes":0,"memoryBandwidthBytesPerSecond":1e9,"peakFlops":{"fp16":1e12}}]}""", "$.devices[0]", "Device 'x': MemoryBytes must be greater than 0; was 0.")]
    [InlineData("""{"devices":[{"id":"x","class":"datacenter-gpu","memoryBytes":1,"memoryBandwidthBytesPerSecond":-5,"peakFlops":{"fp16":1e12}}]}""", "$.devices[0]", "Device 'x': MemoryBandwidthBytesPerSecond must be a finite number greater than 0; was -5.")]
    [InlineData("""{"devices":[{"id":"x","class":"datacenter-gpu","memoryBytes":1,"memoryBandwidthBytesPerSecond":1e9,"peakFlops":{}}]}""", "$.devices[0]", "Device 'x': PeakFlops must support at least one precision; was none.")]
    [InlineData("""{"devices":[{"id":"x","class":"datacenter-gpu","memoryBytes":1,"usableMemoryFraction":1.5,"memoryBandwidthBytesPerSecond":1e9,"peakFlops":{"fp16":1e12}}]}""", "$.devices[0]", "Device 'x': UsableMemoryFraction must be greater than 0 and at most 1; was 1.5.")]
    [InlineData("""{"devices":[{"id":"x","class":"toaster","memoryBytes":1,"memoryBandwidthBytesPerSecond":1e9,"peakFlops":{"fp16":1e12}}]}""", "$.devices[0].class", "expected one of datacenter-gpu, consumer-gpu, apple-soc, edge-gpu, edge-cpu, npu, phone-soc, server-cpu; found \"toaster\"")]
    [InlineData("""{"devices":[{"class":"npu","memoryBytes":1,"memoryBandwidthBytesPerSecond":1e9,"peakFlops":{"int8":1e12}}]}""", "$.devices[0].id", "required key is missing; expected the device id")]
    public void FromJson_ImpossibleProfiles_NameTheDeviceAndTheField(string json, string location, string problem)
    {
        var exception = Assert.Throws<ModelImportException>(() => DeviceCatalog.FromJson(json, "devices.json"));
        Assert.Equal(location, exception.Location);
        Assert.Equal(problem, exception.Problem);
    }

    private static double? Number(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetDouble();

    private sealed class FixedProbe(DeviceProfile profile) : ILocalDeviceProbe
    {
        public Task<DeviceProfile> ProbeAsync(LocalProbeOptions? options = null, CancellationToken cancellationToken = default) => Task.FromResult(profile);
    }
}
