using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ModelSelection.Tests.Reliability;

/// <summary>Quantities print and parse back in every culture: ToString() and Parse(string) agree, as in UnitsNet.</summary>
public class CultureRoundTripTests
{
    private static readonly CultureInfo[] Cultures =
    [
        CultureInfo.InvariantCulture, new("en-US"), new("de-DE"), new("fr-FR"), new("es-ES"), new("it-IT"), new("pt-BR"), new("ru-RU"),
        new("pl-PL"), new("sv-SE"), new("nl-NL"), new("ja-JP"), new("zh-CN"), new("hi-IN"), new("ar-SA"), new("tr-TR"), new("fa-IR"), new("de-CH"),
    ];

    public static class Gens
    {
        public static Arbitrary<(long Count, int Culture)> Counts() =>
            (from magnitude in Gen.Choose(0, 15)
             from mantissa in Gen.Choose(0, 999_999)
             from culture in Gen.Choose(0, Cultures.Length - 1)
             select (Math.Min(1_000_000_000_000_000L, (long)(mantissa * Math.Pow(10, magnitude - 6 > 0 ? magnitude - 6 : 0)) + magnitude), culture)).ToArbitrary();

        public static Arbitrary<(double Flops, int Culture)> Flops() =>
            (from exponent in Gen.Choose(-320, 307)
             from mantissa in Gen.Choose(1, 1_000_000)
             from culture in Gen.Choose(0, Cultures.Length - 1)
             select (mantissa / 1e6 * Math.Pow(10, exponent), culture)).ToArbitrary();
    }

    private static T InCulture<T>(CultureInfo culture, Func<T> action)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Property(Arbitrary = [typeof(Gens)], MaxTest = 1000)]
    public void ParameterCount_ToString_and_Parse_agree_in_every_culture((long Count, int Culture) input)
    {
        var culture = Cultures[input.Culture];
        var count = ParameterCount.FromCount(input.Count);
        Assert.Equal(count, ParameterCount.Parse(count.ToString("N", culture), culture));
        Assert.Equal(count, ParameterCount.Parse(count.ToString("D", culture), culture));
        var shortForm = ParameterCount.Parse(count.ToString("G", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Assert.Equal(shortForm, ParameterCount.Parse(count.ToString("G", culture), culture));
        Assert.Equal(shortForm, InCulture(culture, () => ParameterCount.Parse(count.ToString())));
    }

    [Property(Arbitrary = [typeof(Gens)], MaxTest = 1000)]
    public void FlopCount_ToString_and_Parse_agree_in_every_culture((double Flops, int Culture) input)
    {
        var culture = Cultures[input.Culture];
        var flops = FlopCount.FromFlops(input.Flops);
        var invariant = FlopCount.Parse(flops.ToString("G", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Assert.Equal(invariant, FlopCount.Parse(flops.ToString("G", culture), culture));
        Assert.Equal(invariant, InCulture(culture, () => FlopCount.Parse(flops.ToString())));
    }

    [Fact]
    public void Extremes_FormatAndParseBack()
    {
        foreach (var value in new[] { double.MaxValue, 1.7976e308, 1e-323, double.Epsilon, 1e-4, 9.9999e17 })
        {
            foreach (var culture in Cultures)
            {
                var text = FlopCount.FromFlops(value).ToString("G", culture);
                Assert.True(FlopCount.TryParse(text, culture, out _), $"{value:R} in {culture.Name}: '{text}'");
            }
        }
    }

    [Theory]
    [InlineData("3.5", "de-DE")]     // '.' groups thousands in de-DE: 3.5 is neither 3½ nor 35
    [InlineData("0,001", "")]        // a leading zero group
    [InlineData("1,00", "")]         // a group of two
    [InlineData("12,3456", "en-US")] // a group of four
    [InlineData("1,000.5,0", "")]    // a separator after the point
    [InlineData("5e-324", "")]       // underflows to 0, but is not a whole number
    public void ParameterCount_Parse_RefusesMisplacedSeparatorsAndFractions(string text, string culture) =>
        Assert.Throws<FormatException>(() => ParameterCount.Parse(text, CultureInfo.GetCultureInfo(culture)));

    [Theory]
    [InlineData("66.362.880", "de-DE", 66_362_880L)]
    [InlineData("7,24B", "de-DE", 7_240_000_000L)]
    [InlineData("66,362,880", "", 66_362_880L)]
    [InlineData("1,000", "", 1_000L)]
    public void ParameterCount_Parse_AcceptsTheCulturesOwnGrouping(string text, string culture, long expected) =>
        Assert.Equal(expected, ParameterCount.Parse(text, CultureInfo.GetCultureInfo(culture)).Count);
}
