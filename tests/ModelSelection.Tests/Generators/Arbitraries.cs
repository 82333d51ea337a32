using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace ModelSelection.Tests.Generators;

/// <summary>A culture to format and parse in (wrapped so FsCheck can generate it).</summary>
public sealed record TestCulture(CultureInfo Culture)
{
    public override string ToString() => Culture.Name.Length == 0 ? "invariant" : Culture.Name;
}

/// <summary>An exact, whole number of seconds, minutes or hours, as a positive double.</summary>
public sealed record Seconds(double Value);

/// <summary>A model-FLOPs utilisation in (0, 1].</summary>
public sealed record Utilization(double Value);

/// <summary>The one place FsCheck generators live. Values are realistic: model sizes from thousands to trillions of parameters, FLOPs from kilo to zetta.</summary>
public static class Arbitraries
{
    private static readonly CultureInfo[] Cultures =
    [
        CultureInfo.InvariantCulture,
        CultureInfo.GetCultureInfo("de-DE"),
        CultureInfo.GetCultureInfo("en-US"),
        CultureInfo.GetCultureInfo("fr-FR"),
    ];

    /// <summary>Counts spread over every magnitude from 0 to 10¹⁵, with both round (7,000,000,000) and ragged (6,738,415,616) values.</summary>
    public static Gen<long> Counts(long max) =>
        Gen.OneOf(
            Gen.Choose(0, 1_000).Select(x => (long)x),
            from mantissa in Gen.Choose(1, 999_999)
            from exponent in Gen.Choose(0, 12)
            select Math.Min(max, mantissa * (long)Math.Pow(10, exponent)),
            from high in Gen.Choose(0, 999_999)
            from low in Gen.Choose(0, 999_999_999)
            select Math.Min(max, (high * 1_000_000_000L) + low));

    /// <summary>Positive finite doubles from 10⁻³ to 10²⁷, log-uniform.</summary>
    public static Gen<double> Magnitudes() =>
        from mantissa in Gen.Choose(1_000, 9_999_999)
        from exponent in Gen.Choose(-9, 20)
        select mantissa * Math.Pow(10, exponent);

    public static Arbitrary<ParameterCount> ParameterCounts() =>
        Counts(ParameterCount.MaxCount).Select(ParameterCount.FromCount).ToArbitrary();

    public static Arbitrary<DatasetSize> DatasetSizes() =>
        Counts(DatasetSize.MaxTokens).Select(DatasetSize.FromTokens).ToArbitrary();

    public static Arbitrary<FlopCount> FlopCounts() =>
        Gen.OneOf(Gen.Constant(0.0), Magnitudes()).Select(FlopCount.FromFlops).ToArbitrary();

    public static Arbitrary<FlopRate> FlopRates() =>
        Gen.OneOf(Gen.Constant(0.0), Magnitudes()).Select(FlopRate.FromFlopsPerSecond).ToArbitrary();

    public static Arbitrary<ComputeBudget> ComputeBudgets() =>
        Gen.OneOf(Gen.Constant(0.0), Magnitudes()).Select(ComputeBudget.FromFlops).ToArbitrary();

    public static Arbitrary<NumericPrecision> NumericPrecisions() =>
        Gen.Elements(NumericPrecision.All.ToArray()).ToArbitrary();

    public static Arbitrary<TestCulture> TestCultures() =>
        Gen.Elements(Cultures).Select(c => new TestCulture(c)).ToArbitrary();

    public static Arbitrary<Seconds> Durations() =>
        Gen.OneOf(
            Gen.Choose(1, 1_000_000).Select(x => x / 1000.0),
            Gen.Choose(1, 24 * 365).Select(h => h * 3600.0)).Select(s => new Seconds(s)).ToArbitrary();

    public static Arbitrary<ConfigShape> ConfigShapes() => ConfigShape.Generator().ToArbitrary();

    public static Arbitrary<Utilization> Utilizations() =>
        Gen.Choose(1, 1000).Select(x => new Utilization(x / 1000.0)).ToArbitrary();
}
