using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ModelSelection;
using ModelSelection.Samples.WebApi;

var builder = WebApplication.CreateBuilder(args);
// The framework validates endpoint parameters (AddValidation: the DataAnnotations attributes and IValidatableObject on
// SelectBody) and answers an invalid one with 400 ValidationProblemDetails; its errors are keyed by the JSON field
// names the client sent ("batch"), not the C# property names ("Batch").
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    if (context.ProblemDetails is HttpValidationProblemDetails validation)
    {
        var naming = context.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.PropertyNamingPolicy;
        var errors = validation.Errors.ToDictionary(e => JsonFieldPath(e.Key, naming), e => e.Value, StringComparer.Ordinal);
        validation.Errors.Clear();
        foreach (var (field, messages) in errors)
        {
            validation.Errors[field] = messages;
        }
    }
});
builder.Services.AddValidation();
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

// The body is validated by the framework before the handler runs (AddValidation, the attributes and
// IValidatableObject on SelectBody): an invalid one is answered 400 with problem details naming each field.
app.MapPost("/select", async (SelectBody body, IModelSelector selector, IModelSelectionCatalogs catalogs, ISelectionProfiles profiles, CancellationToken cancellationToken) =>
{
    var request = body.ToRequest(profiles, catalogs);
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

// "Devices[1].Memory" → "devices[1].memory" under the camelCase policy: each member of the path as JSON spells it.
static string JsonFieldPath(string path, JsonNamingPolicy? naming) => naming is null
    ? path
    : string.Join('.', path.Split('.').Select(segment => segment.IndexOf('[', StringComparison.Ordinal) is var bracket and > 0
        ? naming.ConvertName(segment[..bracket]) + segment[bracket..]
        : segment.Length > 0 && segment[0] != '[' ? naming.ConvertName(segment) : segment));

/// <summary>The entry point, public for <c>WebApplicationFactory</c> in the integration tests.</summary>
public partial class Program;
