namespace ModelSelection.Devices;

/// <summary>How a device computes a requested precision: the precision actually used, its peak, and whether it fell back.</summary>
/// <param name="Requested">The precision asked for (a weight format or a compute precision).</param>
/// <param name="Compute">The compute precision the device uses.</param>
/// <param name="Peak">The device's dense peak at <paramref name="Compute"/>.</param>
/// <param name="FellBack">Whether <paramref name="Compute"/> differs from the requested format's own compute precision.</param>
public readonly record struct PrecisionResolution(NumericPrecision Requested, NumericPrecision Compute, FlopRate Peak, bool FellBack);
