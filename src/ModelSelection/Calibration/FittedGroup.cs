using ModelSelection.Devices;
using ModelSelection.Runtimes;

namespace ModelSelection.Calibration;

/// <summary>One runtime on one device class, fitted.</summary>
/// <param name="Runtime">The runtime id.</param>
/// <param name="Class">The device class.</param>
/// <param name="Points">The points it was fitted to.</param>
/// <param name="Start">The efficiency the fit started from and was held towards.</param>
/// <param name="Fitted">The fitted efficiency.</param>
public sealed record FittedGroup(string Runtime, DeviceClass Class, int Points, RuntimeEfficiency Start, RuntimeEfficiency Fitted);
