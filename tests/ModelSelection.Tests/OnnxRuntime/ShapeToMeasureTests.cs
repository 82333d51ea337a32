using ModelSelection.OnnxRuntime;

namespace ModelSelection.Tests.OnnxRuntime;

/// <summary><see cref="ShapeToMeasure"/>'s parsing and <see cref="OnnxMeasurementOptions"/>' guards.</summary>
public sealed class ShapeToMeasureTests
{
    [Theory]
    [InlineData("8x128", 8, 128)]
    [InlineData("1X1", 1, 1)]
    [InlineData(" 4 × 512 ", 4, 512)]
    public void Parse_BatchBySequence_RoundTrips(string text, int batch, int sequence)
    {
        var shape = ShapeToMeasure.Parse(text);

        Assert.Equal(new ShapeToMeasure(batch, sequence), shape);
        Assert.Equal(shape, ShapeToMeasure.Parse(shape.ToString(), null));
        Assert.True(ShapeToMeasure.TryParse(text, out var parsed));
        Assert.Equal(shape, parsed);
    }

    [Theory]
    [InlineData("8by128", "'8by128' is not a shape: write BATCHxSEQUENCE, e.g. 8x128.")]
    [InlineData("", "'' is not a shape: write BATCHxSEQUENCE, e.g. 8x128.")]
    [InlineData("8x", "'8x' is not a shape: write BATCHxSEQUENCE, e.g. 8x128.")]
    [InlineData("8x128x2", "'8x128x2' is not a shape: write BATCHxSEQUENCE, e.g. 8x128.")]
    [InlineData("-1x5", "'-1x5' is not a shape: write BATCHxSEQUENCE, e.g. 8x128.")]
    [InlineData("0x5", "'0x5' is not a shape: the batch must be between 1 and 1,000,000; was 0.")]
    [InlineData("5x0", "'5x0' is not a shape: the sequence length must be between 1 and 10,000,000; was 0.")]
    public void Parse_NotAShape_IsAFormatExceptionThatSaysWhatToWrite(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => ShapeToMeasure.Parse(text));

        Assert.Equal(message, error.Message);
        Assert.False(ShapeToMeasure.TryParse(text, null, out var result));
        Assert.Equal(default, result);
    }

    [Fact]
    public void Constructor_OutOfRange_IsRefused()
    {
        Assert.Contains("batch of a shape to measure must be between 1 and 1,000,000; was 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ShapeToMeasure(0, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("sequence length of a shape to measure must be between 1 and 10,000,000; was 10,000,001", Assert.Throws<ArgumentOutOfRangeException>(() => new ShapeToMeasure(1, 10_000_001)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => ShapeToMeasure.Parse(null!));
        Assert.False(ShapeToMeasure.TryParse(null, out _));
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = OnnxMeasurementOptions.Default;

        Assert.Equal((2, 5, 200, TimeSpan.FromSeconds(1), (int?)null, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL, true),
            (options.Warmup, options.MinimumRepeats, options.MaximumRepeats, options.MinimumDuration, options.IntraOpThreads, options.GraphOptimizationLevel, options.MeasureMemory));
    }

    [Fact]
    public void Options_OutOfRange_AreRefusedWithTheRule()
    {
        static string Refused(Func<OnnxMeasurementOptions> create) => Assert.Throws<ArgumentOutOfRangeException>(() => create()).Message;

        Assert.Contains("Warmup must be between 0 and 1,000; was -1", Refused(() => new() { Warmup = -1 }), StringComparison.Ordinal);
        Assert.Contains("Warmup must be between 0 and 1,000; was 1,001", Refused(() => new() { Warmup = 1001 }), StringComparison.Ordinal);
        Assert.Contains("MinimumRepeats must be between 1 and 100,000; was 0", Refused(() => new() { MinimumRepeats = 0 }), StringComparison.Ordinal);
        Assert.Contains("MaximumRepeats must be between 1 and 1,000,000; was 0", Refused(() => new() { MaximumRepeats = 0 }), StringComparison.Ordinal);
        Assert.Contains("MinimumDuration must be between 00:00:00 and 01:00:00; was -00:00:01", Refused(() => new() { MinimumDuration = TimeSpan.FromSeconds(-1) }), StringComparison.Ordinal);
        Assert.Contains("MinimumDuration must be between 00:00:00 and 01:00:00; was 01:00:01", Refused(() => new() { MinimumDuration = TimeSpan.FromSeconds(3601) }), StringComparison.Ordinal);
        Assert.Contains("IntraOpThreads must be between 1 and 1,024; was 0", Refused(() => new() { IntraOpThreads = 0 }), StringComparison.Ordinal);
        Assert.Contains("IntraOpThreads must be between 1 and 1,024; was 1,025", Refused(() => new() { IntraOpThreads = 1025 }), StringComparison.Ordinal);
        Assert.Contains("GraphOptimizationLevel must be one of ", Refused(() => new() { GraphOptimizationLevel = (Microsoft.ML.OnnxRuntime.GraphOptimizationLevel)5 }), StringComparison.Ordinal);
        Assert.Null((new OnnxMeasurementOptions { IntraOpThreads = 4 } with { IntraOpThreads = null }).IntraOpThreads);
        Assert.Equal(TimeSpan.FromHours(1), new OnnxMeasurementOptions { MinimumDuration = TimeSpan.FromHours(1) }.MinimumDuration);
    }
}
