using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Devices;

public class DeviceProfileTests
{
    private static DeviceProfile Device(string id) => DeviceCatalog.BuiltIn.Get(id);

    [Fact]
    public void UnsetFields_TakeTheClassDefaults()
    {
        var minimal = new DeviceProfile { Id = "box", Class = DeviceClass.ConsumerGpu, MemoryBytes = 16L << 30, MemoryBandwidthBytesPerSecond = 500e9, PeakFlops = new PrecisionPeaks { Fp16 = 100e12 } };
        Assert.Equal(0.95, minimal.UsableMemoryFraction);
        Assert.Equal((long)Math.Floor((16L << 30) * 0.95), minimal.UsableMemoryBytes);
        Assert.Equal(0.7, minimal.ComputeEfficiency);
        Assert.Equal(0.85, minimal.MemoryEfficiency);
        Assert.Equal(0.5e-3, minimal.FixedOverheadSeconds);
        Assert.Equal(650L << 20, minimal.RuntimeOverheadBytes);
        Assert.Equal("box", minimal.DisplayName);
        Assert.Equal(16L << 30, UnitConversions.ToBytes(minimal.Memory));
        Assert.Equal(500e9, UnitConversions.ToBytesPerSecond(minimal.MemoryBandwidth), 1.0);
        Assert.Equal(0.5, minimal.FixedOverhead.Milliseconds, 1e-9);
        var phone = minimal with { Class = DeviceClass.PhoneSoc };
        Assert.Equal(0.5, phone.UsableMemoryFraction);
    }

    [Fact]
    public void ImpossibleValues_ThrowNamingTheDeviceAndTheField()
    {
        var l4 = Device("nvidia-l4");
        Assert.StartsWith("Device 'nvidia-l4': MemoryBytes must be greater than 0; was -1.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { MemoryBytes = -1 }).Message);
        Assert.StartsWith("Device 'nvidia-l4': MemoryBandwidthBytesPerSecond must be a finite number greater than 0; was 0.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { MemoryBandwidthBytesPerSecond = 0 }).Message);
        Assert.StartsWith("Device 'nvidia-l4': UsableMemoryFraction must be greater than 0 and at most 1; was 0.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { UsableMemoryFraction = 0 }).Message);
        Assert.StartsWith("Device 'nvidia-l4': ComputeEfficiency must be greater than 0 and at most 1; was 1.2.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { ComputeEfficiency = 1.2 }).Message);
        Assert.StartsWith("Device 'nvidia-l4': MemoryEfficiency must be greater than 0 and at most 1; was NaN.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { MemoryEfficiency = double.NaN }).Message);
        Assert.StartsWith("Device 'nvidia-l4': PeakFlops must support at least one precision; was none.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { PeakFlops = new PrecisionPeaks() }).Message);
        Assert.StartsWith("Device 'nvidia-l4': PowerWatts must be a finite number greater than 0, or null when unknown; was -72.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { PowerWatts = -72 }).Message);
        Assert.StartsWith("Device 'nvidia-l4': PricePerHourUsd must be 0 or more, or null when unknown; was -1.", Assert.Throws<ArgumentOutOfRangeException>(() => l4 with { PricePerHourUsd = -1m }).Message);
        Assert.StartsWith("Peak Fp16 FLOP/s must be a finite number greater than 0, or null when unsupported; was -1.", Assert.Throws<ArgumentOutOfRangeException>(() => new PrecisionPeaks { Fp16 = -1 }).Message);
        Assert.Throws<ArgumentException>(() => l4 with { Id = " " });
    }

    [Fact]
    public void AsNode_MultipliesCapacityAndThroughputButNotEfficiency()
    {
        var h100 = Device("nvidia-h100-sxm-80gb");
        var node = h100.AsNode(8);
        Assert.Equal("nvidia-h100-sxm-80gbx8", node.Id);
        Assert.Equal(8 * (80L << 30), node.MemoryBytes);
        Assert.Equal(8 * 3.35e12, node.MemoryBandwidthBytesPerSecond, 1.0);
        Assert.Equal(8 * 989.5e12, node.PeakFlops.Fp16!.Value, 1.0);
        Assert.Equal(8 * 6.88m, node.PricePerHourUsd);
        Assert.Equal(h100.ComputeEfficiency, node.ComputeEfficiency);
        Assert.Same(h100, h100.AsNode(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => h100.AsNode(0));
    }

    [Theory]
    [InlineData("nvidia-t4", "bf16", "fp16", true)]        // Turing has no bf16: fall back to fp16
    [InlineData("nvidia-t4", "fp16", "fp16", false)]
    [InlineData("nvidia-a100-80gb-sxm", "q4_k_m", "int8", false)] // GGUF computes in int8
    [InlineData("nvidia-a100-80gb-sxm", "gptq", "fp16", false)]   // GPTQ dequantises to fp16
    [InlineData("nvidia-h100-sxm-80gb", "int4", "int8", true)]    // Hopper has no int4 tensor path
    [InlineData("nvidia-a100-80gb-sxm", "fp8", "fp16", true)]     // Ampere has no fp8
    [InlineData("raspberry-pi-4-4gb", "fp16", "fp32", true)]
    [InlineData("raspberry-pi-4-4gb", "int8", "fp32", true)]
    [InlineData("apple-m2", "bf16", "fp16", true)]
    [InlineData("nvidia-v100-sxm2-16gb", "tf32", "fp32", true)]
    public void Resolve_FallsBackInTheDocumentedOrder(string id, string requested, string compute, bool fellBack)
    {
        var resolution = Device(id).PeakFlops.Resolve(NumericPrecision.Parse(requested));
        Assert.NotNull(resolution);
        Assert.Equal(compute, resolution.Value.Compute.Name);
        Assert.Equal(fellBack, resolution.Value.FellBack);
    }

    [Fact]
    public void Resolve_WithNoSupportedFallback_IsNull()
    {
        // The Coral Edge TPU runs int8 only: nothing computes fp16.
        Assert.Null(Device("google-coral-edge-tpu").PeakFlops.Resolve(NumericPrecision.Fp16));
        Assert.NotNull(Device("google-coral-edge-tpu").PeakFlops.Resolve(NumericPrecision.Int8));
    }

    [Property(Arbitrary = [typeof(DeviceArbitraries)], MaxTest = 500)]
    public void The_fallback_precision_is_always_supported_by_the_device(DeviceProfile device, NumericPrecision precision)
    {
        if (device.PeakFlops.Resolve(precision) is not { } resolution)
        {
            // Nothing in the chain is supported.
            Assert.All(PrecisionPeaks.FallbackOrder(precision.ComputePrecision), p => Assert.Null(device.PeakFlops.Get(p)));
            return;
        }

        Assert.Equal(device.PeakFlops.Get(resolution.Compute), resolution.Peak);
        Assert.Contains(resolution.Compute, PrecisionPeaks.FallbackOrder(precision.ComputePrecision));
        Assert.True(resolution.Compute.BitsPerWeight >= precision.ComputePrecision.BitsPerWeight, "falls back only to a wider format");
    }

    [Property(Arbitrary = [typeof(DeviceArbitraries)], MaxTest = 500)]
    public void Overriding_a_field_changes_only_that_field(DeviceOverride change)
    {
        var options = new DeviceProfileOptions();
        var v = change.Value;
        switch (change.Field)
        {
            case nameof(DeviceProfile.MemoryBytes): options.MemoryBytes = (long)(v * (1L << 40)) + 1; break;
            case nameof(DeviceProfile.UsableMemoryFraction): options.UsableMemoryFraction = v; break;
            case nameof(DeviceProfile.MemoryBandwidthBytesPerSecond): options.MemoryBandwidthBytesPerSecond = v * 1e12; break;
            case nameof(DeviceProfile.PowerWatts): options.PowerWatts = v * 1000; break;
            case nameof(DeviceProfile.PricePerHourUsd): options.PricePerHourUsd = (decimal)v * 10; break;
            case nameof(DeviceProfile.ComputeEfficiency): options.ComputeEfficiency = v; break;
            case nameof(DeviceProfile.MemoryEfficiency): options.MemoryEfficiency = v; break;
            case nameof(DeviceProfile.FixedOverheadSeconds): options.FixedOverheadSeconds = v / 100; break;
            case nameof(DeviceProfile.RuntimeOverheadBytes): options.RuntimeOverheadBytes = (long)(v * (1L << 30)); break;
            default: options.InterconnectBandwidthBytesPerSecond = v * 1e12; break;
        }

        var changed = options.ToProfile(change.Device);
        foreach (var property in typeof(DeviceProfile).GetProperties())
        {
            if (property.Name == change.Field || property.Name is nameof(DeviceProfile.UsableMemoryBytes) or nameof(DeviceProfile.Memory) or nameof(DeviceProfile.UsableMemory) or nameof(DeviceProfile.MemoryBandwidth) or nameof(DeviceProfile.FixedOverhead) or "EqualityContract")
            {
                continue; // the field itself, and views computed from it
            }

            var before = property.GetValue(change.Device);
            var after = property.GetValue(changed);
            Assert.True(Equals(before, after) || (before is System.Collections.IEnumerable b && after is System.Collections.IEnumerable a && b.Cast<object>().SequenceEqual(a.Cast<object>())),
                $"{change.Field} changed {property.Name}: {before} → {after}");
        }

    }
}
