using FsCheck.Xunit;
using ModelSelection.Tests.Generators;
using UnitsNet;
using UnitsNet.Units;

namespace ModelSelection.Tests;

public class UnitConversionsTests
{
    [Fact]
    public void Bytes_UseBinaryPrefixesForGibibytesAndDecimalForGigabytes()
    {
        Assert.Equal(1L << 30, UnitConversions.ToBytes(Information.FromGibibytes(1)));
        Assert.Equal(1_000_000_000L, UnitConversions.ToBytes(Information.FromGigabytes(1)));
        Assert.Equal(80L << 30, UnitConversions.ToBytes(Information.FromGibibytes(80)));
        Assert.Equal(1L, UnitConversions.ToBytes(Information.FromBits(8)));
    }

    [Fact]
    public void Bandwidth_Power_Energy_And_Time_Convert()
    {
        // A100-80GB SXM: 2,039 GB/s (vendor GB/s = 10^9 B/s).
        Assert.Equal(2.039e12, UnitConversions.ToBytesPerSecond(BitRate.FromGigabytesPerSecond(2_039)), 1.0);
        Assert.Equal(2.039e12, (double)UnitConversions.ToBitRate(2.039e12).BytesPerSecond, 1.0);
        Assert.Equal(400, UnitConversions.ToWatts(Power.FromKilowatts(0.4)), 1e-9);
        Assert.Equal(400, (double)UnitConversions.ToPower(400).Watts, 1e-9);
        // 400 W for 2 s = 800 J.
        Assert.Equal(800, UnitConversions.ToJoules(UnitConversions.ToEnergy(Power.FromWatts(400), Duration.FromSeconds(2))), 1e-9);
        Assert.Equal(3.6e6, UnitConversions.ToJoules(Energy.FromKilowattHours(1)), 1e-6);
        Assert.Equal(5, UnitConversions.ToEnergy(5).Joules, 1e-12);
        Assert.Equal(0.05, UnitConversions.ToSeconds(Duration.FromMilliseconds(50)), 1e-15);
        Assert.Equal(50, UnitConversions.ToDuration(0.05).Milliseconds, 1e-9);
    }

    [Fact]
    public void InvalidValues_ThrowWithRuleAndValue()
    {
        var bytes = Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToInformation(-1));
        Assert.StartsWith("Byte count must be between 0 and 9.22337203685478E+18; was -1.", bytes.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToBytes(Information.FromBytes(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToBytes(Information.FromExbibytes(100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToDuration(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToSeconds(Duration.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToPower(-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToEnergy(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitConversions.ToBitRate(-1));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Bytes_round_trip_through_any_information_unit_within_a_relative_1e_15(ParameterCount count, bool binary)
    {
        var bytes = count.Count; // any byte count up to 10^15
        var unit = binary ? InformationUnit.Gibibyte : InformationUnit.Megabyte;
        var converted = UnitConversions.ToInformation(bytes).ToUnit(unit);
        var back = UnitConversions.ToBytes(converted);
        Assert.InRange(Math.Abs(back - bytes), 0, Math.Max(1, bytes * 1e-15));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void Energy_is_power_times_time(Utilization kilowatts, Seconds time)
    {
        var watts = kilowatts.Value * 1000;
        var joules = UnitConversions.ToJoules(UnitConversions.ToEnergy(UnitConversions.ToPower(watts), UnitConversions.ToDuration(time.Value)));
        TestHelper.AssertRelativelyClose(watts * time.Value, joules, 1e-12);
    }
}
