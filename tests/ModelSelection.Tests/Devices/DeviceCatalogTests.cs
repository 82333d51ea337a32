using System.Text.Json;
using ModelSelection.Catalog;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Devices;

public class DeviceCatalogTests
{
    private static readonly JsonElement[] Facts = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFiles.Shared, "data", "devices.json"))).RootElement.EnumerateArray().ToArray();

    /// <summary>Devices whose shared-table figure the catalog corrects, each with the reason (docs/device-sources.md).</summary>
    private static readonly Dictionary<string, string> Corrected = new(StringComparer.Ordinal)
    {
        // The table's 45 TOPS is the Snapdragon X Elite's NPU figure; Qualcomm publishes none for the 8 Gen 3.
        ["qualcomm-snapdragon-8-gen-3"] = "peaks",
    };

    [Fact]
    public void BuiltIn_HoldsTheSharedTableAndTheDevicesPeopleDeployOn()
    {
        var ids = DeviceCatalog.BuiltIn.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(ids, Facts.Select(f => f.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal));
        foreach (var id in new[]
        {
            "qualcomm-snapdragon-855", "apple-a15-bionic", "apple-a16-bionic", "apple-m1", "apple-m3", "apple-m2-ultra", "apple-m3-ultra",
            "nvidia-a100-pcie-40gb", "nvidia-a100-pcie-80gb", "nvidia-a30", "nvidia-l40s", "nvidia-a10g", "nvidia-jetson-orin-nx-16gb",
            "amd-ryzen-ai-9-hx-370-cpu", "amd-ryzen-ai-9-hx-370-npu", "amd-radeon-890m", "aws-c7i-xlarge", "aws-c7i-4xlarge",
        })
        {
            Assert.Contains(id, ids);
        }
    }

    [Fact]
    public void BuiltIn_NoTwoDevicesClaimTheSameNumbersByCopy()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in DeviceCatalog.BuiltIn.Devices)
        {
            var p = d.PeakFlops;
            var key = string.Join('|', d.MemoryBytes, d.MemoryBandwidthBytesPerSecond, p.Fp32, p.Tf32, p.Fp16, p.Bf16, p.Fp8, p.Int8, p.Int4, d.PowerWatts, d.PricePerHourUsd, d.Class);
            Assert.False(seen.TryGetValue(key, out var other), $"{d.Id} repeats every number of {other}");
            seen[key] = d.Id;
        }
    }

    [Fact]
    public void BuiltIn_EveryDeviceHasSourcesAndEveryEstimateNamesAField()
    {
        var fields = typeof(DeviceProfile).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var d in DeviceCatalog.BuiltIn.Devices)
        {
            Assert.NotEmpty(d.Sources);
            Assert.All(d.Sources, s => Assert.False(string.IsNullOrWhiteSpace(s)));
            Assert.All(d.EstimatedFields, e => Assert.Contains(e.Split([':', '.', ' '])[0], fields));
        }
    }

    [Theory]
    [InlineData("nvidia-a100-80gb-sxm", 300e9)]   // NVLink 3: 600 GB/s both ways
    [InlineData("nvidia-h100-sxm-80gb", 450e9)]   // NVLink 4: 900 GB/s both ways
    [InlineData("nvidia-l4", 32e9)]               // PCIe 4.0 x16: 64 GB/s both ways
    [InlineData("nvidia-a100-pcie-80gb", 300e9)]  // NVLink bridge: 600 GB/s both ways
    public void BuiltIn_InterconnectIsPerDirection(string id, double expected) =>
        Assert.Equal(expected, DeviceCatalog.BuiltIn.Get(id).InterconnectBandwidthBytesPerSecond);

    [Fact]
    public void BuiltIn_PhoneSocsComputeSixteenBitOnTheirGpu()
    {
        foreach (var phone in DeviceCatalog.BuiltIn.Devices.Where(d => d.Class == DeviceClass.PhoneSoc))
        {
            Assert.True(phone.PeakFlops.Fp16 is > 0, $"{phone.Id} has no fp16 path");
        }

        // Qualcomm publishes no TOPS for the 8 Gen 3 NPU: the 45 TOPS seen online is the Snapdragon X Elite's.
        Assert.Null(DeviceCatalog.BuiltIn.Get("qualcomm-snapdragon-8-gen-3").PeakFlops.Int8);
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
            if (Corrected.ContainsKey(device.Id))
            {
                continue;
            }

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
    [InlineData("qualcomm-snapdragon-8-gen-3", "PeakFlops.Fp16")]
    [InlineData("apple-m3", "PeakFlops.Fp32")]
    [InlineData("nvidia-a30", "PeakFlops.Tf32")]
    [InlineData("aws-c7i-xlarge", "PeakFlops")]
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
        Assert.Equal(DeviceCatalog.BuiltIn.Devices.Length + 1, catalog.Devices.Length);
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
