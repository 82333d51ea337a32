using System.Text.Json;
using System.Xml.Linq;
using ModelSelection.Comparison;
using SkiaSharp;
using static ModelSelection.Tests.Samples.Cli;

namespace ModelSelection.Tests.Samples;

/// <summary><c>modelselect compare</c> (and the root command): its JSON contract, its errors, and the pictures it draws.</summary>
public class CompareCommandTests
{
    private static string Short(string id) => id[(id.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task Compare_Json_ValidatesAgainstTheContract()
    {
        var (exitCode, output, error) = await RunAsync("compare", "--json");
        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        ContractSchemas.AssertValid("compare.schema.json", output);
        using var document = JsonDocument.Parse(output);
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(ComparisonRequest.SeedModels, rows.Select(r => r.GetProperty("model").GetString()));
        var roberta = rows.Single(r => r.GetProperty("model").GetString() == "roberta-large");
        Assert.Equal(JsonValueKind.Null, roberta.GetProperty("performance").GetProperty("score").ValueKind);
        Assert.NotEmpty(roberta.GetProperty("performance").GetProperty("note").GetString()!);
    }

    [Theory]
    [InlineData("compare")]
    [InlineData(null)]
    public async Task Device_OnTheRootOrCompare_ComparesOnThatDevice(string? command)
    {
        string[] args = command is null ? ["--device", "raspberry-pi-5-8gb", "--json"] : [command, "--device", "raspberry-pi-5-8gb", "--json"];
        var (exitCode, output, error) = await RunAsync(args);
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var choice = Assert.Single(document.RootElement.GetProperty("choices").EnumerateArray());
        Assert.Equal("embedded", choice.GetProperty("tier").GetString());
        Assert.Equal("small", choice.GetProperty("sizeClass").GetString());
        Assert.All(document.RootElement.GetProperty("rows").EnumerateArray(), r => Assert.Single(r.GetProperty("compute").GetProperty("devices").EnumerateArray()));
    }

    [Theory]
    [InlineData(new[] { "compare", "--device", "nvidia-rtx-4090", "--devices", "apple-m3" }, "--device names one device and --devices a list; give one of them, not both.")]
    [InlineData(new[] { "compare", "--plot", "out.txt" }, "--plot must name a .svg or .png file; was 'out.txt'.")]
    [InlineData(new[] { "compare", "--budget", "-5ms" }, "--budget must be positive; was -5ms.")]
    [InlineData(new[] { "compare", "--budget", "fast" }, "--budget must be a duration such as 50ms or 2s; was 'fast'.")]
    [InlineData(new[] { "compare", "--task", "poetry" }, "--task must be one of ")]
    [InlineData(new[] { "compare", "--precision", "fp13" }, "--precision: 'fp13' is not a known numeric precision; known: fp32, ")]
    [InlineData(new[] { "compare", "--seq", "0" }, "--seq must be between 1 and 1048576; was 0.")]
    [InlineData(new[] { "compare", "--models", "bert-huge" }, "Unknown model id 'bert-huge'")]
    [InlineData(new[] { "--devices", "," }, "--devices must list at least one id, comma-separated; was ','.")]
    public async Task BadInput_ExitsTwoWithOneLineNamingTheOption(string[] args, string message)
    {
        var (exitCode, output, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Plot_Svg_HasEveryModelAsALabelledPoint()
    {
        var path = Path.Combine(Path.GetTempPath(), $"compare-{Guid.NewGuid():N}.svg");
        try
        {
            var (exitCode, _, error) = await RunAsync("compare", "--plot", path);
            Assert.True(exitCode == 0, error);
            var svg = XDocument.Load(path);
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(ns + "svg", svg.Root!.Name);
            Assert.Equal("1200", svg.Root.Attribute("width")!.Value);
            var texts = svg.Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
            foreach (var model in ComparisonRequest.SeedModels)
            {
                // A label in each of the five device panels and on the size panel (ScottPlot may draw a panel twice while it lays it out).
                Assert.True(texts.Count(t => t == Short(model)) >= 6, $"{model}: {texts.Count(t => t == Short(model))} labels");
            }

            Assert.Contains(texts, t => t.StartsWith("budget 100 ms", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Plot_Png_Is1200PixelsWideAndDrawn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"compare-{Guid.NewGuid():N}.png");
        try
        {
            var (exitCode, output, error) = await RunAsync("compare", "--plot", path);
            Assert.True(exitCode == 0, error);
            Assert.Contains($"Plot written to {path}.", output, StringComparison.Ordinal);
            using var bitmap = SKBitmap.Decode(path);
            Assert.Equal(1200, bitmap.Width);
            Assert.True(bitmap.Height >= 900, $"height {bitmap.Height}");

            // Drawn, not blank: the two size-class colours (#C2410C large, #0F766E small) each cover hundreds of pixels.
            int large = 0, small = 0;
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    large += c is { Red: 0xC2, Green: 0x41, Blue: 0x0C } ? 1 : 0;
                    small += c is { Red: 0x0F, Green: 0x76, Blue: 0x6E } ? 1 : 0;
                }
            }

            Assert.True(large > 300 && small > 300, $"large {large} px, small {small} px");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
