using System.Globalization;

namespace ModelSelection.Tests;

/// <summary>The README's "Use it" example, line for line, with its comments as assertions: the docs stay true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void UseItExample_PrintsWhatTheCommentsSay()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var llama = ParameterCount.Parse("6,738,415,616", CultureInfo.InvariantCulture);
            Assert.Equal("6.74B", llama.ToString());
            long fp16 = NumericPrecision.Fp16.GetWeightBytes(llama);
            Assert.Equal(13_476_831_232L, fp16);
            var q4km = NumericPrecision.Parse("Q4_K_M", CultureInfo.InvariantCulture);
            Assert.Equal(4.89, q4km.BitsPerWeight);

            var bertForward = FlopCount.Parse("22.35 GFLOP", CultureInfo.InvariantCulture);
            var a100 = FlopRate.Parse("312 TFLOP/s", CultureInfo.InvariantCulture);
            Assert.Equal(71.6, (double)(bertForward / a100).Microseconds, 0.05);

            var budget = ComputeBudget.FromDevices(a100, deviceCount: 8, UnitsNet.Duration.FromHours(24), utilization: 0.4);
            Assert.Equal("8.626e19 FLOP", budget.ToString());

            var plan = ModelSelection.Planning.PretrainingPlanner.Plan(ComputeBudget.FromFlops(5.76e23));
            Assert.Equal("6.93E+010 on 1.39E+012", $"{plan.OptimalParameters:E2} on {plan.OptimalTokens:E2}");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
