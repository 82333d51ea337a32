using Microsoft.AspNetCore.Diagnostics;
using System.Globalization;
using ModelSelection;
using ModelSelection.Samples.WebApi;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProblemDetails();
builder.Services.Configure<ExceptionHandlerOptions>(options =>
    options.StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError); // a malformed body is the caller's 400
builder.Services.AddOpenApi();
builder.Services.AddModelSelection(builder.Configuration.GetSection("ModelSelection"));
var app = builder.Build();
app.UseExceptionHandler();

// Every 4xx without a body of its own (404, 405, 415, a malformed JSON body) answers with RFC 7807 problem details.
app.UseStatusCodePages();
app.MapOpenApi(); // the OpenAPI document at /openapi/v1.json

app.MapGet("/models", (IModelSelectionCatalogs catalogs) => Results.Ok(catalogs.Models.Models.Select(m => new
{
    id = m.Id,
    family = m.Family,
    parameters = m.Parameters.Count,
    qualityScores = m.QualityScores.ToDictionary(s => s.Key, s => s.Value.Value),
})));

app.MapGet("/devices", (IModelSelectionCatalogs catalogs) => Results.Ok(catalogs.Devices.Devices.Select(d => new
{
    id = d.Id,
    @class = ModelSelection.Devices.DeviceClasses.ToName(d.Class),
    memoryBytes = d.MemoryBytes,
    usableMemoryBytes = d.UsableMemoryBytes,
    memoryBandwidthBytesPerSecond = d.MemoryBandwidthBytesPerSecond,
})));

app.MapPost("/select", async (SelectBody body, IModelSelector selector, IModelSelectionCatalogs catalogs, ISelectionProfiles profiles, CancellationToken cancellationToken) =>
{
    var errors = new Dictionary<string, string[]>();
    var request = new SelectionRequest();
    if (body.Profile is { } profile)
    {
        if (!profiles.Names.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            errors["profile"] = [$"Unknown profile '{profile}'; configured: {string.Join(", ", profiles.Names)}."];
        }
        else
        {
            request = profiles.GetRequest(profile);
        }
    }

    var precisions = new List<NumericPrecision>();
    foreach (var name in body.Precisions ?? [])
    {
        if (NumericPrecision.TryParse(name, CultureInfo.InvariantCulture, out var precision))
        {
            precisions.Add(precision);
        }
        else
        {
            errors["precisions"] = [$"Unknown precision '{name}'; known: {string.Join(", ", NumericPrecision.All.Select(p => p.Name))}."];
        }
    }

    SelectionObjective? objective = null;
    if (body.Objective is { } text)
    {
        if (Enum.TryParse<SelectionObjective>(text, ignoreCase: true, out var parsed))
        {
            objective = parsed;
        }
        else
        {
            errors["objective"] = [$"Objective must be one of {string.Join(", ", Enum.GetNames<SelectionObjective>())}; was '{text}'."];
        }
    }

    if (body.Devices is { Length: > 0 } devices)
    {
        var catalog = catalogs.Devices;
        var unknown = devices.Where(d => !string.Equals(d, "local", StringComparison.OrdinalIgnoreCase) && !catalog.TryGet(d, out _)).ToArray();
        if (unknown.Length > 0)
        {
            errors["devices"] = [$"Unknown device(s): {string.Join(", ", unknown)}."];
        }

        request = request with { DeviceIds = devices };
    }
    else if (request.DeviceIds.Count == 0)
    {
        errors["devices"] = ["Name at least one device, or a profile that does."];
    }

    if (body.Candidates is { Length: > 0 } candidates)
    {
        var unknown = candidates.Where(c => !catalogs.Models.TryGet(c, out _)).ToArray();
        if (unknown.Length > 0)
        {
            errors["candidates"] = [$"Unknown model(s): {string.Join(", ", unknown)}."];
        }

        request = request with { CandidateIds = candidates };
    }

    if (body.Runtimes is { Length: > 0 } engines)
    {
        var unknown = engines.Where(r => !catalogs.Runtimes.TryGet(r, out _)).ToArray();
        if (unknown.Length > 0)
        {
            errors["runtimes"] = [$"Unknown runtime(s): {string.Join(", ", unknown)}; known: {string.Join(", ", catalogs.Runtimes.Runtimes.Select(r => r.Id))}."];
        }

        request = request with { RuntimeIds = engines };
    }

    // Each field validates itself; a failure is reported under the field's own name.
    T Field<T>(string name, T current, Func<T> change)
    {
        try
        {
            return change();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            errors[name] = [exception.Message.Split(" (Parameter")[0]];
            return current;
        }
    }

    // The body speaks milliseconds; the library takes a TimeSpan and refuses one that is not positive.
    static TimeSpan Milliseconds(double ms) => double.IsFinite(ms) && Math.Abs(ms) < TimeSpan.MaxValue.TotalMilliseconds
        ? TimeSpan.FromMilliseconds(ms)
        : throw new ArgumentOutOfRangeException(nameof(ms), ms, $"must be a finite number of milliseconds; was {ms}.");

    var w = request.Workload;
    w = body.Batch is { } b ? Field("batch", w, () => w with { Batch = b }) : w;
    w = body.InputTokens is { } s ? Field("inputTokens", w, () => w with { InputTokens = s }) : w;
    w = body.GeneratedTokens is { } g ? Field("generatedTokens", w, () => w with { GeneratedTokens = g }) : w;
    if (body.Task is { } taskName)
    {
        if (ModelTasks.TryParse(taskName, out var task))
        {
            request = request with { Task = task };
        }
        else
        {
            errors["task"] = [$"Unknown task '{taskName}'; known: {string.Join(", ", ModelTasks.AllNames)}."];
        }
    }

    var c = request.Constraints;
    if (body.Benchmark is { } bench)
    {
        try
        {
            c = c with { QualityBenchmark = catalogs.Benchmarks.Get(bench).Id };
        }
        catch (ArgumentException exception)
        {
            errors["benchmark"] = [exception.Message.Split(" (Parameter")[0]];
        }
    }

    c = body.MinQuality is { } q ? c with { MinQuality = q } : c;
    c = body.MaxLatencyMs is { } l ? Field("maxLatencyMs", c, () => c with { MaxLatency = Milliseconds(l) }) : c;
    c = body.MaxTimePerOutputTokenMs is { } t ? Field("maxTimePerOutputTokenMs", c, () => c with { MaxTimePerOutputToken = Milliseconds(t) }) : c;
    request = request with
    {
        Workload = w,
        Constraints = c,
        Precisions = precisions.Count > 0 ? precisions : request.Precisions,
        Objective = objective ?? request.Objective,
        NoFit = body.BestEffort is true ? NoFitBehavior.BestEffort : request.NoFit,
    };

    if (c.MaxTimePerOutputToken is not null && w.GeneratedTokens == 0)
    {
        errors["maxTimePerOutputTokenMs"] = ["A per-output-token limit needs generated tokens: set generatedTokens."];
    }

    if (c.MinQuality is not null && c.QualityBenchmark is null && request.EffectiveTask is null)
    {
        errors["minQuality"] = ["A quality floor needs a benchmark or a task: set benchmark or task."];
    }

    if (errors.Count > 0)
    {
        return Results.ValidationProblem(errors, title: "The selection request is invalid.");
    }

    var result = await selector.SelectAsync(request, cancellationToken);
    return Results.Ok(new
    {
        task = result.Task is { } chosenTask ? ModelTasks.ToName(chosenTask) : null,
        benchmark = result.Benchmark,
        rankedBy = result.RankedBy switch { RankingBasis.ParameterProxy => "parameter-proxy", RankingBasis.TieBreaks => "tie-breaks", var basis => basis.ToString().ToLowerInvariant() },
        choice = result.Choice is { } choice ? new { model = choice.Model.Id, precision = choice.Precision.Name, device = choice.Device.Id, deviceCount = choice.DeviceCount, layout = choice.DeviceCount > 1 ? ModelSelection.Estimation.DeviceLayouts.ToName(choice.Layout) : null, runtime = choice.Runtime?.Id, sizeClass = choice.SizeClass.ToString().ToLowerInvariant(), quality = choice.Quality, qualityAssumption = choice.QualityAssumption, latencySeconds = choice.Performance?.LatencySeconds, memoryBytes = choice.Memory.TotalBytes } : null,
        bestEffort = result.BestEffort,
        explanation = result.Explanation,
        bindingConstraint = result.BindingConstraint?.ToString(),
        ranked = result.Ranked.Select(r => r.Key).ToArray(),
        rejected = result.Rejected.Select(r => new { candidate = r.Candidate.Key, reasons = r.Reasons.Select(x => new { code = x.Code.ToString(), message = x.Message, required = x.Required, limit = x.Limit }) }).ToArray(),
    });
});

// The comparison the product exists for, as a page (GET / or /compare, the form submits here) and its picture.
IResult ComparePageResult(HttpContext http, IModelSelectionCatalogs catalogs, ModelSelection.Comparison.ModelComparer comparer)
{
    var devices = catalogs.Devices;
    var (request, errors) = ComparePage.Read(http.Request.Query, devices);
    var result = errors.Count == 0 ? comparer.Compare(request) : null;
    var html = ComparePage.Html(request, result, errors, devices, http.Request.QueryString.Value ?? string.Empty);
    return Results.Content(html, "text/html; charset=utf-8", statusCode: errors.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}

app.MapGet("/", ComparePageResult);
app.MapGet("/compare", ComparePageResult);
app.MapGet("/compare.png", (HttpContext http, IModelSelectionCatalogs catalogs, ModelSelection.Comparison.ModelComparer comparer) =>
{
    var (request, errors) = ComparePage.Read(http.Request.Query, catalogs.Devices);
    return errors.Count > 0
        ? Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }))
        : Results.File(ModelSelection.Samples.Plots.ComparisonPlot.Png(comparer.Compare(request)), "image/png");
});

app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory</c> in the integration tests.</summary>
public partial class Program;
