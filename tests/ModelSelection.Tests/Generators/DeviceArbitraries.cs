using FsCheck;
using FsCheck.Fluent;
using ModelSelection.Catalog;
using ModelSelection.Devices;

namespace ModelSelection.Tests.Generators;

/// <summary>A catalog device and one field override to apply to it through <see cref="DeviceProfileOptions"/>.</summary>
public sealed record DeviceOverride(DeviceProfile Device, string Field, double Value);

/// <summary>Generators over the built-in device catalog (real devices, not random numbers).</summary>
public static class DeviceArbitraries
{
    public static readonly string[] OverridableFields =
    [
        nameof(DeviceProfile.MemoryBytes), nameof(DeviceProfile.UsableMemoryFraction), nameof(DeviceProfile.MemoryBandwidthBytesPerSecond),
        nameof(DeviceProfile.PowerWatts), nameof(DeviceProfile.PricePerHourUsd), nameof(DeviceProfile.ComputeEfficiency),
        nameof(DeviceProfile.MemoryEfficiency), nameof(DeviceProfile.FixedOverheadSeconds), nameof(DeviceProfile.RuntimeOverheadBytes),
        nameof(DeviceProfile.InterconnectBandwidthBytesPerSecond),
    ];

    public static Arbitrary<DeviceProfile> Devices() => Gen.Elements(DeviceCatalog.BuiltIn.Devices.ToArray()).ToArbitrary();

    public static Arbitrary<NumericPrecision> Precisions() => Gen.Elements(NumericPrecision.All.ToArray()).ToArbitrary();

    public static Arbitrary<DeviceOverride> Overrides() =>
        (from device in Gen.Elements(DeviceCatalog.BuiltIn.Devices.ToArray())
         from field in Gen.Elements(OverridableFields)
         from value in Gen.Choose(1, 1000)
         select new DeviceOverride(device, field, value / 1000.0)).ToArbitrary();
}
