using System.Collections.Immutable;
using ModelSelection.Internal;

namespace ModelSelection.Models;

/// <summary>
/// A model the library can reason about: its id, family, architecture, exact tensor inventory (and so its exact
/// parameter count) and published quality scores.
/// </summary>
/// <remarks>
/// <para>
/// Counting convention (<see cref="CountingConvention"/>): unique trainable parameters as <c>model.num_parameters()</c>
/// reports in Hugging Face <c>transformers</c> — tied tensors once, buffers excluded; encoders as the base model
/// (<c>AutoModel</c>, pooler included, pre-training heads excluded); causal LMs as <c>…ForCausalLM</c> /
/// <c>…LMHeadModel</c>; T5 as <c>T5ForConditionalGeneration</c>; Transformer-XL as <c>TransfoXLLMHeadModel</c>.
/// Mixtures of experts report the total in <see cref="Parameters"/> and the per-token count in
/// <see cref="ActiveParameters"/>.
/// </para>
/// <para>This type is immutable and thread-safe. Equality compares every field, scores and sources included.</para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.ModelSpecJsonConverter))]
public sealed class ModelSpec : IEquatable<ModelSpec>
{
    /// <summary>The counting convention behind <see cref="Parameters"/>, in one sentence.</summary>
    public const string CountingConvention =
        "Unique trainable parameters as transformers' model.num_parameters() reports: tied tensors once, buffers excluded; encoders as AutoModel (pooler included), causal LMs as ...ForCausalLM / ...LMHeadModel, T5 as T5ForConditionalGeneration, Transformer-XL as TransfoXLLMHeadModel.";

    /// <summary>Creates a spec.</summary>
    /// <param name="id">The id: a Hugging Face hub id for catalog entries, else a name of your choosing.</param>
    /// <param name="family">The family, e.g. <c>bert</c> or <c>llama</c> (the config's <c>model_type</c>).</param>
    /// <param name="architecture">The shape.</param>
    /// <param name="inventory">The tensors.</param>
    /// <param name="qualityScores">Published scores keyed by benchmark (e.g. <c>glue</c>, <c>mmlu-5shot</c>); may be empty.</param>
    /// <param name="sources">Where the description and numbers come from; may be empty.</param>
    /// <param name="tasks">The tasks the model serves; <see langword="null"/> or empty for its kind's defaults (<see cref="ModelTasks.DefaultFor(ModelKind)"/>).</param>
    /// <param name="contextLength">
    /// The context it was trained (or extended by rope scaling) to serve, prompt plus generated tokens, 1 to
    /// <see cref="MaxContextLength"/>; <see langword="null"/> for the architecture's <see cref="ModelArchitecture.MaxPositions"/>; 0 for unbounded.
    /// </param>
    /// <param name="storedWeights">The exact bytes of a model file's weights (a GGUF file's tensors), or <see langword="null"/> to derive bytes from the inventory and the format.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id or family is blank, a score is not finite, a task is undefined, the architecture is inconsistent, or the stored weights have another number of blocks than the model.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextLength"/> is negative or above <see cref="MaxContextLength"/>.</exception>
    public ModelSpec(
        string id,
        string family,
        ModelArchitecture architecture,
        TensorInventory inventory,
        IReadOnlyDictionary<string, QualityScore>? qualityScores = null,
        IEnumerable<string>? sources = null,
        IEnumerable<ModelTask>? tasks = null,
        int? contextLength = null,
        WeightStorage? storedWeights = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(family);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(inventory);
        ArchitectureRules.Validate(architecture, id, nameof(architecture));
        Id = id;
        Family = family;
        Architecture = architecture;
        Inventory = inventory;
        var scores = ImmutableSortedDictionary.CreateBuilder<string, QualityScore>(StringComparer.Ordinal);
        foreach (var (benchmark, score) in qualityScores ?? ImmutableSortedDictionary<string, QualityScore>.Empty)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(benchmark, nameof(qualityScores));
            ArgumentNullException.ThrowIfNull(score, nameof(qualityScores));
            if (!double.IsFinite(score.Value))
            {
                throw new ArgumentException($"Quality score '{benchmark}' of model '{id}' must be a finite number; was {Guard.Show(score.Value)}.", nameof(qualityScores));
            }

            scores[benchmark] = score;
        }

        QualityScores = scores.ToImmutable();
        Sources = [.. sources ?? []];
        var serves = tasks?.Distinct().Order().ToImmutableArray() ?? [];
        foreach (var task in serves)
        {
            if (!Enum.IsDefined(task))
            {
                throw new ArgumentException($"Tasks of model '{id}' must be defined ModelTask values; was {(int)task}.", nameof(tasks));
            }
        }

        Tasks = serves.IsEmpty ? ModelTasks.DefaultFor(architecture.Kind) : serves;
        // A position table longer than any workload the estimators accept serves every workload: clamp it.
        ContextLength = (int)Guard.InRange(contextLength ?? Math.Min(architecture.MaxPositions, MaxContextLength), 0, MaxContextLength, $"Context length of model '{id}'", nameof(contextLength));
        if (storedWeights is not null && storedWeights.LayerBytes.Length != architecture.Layers + architecture.DecoderLayers)
        {
            throw new ArgumentException($"The stored weights of model '{id}' list {storedWeights.LayerBytes.Length} blocks; the architecture has {architecture.Layers + architecture.DecoderLayers}.", nameof(storedWeights));
        }

        StoredWeights = storedWeights;
        Aggregates = new ModelAggregates(architecture, inventory, family, storedWeights);
    }

    /// <summary>The longest context a spec may declare, in tokens.</summary>
    public const int MaxContextLength = Estimation.InferenceWorkload.MaxTokens;

    /// <summary>Gets the id (a Hugging Face hub id for catalog entries).</summary>
    public string Id { get; }

    /// <summary>Gets the family (the config's <c>model_type</c>, e.g. <c>bert</c>, <c>llama</c>, <c>t5</c>).</summary>
    public string Family { get; }

    /// <summary>Gets the shape.</summary>
    public ModelArchitecture Architecture { get; }

    /// <summary>Gets the tensors.</summary>
    public TensorInventory Inventory { get; }

    /// <summary>Gets the exact parameter count (see <see cref="CountingConvention"/>).</summary>
    public ParameterCount Parameters => Inventory.TotalParameters;

    /// <summary>Gets the parameters active per token: less than <see cref="Parameters"/> only for mixtures of experts.</summary>
    public ParameterCount ActiveParameters => Inventory.ActiveParameters;

    /// <summary>Gets the published quality scores keyed by benchmark, ordered by key.</summary>
    public ImmutableSortedDictionary<string, QualityScore> QualityScores { get; }

    /// <summary>Gets where the description and numbers come from.</summary>
    public ImmutableArray<string> Sources { get; }

    /// <summary>Gets the tasks the model serves, in enum order: its kind's defaults unless the catalog entry says otherwise.</summary>
    public ImmutableArray<ModelTask> Tasks { get; }

    /// <summary>
    /// Gets the context the model serves, prompt plus generated tokens: the trained positions, or the positions a rope
    /// scaling in its config extends them to; 0 when unbounded (Transformer-XL's recurrence). A sliding attention
    /// window (<see cref="ModelArchitecture.SlidingWindow"/>) bounds what each token attends to, not the context.
    /// </summary>
    public int ContextLength { get; }

    /// <summary>Gets the exact bytes of the model file's weights in its own format (a spec read from a GGUF file), or <see langword="null"/> when bytes come from the inventory and the format.</summary>
    public WeightStorage? StoredWeights { get; }

    /// <summary>Gets whether the model serves <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <returns><see langword="true"/> when <see cref="Tasks"/> holds it.</returns>
    public bool Supports(ModelTask task) => Tasks.Contains(task);

    /// <summary>Gets the sums the estimators read, computed once.</summary>
    internal ModelAggregates Aggregates { get; }

    /// <summary>Returns a copy with other quality scores and sources (e.g. your own evaluation).</summary>
    /// <param name="qualityScores">The scores.</param>
    /// <param name="sources">The sources; <see langword="null"/> keeps the current ones.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="qualityScores"/> is <see langword="null"/>.</exception>
    public ModelSpec WithQualityScores(IReadOnlyDictionary<string, QualityScore> qualityScores, IEnumerable<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(qualityScores);
        return new ModelSpec(Id, Family, Architecture, Inventory, qualityScores, sources ?? Sources, Tasks, ContextLength, StoredWeights);
    }

    /// <summary>Returns a copy that serves other tasks (e.g. a decoder fine-tuned for embeddings).</summary>
    /// <param name="tasks">The tasks; empty for the kind's defaults.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A task is not a defined value.</exception>
    public ModelSpec WithTasks(IEnumerable<ModelTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return new ModelSpec(Id, Family, Architecture, Inventory, QualityScores, Sources, tasks, ContextLength, StoredWeights);
    }

    /// <summary>Returns a copy with another context length (e.g. a long-context fine-tune of the same architecture).</summary>
    /// <param name="contextLength">Tokens, 1 to <see cref="MaxContextLength"/>; 0 for unbounded.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextLength"/> is negative or above <see cref="MaxContextLength"/>.</exception>
    public ModelSpec WithContextLength(int contextLength) => new(Id, Family, Architecture, Inventory, QualityScores, Sources, Tasks, contextLength, StoredWeights);

    /// <summary>Returns a copy under another id (e.g. a fine-tuned checkpoint of the same architecture).</summary>
    /// <param name="id">The new id.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank.</exception>
    public ModelSpec WithId(string id) => new(id, Family, Architecture, Inventory, QualityScores, Sources, Tasks, ContextLength, StoredWeights);

    /// <inheritdoc/>
    public bool Equals(ModelSpec? other) =>
        other is not null
        && Id == other.Id
        && Family == other.Family
        && Architecture == other.Architecture
        && Inventory.Equals(other.Inventory)
        && QualityScores.Count == other.QualityScores.Count
        && QualityScores.All(kv => other.QualityScores.TryGetValue(kv.Key, out var s) && s == kv.Value)
        && Sources.SequenceEqual(other.Sources)
        && Tasks.SequenceEqual(other.Tasks)
        && ContextLength == other.ContextLength
        && Equals(StoredWeights, other.StoredWeights);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ModelSpec);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Family, Parameters);

    /// <summary>Gets the id, family and parameter count, e.g. <c>meta-llama/Llama-2-7b-hf (llama, 6.74B)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Id} ({Family}, {Parameters.ToString("G", System.Globalization.CultureInfo.InvariantCulture)})";
}
