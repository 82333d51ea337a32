using System.Text;
using Microsoft.Extensions.Configuration;
using ModelSelection.Catalog;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Devices;

/// <summary>Devices from appsettings.json: binding through Microsoft.Extensions.Configuration, overrides, and pinned validation messages.</summary>
public class DeviceProfileOptionsTests
{
    private static DeviceProfileOptions Bind(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build().GetSection("Device").Get<DeviceProfileOptions>()!;

    [Fact]
    public void Bind_NewDeviceFromAppSettings()
    {
        var options = Bind("""
            {"Device": {"Id": "my-workstation", "Class": "consumer-gpu", "Memory": "48 GiB", "MemoryBandwidth": "960 GB/s",
                        "PeakFlops": {"Fp16": 181e12, "Int8": 362e12}, "PowerWatts": 300, "PricePerHourUsd": 0.0,
                        "ComputeEfficiency": 0.65, "Sources": ["vendor datasheet, 2026"]}}
            """);
        var device = options.ToProfile();
        Assert.Equal("my-workstation", device.Id);
        Assert.Equal(DeviceClass.ConsumerGpu, device.Class);
        Assert.Equal(48L << 30, device.MemoryBytes);
        Assert.Equal(960e9, device.MemoryBandwidthBytesPerSecond, 1.0);
        Assert.Equal(181e12, device.PeakFlops.Fp16);
        Assert.Null(device.PeakFlops.Fp32);
        Assert.Equal(0.65, device.ComputeEfficiency);
        Assert.Equal(0.85, device.MemoryEfficiency); // class default
        Assert.Equal(["vendor datasheet, 2026"], device.Sources.ToArray());
    }

    [Fact]
    public void Bind_OverrideOfACatalogDevice_ChangesOnlyWhatItSets()
    {
        var options = Bind("""{"Device": {"Id": "nvidia-rtx-4090", "Memory": "48 GiB", "PeakFlops": {"Fp16": 200e12}}}""");
        var basis = DeviceCatalog.BuiltIn.Get("nvidia-rtx-4090");
        var device = options.ToProfile(basis);
        Assert.Equal(48L << 30, device.MemoryBytes);
        Assert.Equal(200e12, device.PeakFlops.Fp16);
        Assert.Equal(basis.PeakFlops.Int8, device.PeakFlops.Int8);
        Assert.Equal(basis.MemoryBandwidthBytesPerSecond, device.MemoryBandwidthBytesPerSecond);
        Assert.Equal(basis.Sources, device.Sources);
    }

    [Fact]
    public void Validate_NewDeviceMissingEverything_ListsEveryProblem()
    {
        var errors = new DeviceProfileOptions().Validate();
        Assert.Equal(
        [
            "Device '(unnamed)': Id is required for a new device.",
            "Device '(unnamed)': Class is required for a new device.",
            "Device '(unnamed)': MemoryBytes (or Memory) is required for a new device.",
            "Device '(unnamed)': MemoryBandwidthBytesPerSecond (or MemoryBandwidth) is required for a new device.",
            "Device '(unnamed)': PeakFlops is required for a new device (at least one precision).",
        ], errors);
    }

    [Fact]
    public void Validate_ImpossibleValues_NameTheDeviceAndEveryField()
    {
        var options = Bind("""
            {"Device": {"Id": "bad", "Class": "edge-gpu", "MemoryBytes": 0, "MemoryBandwidthBytesPerSecond": 1e9,
                        "PeakFlops": {"Fp16": 1e12}, "UsableMemoryFraction": 1.5, "ComputeEfficiency": 0, "MemoryEfficiency": 2}}
            """);
        Assert.Equal(
        [
            "Device 'bad': MemoryBytes must be greater than 0; was 0.",
            "Device 'bad': UsableMemoryFraction must be greater than 0 and at most 1; was 1.5.",
            "Device 'bad': ComputeEfficiency must be greater than 0 and at most 1; was 0.",
            "Device 'bad': MemoryEfficiency must be greater than 0 and at most 1; was 2.",
        ], options.Validate());
        var exception = Assert.Throws<ArgumentException>(() => options.ToProfile());
        Assert.StartsWith("Device 'bad': MemoryBytes must be greater than 0; was 0. Device 'bad': UsableMemoryFraction", exception.Message);
    }

    [Fact]
    public void Validate_BadClassUnitsAndPeaks()
    {
        Assert.Equal(["Device 'x': Class must be one of datacenter-gpu, consumer-gpu, apple-soc, edge-gpu, edge-cpu, npu, phone-soc, server-cpu; was 'toaster'."],
            new DeviceProfileOptions { Id = "x", Class = "toaster", MemoryBytes = 1, MemoryBandwidthBytesPerSecond = 1, PeakFlops = new() { Fp32 = 1 } }.Validate());
        Assert.Equal(["Device 'x': Memory must be a size with a unit such as \"24 GiB\" or \"1008 GB/s\"; was 'lots'."],
            new DeviceProfileOptions { Id = "x", Class = "npu", Memory = "lots", MemoryBandwidthBytesPerSecond = 1, PeakFlops = new() { Int8 = 1 } }.Validate());
        Assert.Equal(["Device 'x': set MemoryBytes or Memory, not both."],
            new DeviceProfileOptions { Id = "x", Class = "npu", Memory = "1 GiB", MemoryBytes = 5, MemoryBandwidthBytesPerSecond = 1, PeakFlops = new() { Int8 = 1 } }.Validate());
        Assert.Equal(["Device 'nvidia-l4': PeakFlops must support at least one precision; was none."],
            new DeviceProfileOptions { PeakFlops = new() { ReplaceAll = true } }.Validate(DeviceCatalog.BuiltIn.Get("nvidia-l4")));
        Assert.Equal(["Device 'x': Peak Fp16 FLOP/s must be a finite number greater than 0, or null when unsupported; was -1."],
            new DeviceProfileOptions { Id = "x", Class = "npu", MemoryBytes = 1, MemoryBandwidthBytesPerSecond = 1, PeakFlops = new() { Fp16 = -1 } }.Validate());
    }

    [Fact]
    public void Tier_FromConfiguration_OverridesTheClasssTier_AndIsValidated()
    {
        var laptop = new DeviceProfileOptions { Id = "my-laptop-cpu", Class = "edge-cpu", Tier = "laptop", MemoryBytes = 1, MemoryBandwidthBytesPerSecond = 1, PeakFlops = new() { Fp32 = 1 } }.ToProfile();
        Assert.Equal(DeviceTier.Laptop, laptop.Tier);
        Assert.Equal(DeviceTier.Embedded, DeviceTiers.Default(laptop.Class)); // what the edge-CPU class alone would say
        Assert.Equal(["Device 'x': Tier must be one of cloud, desktop, laptop, mobile, embedded; was 'orbit'."],
            new DeviceProfileOptions { Id = "x", Class = "npu", Tier = "orbit", MemoryBytes = 1, MemoryBandwidthBytesPerSecond = 1, PeakFlops = new() { Int8 = 1 } }.Validate());
    }
}
