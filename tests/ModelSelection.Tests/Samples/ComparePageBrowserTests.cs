using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ModelSelection.Tests.Samples;

/// <summary>The web sample's comparison page in a real headless browser: load it, submit the form, find the table and the picture.</summary>
public class ComparePageBrowserTests
{
    [BrowserFact]
    public async Task ComparePage_InChromium_SubmitsTheFormAndShowsTheTableAndThePicture()
    {
        Assert.True(File.Exists(BrowserFactAttribute.Chromium) && File.Exists(BrowserFactAttribute.ChromeDriver), $"CI must install {BrowserFactAttribute.Chromium} and {BrowserFactAttribute.ChromeDriver} (apt-get install chromium chromium-driver).");
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var server = StartWebSample(port);
        try
        {
            await WaitUntilAnswering(baseUrl, server);
            var options = new ChromeOptions { BinaryLocation = BrowserFactAttribute.Chromium };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,2400");
            using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(BrowserFactAttribute.ChromeDriver)!, Path.GetFileName(BrowserFactAttribute.ChromeDriver));
            service.SuppressInitialDiagnosticInformation = true;
            using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
            driver.Navigate().GoToUrl(baseUrl + "/");
            Assert.NotEmpty(driver.FindElements(By.CssSelector("#comparison tbody tr")));

            // Two devices, a tighter budget, submitted through the form.
            foreach (var box in driver.FindElements(By.CssSelector("input[name=devices]")).Where(b => b.Selected))
            {
                box.Click();
            }

            driver.FindElement(By.CssSelector("input[name=devices][value='nvidia-a100-80gb-sxm']")).Click();
            driver.FindElement(By.CssSelector("input[name=devices][value='raspberry-pi-5-8gb']")).Click();
            var budget = driver.FindElement(By.Name("budgetMs"));
            budget.Clear();
            budget.SendKeys("50");
            driver.FindElement(By.CssSelector("#compare button[type=submit]")).Click();
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60));
            wait.Until(d => d.Url.Contains("budgetMs=50", StringComparison.Ordinal));

            var rows = driver.FindElements(By.CssSelector("#comparison tbody tr"));
            Assert.Equal(ModelSelection.Comparison.ComparisonRequest.SeedModels.Count, rows.Count);
            var headers = driver.FindElements(By.CssSelector("#comparison thead th")).Select(h => h.Text).ToList();
            Assert.Contains(headers, h => h.StartsWith("raspberry-pi-5-8gb", StringComparison.Ordinal));
            Assert.Contains(headers, h => h.StartsWith("nvidia-a100-80gb-sxm", StringComparison.Ordinal));
            var choices = driver.FindElements(By.CssSelector("#choices li")).Select(li => li.Text).ToList();
            Assert.Contains(choices, c => c.StartsWith("cloud — nvidia-a100-80gb-sxm: bert-large-uncased", StringComparison.Ordinal));
            Assert.Contains(choices, c => c.StartsWith("embedded — raspberry-pi-5-8gb:", StringComparison.Ordinal) && !c.Contains("bert-large", StringComparison.Ordinal) && !c.Contains("bert-base", StringComparison.Ordinal));

            var image = driver.FindElement(By.Id("plot"));
            var width = wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript("return arguments[0].complete ? arguments[0].naturalWidth : null;", image));
            Assert.Equal(1200L, Convert.ToInt64(width, System.Globalization.CultureInfo.InvariantCulture));

            var shots = Path.Combine(SharedFiles.RepositoryRoot, "artifacts", "test-results");
            Directory.CreateDirectory(shots);
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(Path.Combine(shots, "compare-page.png"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static Process StartWebSample(int port)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var folder = Path.Combine(SharedFiles.RepositoryRoot, "samples", "ModelSelection.Samples.WebApi", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(folder, "ModelSelection.Samples.WebApi.dll"), "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start the web sample.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAnswering(string baseUrl, Process server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 120; attempt++)
        {
            Assert.False(server.HasExited, $"the web sample exited with {(server.HasExited ? server.ExitCode : 0)}");
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl + "/devices"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"the web sample did not answer at {baseUrl} within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
