using ModelSelection.Internal;

namespace ModelSelection.Tests.Internal;

public class ProbeSampleTests
{
    [Fact]
    public void From_OddCount_TakesTheMiddleRun()
    {
        var sample = ProbeSample.From([5, 1, 4, 2, 3]);
        Assert.Equal(new ProbeSample(3, 1, 5, 5), sample);
        Assert.Equal(4.0 / 3, sample.Spread, 12);
    }

    [Fact]
    public void From_EvenCount_AveragesTheMiddleTwo() =>
        Assert.Equal(new ProbeSample(2.5, 1, 4, 4), ProbeSample.From([4, 1, 3, 2]));

    [Fact]
    public void From_OneRun_HasNoSpread() =>
        Assert.Equal(0, ProbeSample.From([7]).Spread);

    [Fact]
    public void From_NoRuns_Throws() =>
        Assert.Equal("A probe sample needs at least one run; was 0. (Parameter 'runs')", Assert.Throws<ArgumentException>(() => ProbeSample.From([])).Message);
}
