using System.Globalization;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Models;
using ModelSelection.Planning;

namespace ModelSelection.Comparison;

/// <summary>
/// Compares large and small models on five dimensions — performance, size, training time, computational
/// requirements and use cases — on a set of devices, every figure computed by the estimators and the selector (or
/// published, with its source), and the choice the selector makes per device.
/// </summary>
/// <remarks>
/// The fine-tuning job is SST-2-sized: 67,349 sentences (the GLUE SST-2 training split, Wang et al. 2018, Table 1:
/// 67k) padded to 128 tokens, 3 epochs at batch 32 (Devlin et al. 2019, §4.1, and the authors' run_classifier example),
/// timed with the <c>pytorch</c> runtime's fitted training efficiency. Stateless and thread-safe.
/// </remarks>
public sealed class ModelComparer
{
    /// <summary>Examples in the fine-tuning job: the GLUE SST-2 training split.</summary>
    public const int FineTuningExamples = 67_349;

    /// <summary>Tokens per example in the fine-tuning job (BERT's max_seq_length for GLUE).</summary>
    public const int FineTuningSequenceLength = 128;

    /// <summary>Epochs of the fine-tuning job.</summary>
    public const int FineTuningEpochs = 3;

    /// <summary>Batch of the fine-tuning job.</summary>
    public const int FineTuningBatch = 32;

    private readonly IModelSelector _selector;
    private readonly IModelSelectionCatalogs _catalogs;
    private readonly PretrainingRecords _records;

    /// <summary>Creates a comparer over a selector and its own catalogs, with the built-in pre-training records.</summary>
    /// <param name="selector">The selector whose catalogs are used and which makes each device's choice.</param>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is <see langword="null"/>.</exception>
    public ModelComparer(ModelSelector selector)
        : this(selector, selector)
    {
    }

    /// <summary>Creates a comparer over a selector and the catalogs it decides with (as dependency injection provides them: <c>AddModelSelection</c> registers this comparer).</summary>
    /// <param name="selector">The selector, which makes each device's choice.</param>
    /// <param name="catalogs">The catalogs models, devices, runtimes and benchmarks are looked up in.</param>
    /// <param name="records">Published pre-training runs; <see langword="null"/> for <see cref="PretrainingRecords.BuiltIn"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> or <paramref name="catalogs"/> is <see langword="null"/>.</exception>
    public ModelComparer(IModelSelector selector, IModelSelectionCatalogs catalogs, PretrainingRecords? records = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(catalogs);
        _selector = selector;
        _catalogs = catalogs;
        _records = records ?? PretrainingRecords.BuiltIn;
    }

    /// <summary>Compares.</summary>
    /// <param name="request">What to compare.</param>
    /// <returns>One row per model and the choice per device.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No model or no device is named, an id is unknown (the message suggests the closest), the task is not defined, or the device <c>local</c> is named by id (probe it and pass the profile in <see cref="ComparisonRequest.Devices"/>).</exception>
    public ComparisonResult Compare(ComparisonRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Task))
        {
            throw new ArgumentException($"Task must be one of {string.Join(", ", ModelTasks.AllNames)}; was {(int)request.Task}.", nameof(request));
        }

        var models = request.ModelIds.Distinct(StringComparer.OrdinalIgnoreCase).Select(_catalogs.Models.Get).ToList();
        if (models.Count == 0)
        {
            throw new ArgumentException("A comparison needs at least one model: set ModelIds.", nameof(request));
        }

        var devices = request.DeviceIds.Distinct(StringComparer.OrdinalIgnoreCase).Select(id => string.Equals(id, Catalog.DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase)
            ? throw new ArgumentException("The device 'local' must be probed: pass its profile in Devices.", nameof(request))
            : _catalogs.Devices.Get(id)).Concat(request.Devices).ToList();
        if (devices.Count == 0)
        {
            throw new ArgumentException("A comparison needs at least one device: set DeviceIds or Devices.", nameof(request));
        }

        // Each model on the requested task when it serves it, else on language modelling when it does that (Transformer-XL,
        // scored by WikiText-103 perplexity), else on its own first task.
        var tasks = models.ToDictionary(m => m.Id, m => m.Supports(request.Task) ? request.Task : m.Supports(ModelTask.LanguageModeling) ? ModelTask.LanguageModeling : m.Tasks[0], StringComparer.OrdinalIgnoreCase);
        var candidates = new Dictionary<(string Model, string Device), (SelectionCandidate Candidate, string Reasons, bool Feasible)>();
        var choices = new List<TierChoice>();
        foreach (var device in devices)
        {
            foreach (var group in models.GroupBy(m => tasks[m.Id]))
            {
                var result = _selector.Select(new SelectionRequest
                {
                    Models = [.. group],
                    Devices = [device],
                    Precisions = [request.Precision],
                    Task = group.Key,
                    Workload = new InferenceWorkload { InputTokens = request.SequenceLength },
                    Constraints = new SelectionConstraints { MaxLatency = request.LatencyBudget },
                });
                foreach (var c in result.Ranked)
                {
                    candidates[(c.Model.Id, device.Id)] = (c, string.Empty, true);
                }

                foreach (var r in result.Rejected)
                {
                    candidates[(r.Candidate.Model.Id, device.Id)] = (r.Candidate, string.Join("; ", r.Reasons.Select(x => x.Message)), false);
                }

                if (group.Key == request.Task)
                {
                    choices.Add(new TierChoice(device.Id, device.Tier, result.Choice?.Model.Id, result.Choice?.SizeClass, result.Explanation));
                }
            }

            if (models.All(m => tasks[m.Id] != request.Task))
            {
                choices.Add(new TierChoice(device.Id, device.Tier, null, null, $"No compared model serves {ModelTasks.ToName(request.Task)}."));
            }
        }

        var fineTuningDevice = _catalogs.Devices.Get(request.FineTuningDeviceId);
        var job = string.Create(CultureInfo.InvariantCulture, $"{FineTuningExamples:N0} examples × {FineTuningSequenceLength} tokens, {FineTuningEpochs} epochs at batch {FineTuningBatch} (SST-2-sized) on one {fineTuningDevice.Id}");
        var rows = models.Select(model => Row(model, tasks[model.Id], devices, candidates, fineTuningDevice, job)).ToList();
        return new ComparisonResult(request, job, rows, choices);
    }

    private ModelComparisonRow Row(ModelSpec model, ModelTask task, List<DeviceProfile> devices, Dictionary<(string, string), (SelectionCandidate Candidate, string Reasons, bool Feasible)> candidates, DeviceProfile fineTuningDevice, string job)
    {
        var first = candidates[(model.Id, devices[0].Id)].Candidate;
        var figures = devices.Select(device =>
        {
            var (c, reasons, feasible) = candidates[(model.Id, device.Id)];
            var fits = c.Performance is { } p ? p.Fits : c.Memory.TotalBytes <= device.UsableMemoryBytes;
            return new DeviceFigures(device.Id, device.Tier, c.Runtime?.Id, c.Memory.TotalBytes, c.Performance?.LatencySeconds, fits, feasible, reasons);
        }).ToList();
        var tiers = figures.Where(f => f.MeetsBudget).Select(f => f.Tier).Distinct().Order().ToList();
        var benchmark = _catalogs.Benchmarks.DefaultFor(task);
        var (seconds, note) = FineTuning(model, fineTuningDevice, job);
        _records.TryGet(model.Id, out var pretraining);
        return new ModelComparisonRow(model.Id, model.Family, first.SizeClass, task, model.Parameters.Count, first.Memory.WeightsBytes, benchmark?.Id, first.Quality,
            first.QualityAssumption, first.Flops.Forward.Flops, seconds, note, pretraining, pretraining?.ComputeFlops(model.Parameters), figures, tiers);
    }

    private (double? Seconds, string Note) FineTuning(ModelSpec model, DeviceProfile device, string job)
    {
        var runtime = _catalogs.Runtimes.Runtimes.FirstOrDefault(r => r.Id == "pytorch" && r.RunsOn(device));
        var plan = FineTuningPlanner.Plan(new FineTuningRequest
        {
            Models = [model],
            Dataset = DatasetSize.FromExamples(FineTuningExamples, FineTuningSequenceLength),
            Epochs = FineTuningEpochs,
            Device = device,
            Runtime = runtime,
            Training = new TrainingWorkload { Batch = FineTuningBatch, SequenceLength = FineTuningSequenceLength },
        });
        return plan.Choice is { Performance: { } p }
            ? (p.LatencySeconds, $"{job}, full fine-tuning with mixed-precision AdamW{(runtime is null ? string.Empty : " under " + runtime.Id)}")
            : (null, $"cannot be fine-tuned on one {device.Id}: {string.Join("; ", plan.Rejected.SelectMany(r => r.Reasons).Select(r => r.Message))}");
    }
}
