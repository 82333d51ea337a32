using System.Collections.Immutable;
using ModelSelection.Runtimes;

namespace ModelSelection.Calibration;

/// <summary>The result of fitting runtime efficiencies to measurements.</summary>
/// <param name="Runtimes">The runtime catalog with the fitted efficiencies.</param>
/// <param name="Before">Each point predicted with the efficiencies the fit started from.</param>
/// <param name="After">Each point predicted with the fitted efficiencies.</param>
/// <param name="LeaveOneOut">Each point predicted by a fit that did not see it (empty unless asked for).</param>
/// <param name="Groups">Each runtime × device class fitted, with its prior and its fitted efficiency.</param>
public sealed record CalibrationFit(
    RuntimeCatalog Runtimes,
    ImmutableArray<CalibrationOutcome> Before,
    ImmutableArray<CalibrationOutcome> After,
    ImmutableArray<CalibrationOutcome> LeaveOneOut,
    ImmutableArray<FittedGroup> Groups);
