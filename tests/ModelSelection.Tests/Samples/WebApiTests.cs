extern alias webapi;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelSelection.Tests.Samples;

/// <summary>The ASP.NET Core sample through its real pipeline: configured from its appsettings.json with two named profiles.</summary>
public sealed class WebApiTests : IClassFixture<WebApplicationFactory<webapi::Program>>
{
    private readonly HttpClient _client;

    public WebApiTests(WebApplicationFactory<webapi::Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task GetModelsAndDevices_ListTheCatalogs()
    {
        using var models = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/models", UriKind.Relative)));
        Assert.Equal(ModelSelection.Catalog.ModelCatalog.BuiltIn.Models.Length, models.RootElement.GetArrayLength());
        using var devices = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/devices", UriKind.Relative)));
        Assert.Equal(ModelSelection.Catalog.DeviceCatalog.BuiltIn.Devices.Length, devices.RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/compare?devices=raspberry-pi-5-8gb&budgetMs=50&task=classification&precision=int8")]
    public async Task GetCompare_IsAPageWithTheFormTheTableAndThePicture(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form id=\"compare\" method=\"get\" action=\"/compare\">", html, StringComparison.Ordinal);
        Assert.Contains("<table id=\"comparison\">", html, StringComparison.Ordinal);
        Assert.Contains("<img id=\"plot\"", html, StringComparison.Ordinal);
        foreach (var model in ModelSelection.Comparison.ComparisonRequest.SeedModels)
        {
            Assert.Contains(">" + model + "</td>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetCompare_WithABadBudget_Is400WithTheFieldsMessage()
    {
        using var response = await _client.GetAsync(new Uri("/compare?budgetMs=-3&devices=nvidia-a100-80gb-sxm,bogus", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-field=\"budgetMs\">The budget must be a positive number of milliseconds; was &#39;-3&#39;.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"devices\">Unknown device(s): bogus.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table id=\"comparison\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetComparePng_IsA1200PixelWidePng_OrAProblemForBadInput()
    {
        using var response = await _client.GetAsync(new Uri("/compare.png?devices=apple-m3", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(1200, (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]); // IHDR width, big-endian

        using var bad = await _client.GetAsync(new Uri("/compare.png?task=poetry", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("GET", "/no-such-route", null, null, HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/select", null, null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/select", "candidates=gpt2", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("POST", "/select", "{\"candidates\": [\"gpt2\"", "application/json", HttpStatusCode.BadRequest)]
    public async Task Every4xx_AnswersWithProblemDetails(string method, string path, string? body, string? mediaType, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType!);
        }

        using var response = await _client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/models", "/devices", "/select", "/compare", "/compare.png" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    [Fact]
    public async Task PostSelect_WithTheEdgeProfile_ChoosesAndExplains()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { profile = "edge", candidates = new[] { "meta-llama/Llama-2-7b-hf", "microsoft/phi-2", "Qwen/Qwen2-0.5B" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choice = document.RootElement.GetProperty("choice");
        Assert.Contains(choice.GetProperty("device").GetString(), new[] { "nvidia-jetson-orin-nano-8gb", "raspberry-pi-5-8gb" });
        Assert.Contains(choice.GetProperty("model").GetString()!, document.RootElement.GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task PostSelect_WithTheCloudProfile_RanksByCost()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { profile = "cloud", candidates = new[] { "meta-llama/Meta-Llama-3-8B", "mistralai/Mistral-7B-v0.1" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("choice").ValueKind);
    }

    [Fact]
    public async Task PostSelect_TakesRuntimesAndNamesTheChosenOne()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-a100-80gb-sxm" }, candidates = new[] { "meta-llama/Llama-2-7b-hf" }, runtimes = new[] { "tensorrt-llm" }, generatedTokens = 16 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("tensorrt-llm", document.RootElement.GetProperty("choice").GetProperty("runtime").GetString());

        using var bad = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-t4" }, runtimes = new[] { "vlm" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.StartsWith("Unknown runtime(s): vlm; known: ", problem.RootElement.GetProperty("errors").GetProperty("runtimes")[0].GetString());
    }

    [Fact]
    public async Task PostSelect_BadRequest_IsProblemDetailsNamingTheFields()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { profile = "moon", precisions = new[] { "fp64" }, objective = "fastest", devices = new[] { "toaster" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = document.RootElement.GetProperty("errors");
        Assert.StartsWith("Unknown profile 'moon'; configured: ", errors.GetProperty("profile")[0].GetString());
        Assert.StartsWith("Unknown precision 'fp64'", errors.GetProperty("precisions")[0].GetString());
        Assert.StartsWith("Objective must be one of", errors.GetProperty("objective")[0].GetString());
        Assert.Equal("Unknown device(s): toaster.", errors.GetProperty("devices")[0].GetString());
    }

    [Fact]
    public async Task Select_UnknownTaskOrBenchmark_AndIgnoredLimits_AreValidationProblems()
    {
        // Field rules first (the attributes); the rules between fields (IValidatableObject) run once every field is
        // valid — DataAnnotations' order, which the framework's validation keeps.
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-t4" }, task = "chat", benchmark = "mmlu", maxTimePerOutputTokenMs = 50 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = document.RootElement.GetProperty("errors");
        Assert.Equal("Unknown task 'chat'; known: embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling.", errors.GetProperty("task")[0].GetString());
        Assert.StartsWith("Unknown benchmark 'mmlu'; did you mean mmlu-5shot?", errors.GetProperty("benchmark")[0].GetString());

        using var fixedFields = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-t4" }, task = "text-generation", benchmark = "mmlu-5shot", maxTimePerOutputTokenMs = 50 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, fixedFields.StatusCode);
        using var second = JsonDocument.Parse(await fixedFields.Content.ReadAsStringAsync());
        Assert.Equal("A per-output-token limit needs generated tokens: set generatedTokens.", Assert.Single(second.RootElement.GetProperty("errors").EnumerateObject(), e => e.Name == "maxTimePerOutputTokenMs").Value[0].GetString());
    }

    [Fact]
    public async Task PostSelect_InvalidBody_IsTheFrameworksValidationProblem_KeyedByTheJsonFieldNames()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-t4" }, inputTokens = 0, generatedTokens = -1, maxLatencyMs = -5, batch = 2_000_000 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("One or more validation errors occurred.", document.RootElement.GetProperty("title").GetString()); // the framework's ValidationProblemDetails
        Assert.Equal(400, document.RootElement.GetProperty("status").GetInt32());
        var errors = document.RootElement.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value[0].GetString(), StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["batch"] = "Batch must be between 1 and 1E+6; was 2000000.",
                ["inputTokens"] = "Input tokens must be between 1 and 1E+7; was 0.",
                ["generatedTokens"] = "Generated tokens must be between 0 and 1E+7; was -1.",
                ["maxLatencyMs"] = "MaxLatency must be a positive duration; was -00:00:00.0050000.",
            },
            errors);
    }

    [Fact]
    public async Task PostSelect_WithoutDevicesOrAFloorWithoutABenchmark_NamesTheField()
    {
        using var noDevice = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { candidates = new[] { "gpt2" } });
        Assert.Equal(HttpStatusCode.BadRequest, noDevice.StatusCode);
        using var first = JsonDocument.Parse(await noDevice.Content.ReadAsStringAsync());
        Assert.Equal("Name at least one device, or a profile that does.", first.RootElement.GetProperty("errors").GetProperty("devices")[0].GetString());

        using var floor = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-t4" }, candidates = new[] { "gpt2", "bert-base-uncased" }, minQuality = 50 });
        Assert.Equal(HttpStatusCode.BadRequest, floor.StatusCode);
        using var second = JsonDocument.Parse(await floor.Content.ReadAsStringAsync());
        Assert.Equal("A quality floor needs a benchmark or a task: set benchmark or task.", second.RootElement.GetProperty("errors").GetProperty("minQuality")[0].GetString());
    }

    [Fact]
    public void SelectBody_IsPlainDataAnnotations_ValidatedByValidatorToo()
    {
        using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddModelSelection().BuildServiceProvider();
        var body = new webapi::ModelSelection.Samples.WebApi.SelectBody { Devices = ["toaster"], Precisions = ["fp64"], Objective = "fastest" };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(body, new System.ComponentModel.DataAnnotations.ValidationContext(body, services, null), results, validateAllProperties: true));
        Assert.Equal(
            ["Devices: Unknown device(s): toaster.", "Precisions: Unknown precision 'fp64'", "Objective: Objective must be one of Quality, Latency, Cost, Energy, Smallest; was 'fastest'."],
            results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}").Select(e => e.Split(';')[0].StartsWith("Precisions", StringComparison.Ordinal) ? e.Split(';')[0] : e));

        var valid = new webapi::ModelSelection.Samples.WebApi.SelectBody { Devices = ["nvidia-t4"], Batch = 4, MaxLatencyMs = 20 };
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(valid, new System.ComponentModel.DataAnnotations.ValidationContext(valid, services, null), new List<System.ComponentModel.DataAnnotations.ValidationResult>(), validateAllProperties: true));
        var request = valid.ToRequest(services.GetRequiredService<ISelectionProfiles>(), services.GetRequiredService<IModelSelectionCatalogs>());
        Assert.Equal((4, TimeSpan.FromMilliseconds(20)), (request.Workload.Batch, request.Constraints.MaxLatency!.Value));
    }

    [Fact]
    public async Task Select_WithATask_SaysWhatRanked()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-h100-sxm-80gb" }, task = "extractive-qa", candidates = new[] { "roberta-large", "bert-large-uncased", "distilbert-base-uncased" } });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("extractive-qa", document.RootElement.GetProperty("task").GetString());
        Assert.Equal("squad-v1.1-f1", document.RootElement.GetProperty("benchmark").GetString());
        Assert.Equal("score", document.RootElement.GetProperty("rankedBy").GetString());
        Assert.Equal("roberta-large", document.RootElement.GetProperty("choice").GetProperty("model").GetString());
    }

    [Fact]
    public async Task PostSelect_OutOfRangeWorkload_NamesTheField()
    {
        using var response = await _client.PostAsJsonAsync(new Uri("/select", UriKind.Relative), new { devices = new[] { "nvidia-t4" }, batch = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Batch must be between 1 and 1E+6; was 0.", document.RootElement.GetProperty("errors").GetProperty("batch")[0].GetString());
    }
}
