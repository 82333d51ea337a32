namespace ModelSelection.Tests.Samples;

/// <summary>
/// A fact that drives Debian's headless Chromium through its ChromeDriver. It runs wherever both are installed
/// (<c>apt-get install chromium chromium-driver</c>; <c>.ci/run</c> installs them) and always under CI, where a missing
/// browser fails it; elsewhere without them it is skipped and says why.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public const string ChromeDriver = "/usr/bin/chromedriver";

    public BrowserFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !(File.Exists(Chromium) && File.Exists(ChromeDriver)))
        {
            Skip = $"needs {Chromium} and {ChromeDriver} (apt-get install chromium chromium-driver); CI installs them and runs this test.";
        }
    }
}
