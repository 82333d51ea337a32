using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ModelSelection.Tests.Selection;

/// <summary>One spelling for a duration at the public API (a <see cref="TimeSpan"/>), the former ones kept obsolete until 1.0.</summary>
public sealed class DurationSpellingTests
{
    [Fact]
    public void ANegativeLatencyLimit_IsRefused_InTheUnitItWasGivenIn()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionConstraints { MaxLatency = TimeSpan.FromMilliseconds(-5) });
        Assert.StartsWith("MaxLatency must be a positive duration; was -00:00:00.0050000.", exception.Message, StringComparison.Ordinal);
        Assert.Equal("MaxLatency", exception.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionConstraints { MaxTimePerOutputToken = TimeSpan.Zero });
    }

    [Fact]
    public void TheFormerSecondsSpelling_IsTheSameLimit()
    {
#pragma warning disable CS0618 // the obsolete spelling is what is under test
        var former = new SelectionConstraints { MaxLatencySeconds = 0.05, MaxTimeToFirstTokenSeconds = 0.2, MaxTimePerOutputTokenSeconds = 0.025 };
        Assert.Equal(0.05, new SelectionConstraints { MaxLatency = TimeSpan.FromMilliseconds(50) }.MaxLatencySeconds);
#pragma warning restore CS0618
        Assert.Equal(new SelectionConstraints { MaxLatency = TimeSpan.FromMilliseconds(50), MaxTimeToFirstToken = TimeSpan.FromMilliseconds(200), MaxTimePerOutputToken = TimeSpan.FromMilliseconds(25) }, former);
        Assert.Equal(TimeSpan.FromMilliseconds(50), former.MaxLatency);
    }

    [Fact]
    public void AProfile_BindsATimeSpan_AndStillReadsTheFormerMilliseconds_ButNotBoth()
    {
        var options = Bind("""{"Profiles": {"new": {"Devices": ["nvidia-t4"], "MaxLatency": "00:00:00.050", "MaxTimePerOutputToken": "00:00:00.020", "GeneratedTokens": 8}, "old": {"Devices": ["nvidia-t4"], "MaxLatencyMs": 50}, "both": {"Devices": ["nvidia-t4"], "MaxLatency": "00:00:00.050", "MaxLatencyMs": 60}}}""");
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Profiles["new"].ToRequest(options).Constraints.MaxLatency);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.Profiles["new"].ToRequest(options).Constraints.MaxTimePerOutputToken);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Profiles["old"].ToRequest(options).Constraints.MaxLatency);
        var exception = Assert.Throws<ArgumentException>(() => options.Profiles["both"].ToRequest(options));
        Assert.StartsWith("Set MaxLatency or its former spelling MaxLatencyMs, not both; they were 00:00:00.0500000 and 60 ms.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_AndTheObsoleteChoose_AreOneDecision()
    {
        using var provider = new ServiceCollection().AddModelSelection(_ => { }).BuildServiceProvider();
        var selector = provider.GetRequiredService<IModelSelector>();
        var request = new SelectionRequest { DeviceIds = ["nvidia-t4"], CandidateIds = ["bert-base-uncased", "distilbert-base-uncased"], Task = ModelTask.Classification };
#pragma warning disable CS0618 // the obsolete name is what is under test
        var former = selector.Choose(request);
#pragma warning restore CS0618
        Assert.Equal(selector.Select(request).Choice!.Key, former.Choice!.Key);
    }

    private static ModelSelectionOptions Bind(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var options = new ModelSelectionOptions();
        configuration.Bind(options);
        return options;
    }
}
