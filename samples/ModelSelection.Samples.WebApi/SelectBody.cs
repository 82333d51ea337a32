using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ModelSelection.Samples.WebApi.Validation;

namespace ModelSelection.Samples.WebApi;

/// <summary>
/// The body of <c>POST /select</c>: a profile name and/or explicit fields (explicit fields override the profile).
/// </summary>
/// <remarks>
/// Validated by the framework (<c>builder.Services.AddValidation()</c>) before the endpoint runs; an invalid body is
/// answered with a 400 <c>ValidationProblemDetails</c> whose <c>errors</c> name each field. Names are checked by
/// <see cref="KnownNameAttribute"/>; the numbers and the rules that span fields by <see cref="Validate"/>, which
/// applies the library's own guards (<c>InferenceWorkload</c>, <c>SelectionConstraints</c>) and reports each guard's
/// message under the field that caused it — so the ranges live in one place, the library.
/// </remarks>
public sealed record SelectBody : IValidatableObject
{
    /// <summary>Gets a configured profile to start from.</summary>
    [KnownName(NameKind.Profile)]
    public string? Profile { get; init; }

    /// <summary>Gets the devices to choose among (or <c>local</c>).</summary>
    [KnownName(NameKind.Device)]
    public string[]? Devices { get; init; }

    /// <summary>Gets the candidate model ids.</summary>
    [KnownName(NameKind.Model)]
    public string[]? Candidates { get; init; }

    /// <summary>Gets the precisions or weight formats to consider.</summary>
    [KnownName(NameKind.Precision)]
    public string[]? Precisions { get; init; }

    /// <summary>Gets the task.</summary>
    [KnownName(NameKind.Task)]
    public string? Task { get; init; }

    /// <summary>Gets the benchmark quality is measured on.</summary>
    [KnownName(NameKind.Benchmark)]
    public string? Benchmark { get; init; }

    /// <summary>Gets the quality floor on the benchmark's scale.</summary>
    public double? MinQuality { get; init; }

    /// <summary>Gets the latency limit in milliseconds.</summary>
    public double? MaxLatencyMs { get; init; }

    /// <summary>Gets the time-per-output-token limit in milliseconds.</summary>
    public double? MaxTimePerOutputTokenMs { get; init; }

    /// <summary>Gets the batch size.</summary>
    public int? Batch { get; init; }

    /// <summary>Gets the input (prompt) tokens.</summary>
    public int? InputTokens { get; init; }

    /// <summary>Gets the generated tokens.</summary>
    public int? GeneratedTokens { get; init; }

    /// <summary>Gets the objective (Quality, Latency, Cost, …, ignoring case).</summary>
    [KnownName(NameKind.Objective)]
    public string? Objective { get; init; }

    /// <summary>Gets whether to answer with the closest miss when nothing fits.</summary>
    public bool? BestEffort { get; init; }

    /// <summary>Gets the runtimes (inference engines) to consider.</summary>
    [KnownName(NameKind.Runtime)]
    public string[]? Runtimes { get; init; }

    /// <summary>The rules a single attribute cannot state: the library's range guards and the rules between fields (and the profile).</summary>
    /// <param name="validationContext">The context; its services give the profiles and catalogs in force.</param>
    /// <returns>Each failure, naming its field.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var errors = new List<ValidationResult>();
        _ = Build(Required<ISelectionProfiles>(validationContext), Required<IModelSelectionCatalogs>(validationContext), errors);
        return errors;
    }

    /// <summary>The request this body describes, once it is valid.</summary>
    /// <param name="profiles">The profiles in force.</param>
    /// <param name="catalogs">The catalogs in force.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ValidationException">The body is invalid (the framework's validation did not run): the first failure.</exception>
    public SelectionRequest ToRequest(ISelectionProfiles profiles, IModelSelectionCatalogs catalogs)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(catalogs);
        var errors = new List<ValidationResult>();
        var request = Build(profiles, catalogs, errors);
        return errors.Count == 0 ? request : throw new ValidationException(errors[0], null, this);
    }

    /// <summary>The body speaks milliseconds; the library takes a <see cref="TimeSpan"/> and refuses one that is not positive.</summary>
    private static TimeSpan Milliseconds(double ms, string field) => double.IsFinite(ms) && Math.Abs(ms) < TimeSpan.MaxValue.TotalMilliseconds
        ? TimeSpan.FromMilliseconds(ms)
        : throw new ArgumentOutOfRangeException(field, ms, $"{field} must be a finite number of milliseconds; was {ms.ToString(CultureInfo.InvariantCulture)}.");

    private static T Required<T>(ValidationContext services)
        where T : class =>
        services.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"Validating a SelectBody needs {typeof(T).Name}: call AddModelSelection.");

    /// <summary>Builds the request, adding a failure per field; names the attributes refuse are skipped here, not reported twice.</summary>
    private SelectionRequest Build(ISelectionProfiles profiles, IModelSelectionCatalogs catalogs, List<ValidationResult> errors)
    {
        void Fail(string member, string message) => errors.Add(new ValidationResult(message, [member]));

        // Each numeric field goes through the library's guard; its message is reported under the field's own name.
        T Guarded<T>(string member, T current, Func<T> change)
        {
            try
            {
                return change();
            }
            catch (ArgumentOutOfRangeException exception)
            {
                Fail(member, exception.Message.Split(" (Parameter")[0]);
                return current;
            }
        }

        var request = Profile is { } profile && profiles.Names.Contains(profile, StringComparer.OrdinalIgnoreCase) ? profiles.GetRequest(profile) : new SelectionRequest();
        if (Devices is { Length: > 0 } devices)
        {
            request = request with { DeviceIds = devices };
        }
        else if (request.DeviceIds.Count == 0)
        {
            Fail(nameof(Devices), "Name at least one device, or a profile that does.");
        }

        request = Candidates is { Length: > 0 } candidates ? request with { CandidateIds = candidates } : request;
        request = Runtimes is { Length: > 0 } runtimes ? request with { RuntimeIds = runtimes } : request;
        request = Task is { } taskName && ModelTasks.TryParse(taskName, out var task) ? request with { Task = task } : request;

        var precisions = new List<NumericPrecision>();
        foreach (var name in Precisions ?? [])
        {
            if (NumericPrecision.TryParse(name, CultureInfo.InvariantCulture, out var precision))
            {
                precisions.Add(precision);
            }
        }

        var w = request.Workload;
        w = Batch is { } b ? Guarded(nameof(Batch), w, () => w with { Batch = b }) : w;
        w = InputTokens is { } s ? Guarded(nameof(InputTokens), w, () => w with { InputTokens = s }) : w;
        w = GeneratedTokens is { } g ? Guarded(nameof(GeneratedTokens), w, () => w with { GeneratedTokens = g }) : w;

        var c = request.Constraints;
        c = Benchmark is { } bench && catalogs.Benchmarks.TryGet(bench, out var benchmark) ? c with { QualityBenchmark = benchmark.Id } : c;
        c = MinQuality is { } q ? c with { MinQuality = q } : c;
        c = MaxLatencyMs is { } l ? Guarded(nameof(MaxLatencyMs), c, () => c with { MaxLatency = Milliseconds(l, nameof(MaxLatencyMs)) }) : c;
        c = MaxTimePerOutputTokenMs is { } t ? Guarded(nameof(MaxTimePerOutputTokenMs), c, () => c with { MaxTimePerOutputToken = Milliseconds(t, nameof(MaxTimePerOutputTokenMs)) }) : c;
        request = request with
        {
            Workload = w,
            Constraints = c,
            Precisions = precisions.Count > 0 ? precisions : request.Precisions,
            Objective = Objective is { } text && Enum.TryParse<SelectionObjective>(text, ignoreCase: true, out var objective) ? objective : request.Objective,
            NoFit = BestEffort is true ? NoFitBehavior.BestEffort : request.NoFit,
        };

        if (c.MaxTimePerOutputToken is not null && w.GeneratedTokens == 0)
        {
            Fail(nameof(MaxTimePerOutputTokenMs), "A per-output-token limit needs generated tokens: set generatedTokens.");
        }

        if (c.MinQuality is not null && c.QualityBenchmark is null && request.EffectiveTask is null && Benchmark is null && Task is null)
        {
            Fail(nameof(MinQuality), "A quality floor needs a benchmark or a task: set benchmark or task.");
        }

        return request;
    }
}
