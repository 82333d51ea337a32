using System.Collections.Immutable;
using System.Globalization;
using ModelSelection.Devices;
using ModelSelection.Estimation;

namespace ModelSelection.Runtimes;

/// <summary>
/// A runtime profile as configuration binds it (<c>ModelSelection:Runtimes:0</c>): with the id of a built-in runtime
/// it overrides the fields it sets; with <see cref="BasedOn"/> it starts a new runtime from another; otherwise it
/// defines a new one. Names are those of the catalog (<c>datacenter-gpu</c>, <c>q4_k_m</c>, <c>tensor-parallel</c>).
/// </summary>
public sealed class RuntimeProfileOptions
{
    /// <summary>Gets or sets the id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the id of a runtime to copy before applying the other fields.</summary>
    public string? BasedOn { get; set; }

    /// <summary>Gets or sets the display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets the model kinds served (<c>encoder</c>, <c>decoder</c>, <c>encoder-decoder</c>); empty keeps the base's.</summary>
    public IList<string> Kinds { get; } = [];

    /// <summary>Gets the vendors it runs on; empty keeps the base's (or any).</summary>
    public IList<string> Vendors { get; } = [];

    /// <summary>Gets the weight formats it runs; empty keeps the base's.</summary>
    public IList<string> Formats { get; } = [];

    /// <summary>Gets the multi-device layouts it offers beyond replicas; empty keeps the base's.</summary>
    public IList<string> Layouts { get; } = [];

    /// <summary>Gets or sets whether it batches continuously.</summary>
    public bool? ContinuousBatching { get; set; }

    /// <summary>Gets or sets the attention kernel: <c>flash</c> or <c>eager</c>.</summary>
    public string? Attention { get; set; }

    /// <summary>Gets or sets whether it keeps logits for every prompt position while generating.</summary>
    public bool? LogitsForAllPositions { get; set; }

    /// <summary>Gets or sets the KV cache block in tokens.</summary>
    public int? KvBlockTokens { get; set; }

    /// <summary>Gets or sets the tokens it computes at a time (llama.cpp's <c>n_ubatch</c>); 0 for whole prompts.</summary>
    public int? MicroBatchTokens { get; set; }

    /// <summary>Gets or sets whether it can keep layers in the host's memory (llama.cpp's <c>--gpu-layers</c>).</summary>
    public bool? LayerOffload { get; set; }

    /// <summary>Gets or sets the share of device memory it uses.</summary>
    public double? MaxMemoryFraction { get; set; }

    /// <summary>Gets the efficiencies by device class name; a class the base lacks is added (starting from the defaults).</summary>
    public IDictionary<string, RuntimeEfficiencyOptions> Efficiencies { get; } = new Dictionary<string, RuntimeEfficiencyOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the engine's memory model (<see cref="RuntimeProfile.Memory"/>); fields left out keep the basis's.</summary>
    public RuntimeMemoryModelOptions? Memory { get; set; }

    /// <summary>
    /// Gets efficiencies calibrated on one device, keyed by device id (<see cref="RuntimeProfile.DeviceEfficiencies"/>):
    /// what <c>modelselect calibrate</c> and <see cref="Calibration.LocalCalibration.ToJson"/> write, every field set. Fields
    /// left out keep the basis's entry for the device, or else <see cref="RuntimeEfficiency"/>'s defaults.
    /// </summary>
    public IDictionary<string, RuntimeEfficiencyOptions> DeviceEfficiencies { get; } = new Dictionary<string, RuntimeEfficiencyOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets memory models calibrated on one device, keyed by device id (<see cref="RuntimeProfile.DeviceMemory"/>); fields left out keep the basis's entry, else <see cref="Memory"/>.</summary>
    public IDictionary<string, RuntimeMemoryModelOptions> DeviceMemory { get; } = new Dictionary<string, RuntimeMemoryModelOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks the options against a base profile without building one.</summary>
    /// <param name="basis">The profile overridden or copied; <see langword="null"/> for a new one.</param>
    /// <returns>Every problem, each naming its field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(RuntimeProfile? basis = null)
    {
        var problems = new List<string>();
        try
        {
            _ = ToProfile(basis);
        }
        catch (ArgumentException exception)
        {
            problems.Add(exception.Message.Split(" (Parameter")[0]);
        }

        return problems;
    }

    /// <summary>Builds the profile.</summary>
    /// <param name="basis">The profile overridden or copied; <see langword="null"/> for a new one.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentException">The id is missing, a name is unknown, or a new runtime lacks formats or efficiencies; the message names the field.</exception>
    public RuntimeProfile ToProfile(RuntimeProfile? basis = null)
    {
        var id = Id ?? basis?.Id;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("Id is required: name the runtime.");
        }

        var formats = Formats.Count > 0 ? [.. Formats.Select(Format)] : basis?.Formats ?? throw new ArgumentException($"Runtime '{id}': Formats is required for a new runtime (e.g. fp16, q4_k_m).");
        var efficiencies = (basis?.Efficiencies ?? ImmutableDictionary<DeviceClass, RuntimeEfficiency>.Empty).ToBuilder();
        foreach (var (name, entry) in Efficiencies)
        {
            if (!DeviceClasses.TryParse(name, out var deviceClass))
            {
                throw new ArgumentException($"Runtime '{id}': Efficiencies key '{name}' is not a device class; expected one of {string.Join(", ", DeviceClasses.AllNames)}.");
            }

            try
            {
                efficiencies[deviceClass] = (entry ?? new RuntimeEfficiencyOptions()).ToEfficiency(efficiencies.GetValueOrDefault(deviceClass));
            }
            catch (ArgumentOutOfRangeException exception)
            {
                throw new ArgumentException($"Runtime '{id}': Efficiencies:{name}:{exception.Message.Split(" (Parameter")[0]}", exception);
            }
        }

        if (efficiencies.Count == 0)
        {
            throw new ArgumentException($"Runtime '{id}': Efficiencies needs at least one device class (e.g. Efficiencies:server-cpu:ComputeEfficiency).");
        }

        RuntimeMemoryModel? memory;
        try
        {
            memory = Memory is { } memoryOptions ? memoryOptions.ToModel(basis?.Memory) : basis?.Memory;
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new ArgumentException($"Runtime '{id}': Memory:{exception.Message.Split(" (Parameter")[0]}", exception);
        }

        var deviceEfficiencies = (basis?.DeviceEfficiencies ?? ImmutableDictionary.Create<string, RuntimeEfficiency>(StringComparer.OrdinalIgnoreCase)).ToBuilder();
        foreach (var (device, entry) in DeviceEfficiencies)
        {
            try
            {
                deviceEfficiencies[device] = (entry ?? new RuntimeEfficiencyOptions()).ToEfficiency(deviceEfficiencies.GetValueOrDefault(device));
            }
            catch (ArgumentOutOfRangeException exception)
            {
                throw new ArgumentException($"Runtime '{id}': DeviceEfficiencies:{device}:{exception.Message.Split(" (Parameter")[0]}", exception);
            }
        }

        var deviceMemory = (basis?.DeviceMemory ?? ImmutableDictionary.Create<string, RuntimeMemoryModel>(StringComparer.OrdinalIgnoreCase)).ToBuilder();
        foreach (var (device, entry) in DeviceMemory)
        {
            try
            {
                deviceMemory[device] = (entry ?? new RuntimeMemoryModelOptions()).ToModel(deviceMemory.GetValueOrDefault(device) ?? memory);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                throw new ArgumentException($"Runtime '{id}': DeviceMemory:{device}:{exception.Message.Split(" (Parameter")[0]}", exception);
            }
        }

        var attention = Attention?.ToLowerInvariant() switch
        {
            null => basis?.Attention ?? AttentionImplementation.Flash,
            "flash" => AttentionImplementation.Flash,
            "eager" => AttentionImplementation.Eager,
            _ => throw new ArgumentException($"Runtime '{id}': Attention must be flash or eager; was '{Attention}'."),
        };

        try
        {
            return new RuntimeProfile
            {
                Id = id,
                DisplayName = DisplayName ?? basis?.DisplayName ?? id,
                Kinds = Kinds.Count > 0 ? [.. Kinds.Select(k => Kind(id, k))] : basis?.Kinds ?? [Models.ModelKind.Decoder],
                Vendors = Vendors.Count > 0 ? [.. Vendors.Select(v => v.Trim().ToLowerInvariant())] : basis?.Vendors ?? [],
                Formats = formats,
                Layouts = Layouts.Count > 0 ? [.. Layouts.Select(l => Layout(id, l))] : basis?.Layouts ?? [],
                ContinuousBatching = ContinuousBatching ?? basis?.ContinuousBatching ?? false,
                Attention = attention,
                LogitsForAllPositions = LogitsForAllPositions ?? basis?.LogitsForAllPositions ?? false,
                KvBlockTokens = KvBlockTokens ?? basis?.KvBlockTokens ?? 1,
                MicroBatchTokens = MicroBatchTokens ?? basis?.MicroBatchTokens ?? 0,
                ActivationPrecision = basis?.ActivationPrecision,
                LayerOffload = LayerOffload ?? basis?.LayerOffload ?? false,
                MaxMemoryFraction = MaxMemoryFraction ?? basis?.MaxMemoryFraction ?? 1,
                QuantizedComputePrecisions = basis?.QuantizedComputePrecisions ?? ImmutableDictionary<DeviceClass, NumericPrecision>.Empty,
                ComputePrecisions = basis?.ComputePrecisions ?? ImmutableDictionary<DeviceClass, NumericPrecision>.Empty,
                Efficiencies = efficiencies.ToImmutable(),
                Memory = memory,
                DeviceEfficiencies = deviceEfficiencies.ToImmutable(),
                DeviceMemory = deviceMemory.ToImmutable(),
                Sources = basis?.Sources ?? [],
                Notes = basis?.Notes,
            };
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new ArgumentException($"Runtime '{id}': {exception.Message.Split(" (Parameter")[0]}", exception);
        }

        NumericPrecision Format(string name) => NumericPrecision.TryParse(name, CultureInfo.InvariantCulture, out var format)
            ? format
            : throw new ArgumentException($"Runtime '{id}': Formats holds '{name}', which is not a weight format; known: {string.Join(", ", NumericPrecision.All.Select(f => f.Name))}.");
    }

    private static Models.ModelKind Kind(string id, string name) => RuntimeCatalog.TryParseKind(name, out var kind)
        ? kind
        : throw new ArgumentException($"Runtime '{id}': Kinds holds '{name}'; expected encoder, decoder or encoder-decoder.");

    private static DeviceLayout Layout(string id, string name) => DeviceLayouts.TryParse(name, out var layout)
        ? layout
        : throw new ArgumentException($"Runtime '{id}': Layouts holds '{name}'; expected {string.Join(", ", DeviceLayouts.AllNames)}.");
}
