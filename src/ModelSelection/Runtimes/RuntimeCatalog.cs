using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Internal;
using ModelSelection.Models;

namespace ModelSelection.Runtimes;

/// <summary>
/// A set of runtime (inference engine) profiles by id, and the default runtime per device class and model kind:
/// the built-in catalog (<see cref="BuiltIn"/>) of TensorRT, TensorRT-LLM, vLLM, llama.cpp, ONNX Runtime and its
/// execution providers, PyTorch (eager and compiled), Core ML, LiteRT and MLC-LLM, or your own.
/// </summary>
/// <remarks>
/// Ids are a public contract. The built-in profiles' facts carry their sources (<c>docs/runtimes.md</c>) and their
/// efficiencies are fitted to the calibration set (<c>docs/accuracy.md</c>). Lookups ignore case. Immutable and
/// thread-safe.
/// </remarks>
public sealed class RuntimeCatalog
{
    private static readonly Lazy<RuntimeCatalog> BuiltInCatalog = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, RuntimeProfile> _byId;
    private readonly RuntimeProfile?[] _defaults;
    private readonly FrozenDictionary<(DeviceClass, string, ModelKind), RuntimeProfile> _vendorDefaults;

    /// <summary>Creates a catalog of the given profiles and defaults.</summary>
    /// <param name="runtimes">The profiles; ids unique ignoring case.</param>
    /// <param name="defaults">The default runtime id per device class and model kind; a pair without one falls back to the first profile that runs there.</param>
    /// <param name="vendorDefaults">Defaults for one vendor's devices of a class, before the class default (Core ML on Apple phones, where other phones take LiteRT).</param>
    /// <exception cref="ArgumentNullException"><paramref name="runtimes"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two profiles share an id, or a default names an unknown runtime.</exception>
    public RuntimeCatalog(IEnumerable<RuntimeProfile> runtimes, IReadOnlyDictionary<(DeviceClass Class, ModelKind Kind), string>? defaults = null, IReadOnlyDictionary<(DeviceClass Class, string Vendor, ModelKind Kind), string>? vendorDefaults = null)
    {
        ArgumentNullException.ThrowIfNull(runtimes);
        var byId = new Dictionary<string, RuntimeProfile>(StringComparer.OrdinalIgnoreCase);
        var order = new List<RuntimeProfile>();
        foreach (var runtime in runtimes)
        {
            ArgumentNullException.ThrowIfNull(runtime, nameof(runtimes));
            if (!byId.TryAdd(runtime.Id, runtime))
            {
                throw new ArgumentException($"Runtime ids in a catalog must be unique (ignoring case); '{runtime.Id}' appears twice.", nameof(runtimes));
            }

            order.Add(runtime);
        }

        _byId = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Runtimes = [.. order];
        _defaults = new RuntimeProfile?[8 * 3];
        var names = new Dictionary<(DeviceClass, ModelKind), string>();
        foreach (var ((deviceClass, kind), id) in defaults ?? new Dictionary<(DeviceClass, ModelKind), string>())
        {
            if (!byId.TryGetValue(id, out var runtime))
            {
                throw new ArgumentException($"The default runtime for {DeviceClasses.ToName(deviceClass)} {KindName(kind)} models is '{id}', which the catalog does not hold (known: {string.Join(", ", order.Select(r => r.Id))}).", nameof(defaults));
            }

            _defaults[Slot(deviceClass, kind)] = runtime;
            names[(deviceClass, kind)] = runtime.Id;
        }

        Defaults = names.ToImmutableDictionary();
        var byVendor = new Dictionary<(DeviceClass, string, ModelKind), string>();
        foreach (var ((deviceClass, vendor, kind), id) in vendorDefaults ?? new Dictionary<(DeviceClass, string, ModelKind), string>())
        {
            if (!byId.TryGetValue(id, out var runtime))
            {
                throw new ArgumentException($"The default runtime for {vendor} {DeviceClasses.ToName(deviceClass)} {KindName(kind)} models is '{id}', which the catalog does not hold (known: {string.Join(", ", order.Select(r => r.Id))}).", nameof(vendorDefaults));
            }

            byVendor[(deviceClass, vendor.ToLowerInvariant(), kind)] = runtime.Id;
        }

        VendorDefaults = byVendor.ToImmutableDictionary();
        _vendorDefaults = byVendor.ToFrozenDictionary(p => p.Key, p => byId[p.Value]);
    }

    /// <summary>Gets the default runtime id for one vendor's devices of a class, per model kind.</summary>
    public ImmutableDictionary<(DeviceClass Class, string Vendor, ModelKind Kind), string> VendorDefaults { get; }

    /// <summary>Gets the built-in catalog.</summary>
    public static RuntimeCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>Gets the profiles in catalog order.</summary>
    public ImmutableArray<RuntimeProfile> Runtimes { get; }

    /// <summary>Gets the default runtime id per device class and model kind.</summary>
    public ImmutableDictionary<(DeviceClass Class, ModelKind Kind), string> Defaults { get; }

    /// <summary>Looks a profile up by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <param name="runtime">The profile, when found.</param>
    /// <returns><see langword="true"/> when the catalog has the id.</returns>
    public bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RuntimeProfile? runtime)
    {
        runtime = null;
        return id is not null && _byId.TryGetValue(id, out runtime);
    }

    /// <summary>Gets a profile by id, ignoring case.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The catalog has no such id; the message suggests the nearest and lists the known ids.</exception>
    public RuntimeProfile Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_byId.TryGetValue(id, out var runtime))
        {
            return runtime;
        }

        var known = Runtimes.Select(r => r.Id).ToList();
        throw new ArgumentException($"Unknown runtime id '{id}'{Suggestions.Hint(id, known)}; known ids: {string.Join(", ", known)}.", nameof(id));
    }

    /// <summary>
    /// Gets the runtime a request uses on a device for a model kind when it names none: the catalog's default for the
    /// device class and kind when that runtime runs on the device, else the first in catalog order that runs on the
    /// device and serves the kind (and, when given, runs the format), else the class default as it is (so the selector
    /// reports why it cannot run), else <see langword="null"/>.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="kind">The model kind.</param>
    /// <param name="format">The weight format, to prefer a runtime that runs it; <see langword="null"/> for any.</param>
    /// <returns>The runtime, or <see langword="null"/> when the catalog holds none for the pair.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is <see langword="null"/>.</exception>
    public RuntimeProfile? DefaultFor(DeviceProfile device, ModelKind kind, NumericPrecision? format = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var preferred = _vendorDefaults.Count > 0 && _vendorDefaults.TryGetValue((device.Class, device.Vendor, kind), out var native) ? native
            : (uint)device.Class < 8 && (uint)kind < 3 ? _defaults[Slot(device.Class, kind)] : null;
        if (preferred is not null && preferred.RunsOn(device) && (format is not { } f || preferred.Runs(f)))
        {
            return preferred;
        }

        RuntimeProfile? serving = null;
        foreach (var runtime in Runtimes)
        {
            if (runtime.RunsOn(device) && runtime.Serves(kind))
            {
                if (format is not { } wanted || runtime.Runs(wanted))
                {
                    return runtime;
                }

                serving ??= runtime;
            }
        }

        return preferred is not null && preferred.RunsOn(device) ? preferred : serving ?? preferred;
    }

    /// <summary>Returns a catalog with more profiles; one whose id is present replaces the old one; defaults are kept.</summary>
    /// <param name="runtimes">The profiles to add or override.</param>
    /// <returns>The new catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runtimes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two of the new profiles share an id.</exception>
    public RuntimeCatalog With(IEnumerable<RuntimeProfile> runtimes)
    {
        ArgumentNullException.ThrowIfNull(runtimes);
        var added = new RuntimeCatalog(runtimes);
        var merged = Runtimes.Select(r => added._byId.TryGetValue(r.Id, out var replacement) ? replacement : r)
            .Concat(added.Runtimes.Where(r => !_byId.ContainsKey(r.Id)));
        return new RuntimeCatalog(merged, Defaults, VendorDefaults);
    }

    /// <summary>Reads a catalog in the built-in catalog's JSON format (<c>{"runtimes": [...], "defaults": {...}}</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank.</exception>
    /// <exception cref="ModelImportException">The JSON is malformed or a profile is impossible; the message names the entry and the field.</exception>
    public static RuntimeCatalog FromJson(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        var document = Internal.JsonText.Deserialize(json, CatalogJsonContext.Default.RuntimeDocument, sourceName, "a runtime catalog");

        if (document?.Runtimes is not { } entries)
        {
            throw new ModelImportException(sourceName, "$.runtimes", "required key is missing; expected an array of runtimes");
        }

        var runtimes = new List<RuntimeProfile>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var path = $"$.runtimes[{i}]";
            try
            {
                runtimes.Add(ToProfile(entries[i], sourceName, path));
            }
            catch (ArgumentException exception)
            {
                throw new ModelImportException(sourceName, path, exception.Message.Split(" (Parameter")[0], exception);
            }
        }

        var defaults = new Dictionary<(DeviceClass, ModelKind), string>();
        var vendorDefaults = new Dictionary<(DeviceClass, string, ModelKind), string>();
        foreach (var (key, byKind) in document.Defaults ?? [])
        {
            // "phone-soc" for the class, "phone-soc/apple" for one vendor's devices of it.
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var className = slash < 0 ? key : key[..slash];
            if (!DeviceClasses.TryParse(className, out var deviceClass))
            {
                throw new ModelImportException(sourceName, $"$.defaults.{key}", $"expected a device class ({string.Join(", ", DeviceClasses.AllNames)}), optionally followed by /vendor");
            }

            foreach (var (kindName, id) in byKind)
            {
                var kind = ParseKind(kindName, sourceName, $"$.defaults.{key}.{kindName}");
                if (slash < 0)
                {
                    defaults[(deviceClass, kind)] = id;
                }
                else
                {
                    vendorDefaults[(deviceClass, key[(slash + 1)..], kind)] = id;
                }
            }
        }

        try
        {
            return new RuntimeCatalog(runtimes, defaults, vendorDefaults);
        }
        catch (ArgumentException exception)
        {
            throw new ModelImportException(sourceName, "$", exception.Message.Split(" (Parameter")[0], exception);
        }
    }

    /// <summary>Writes the catalog in its JSON format (what <see cref="FromJson"/> reads and <c>Catalog/runtimes.json</c> holds), e.g. to persist efficiencies fitted by <see cref="Calibration.Calibrator.Fit"/>.</summary>
    /// <param name="comment">The file's comment; <see langword="null"/> for none.</param>
    /// <returns>The JSON text, indented.</returns>
    public string ToJson(string? comment = null)
    {
        var document = new RuntimeDocument
        {
            Comment = comment,
            Runtimes = [.. Runtimes.Select(r => new RuntimeEntry
            {
                Id = r.Id,
                Name = r.DisplayName,
                Kinds = [.. r.Kinds.Select(KindName)],
                Vendors = [.. r.Vendors],
                Formats = [.. r.Formats.Select(f => f.Name)],
                Layouts = [.. r.Layouts.Select(DeviceLayouts.ToName)],
                ContinuousBatching = r.ContinuousBatching,
                Attention = r.Attention == AttentionImplementation.Eager ? "eager" : "flash",
                LogitsForAllPositions = r.LogitsForAllPositions,
                KvBlockTokens = r.KvBlockTokens == 1 ? null : r.KvBlockTokens,
                MicroBatchTokens = r.MicroBatchTokens == 0 ? null : r.MicroBatchTokens,
                ActivationPrecision = r.ActivationPrecision?.Name,
                LayerOffload = r.LayerOffload,
                MaxMemoryFraction = r.MaxMemoryFraction >= 1 ? null : r.MaxMemoryFraction,
                QuantizedComputePrecisions = r.QuantizedComputePrecisions.Count == 0 ? null
                    : r.QuantizedComputePrecisions.OrderBy(p => p.Key).ToDictionary(p => DeviceClasses.ToName(p.Key), p => p.Value.Name),
                ComputePrecisions = r.ComputePrecisions.Count == 0 ? null
                    : r.ComputePrecisions.OrderBy(p => p.Key).ToDictionary(p => DeviceClasses.ToName(p.Key), p => p.Value.Name),
                Efficiencies = r.Efficiencies.OrderBy(p => p.Key).ToDictionary(p => DeviceClasses.ToName(p.Key), p => ToEntry(p.Value)),
                Memory = r.Memory is { } memory ? ToEntry(memory) : null,
                DeviceEfficiencies = r.DeviceEfficiencies.Count == 0 ? null : r.DeviceEfficiencies.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => ToEntry(p.Value)),
                DeviceMemory = r.DeviceMemory.Count == 0 ? null : r.DeviceMemory.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => ToEntry(p.Value)),
                Sources = [.. r.Sources],
                Notes = r.Notes,
            })],
            Defaults = Defaults.Select(d => (Key: DeviceClasses.ToName(d.Key.Class), d.Key.Kind, d.Value))
                .Concat(VendorDefaults.Select(d => (Key: $"{DeviceClasses.ToName(d.Key.Class)}/{d.Key.Vendor}", d.Key.Kind, d.Value)))
                .GroupBy(d => d.Key).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Kind).ToDictionary(d => KindName(d.Kind), d => d.Value)),
        };
        return JsonSerializer.Serialize(document, CatalogJsonContext.Default.RuntimeDocument);
    }

    /// <summary>The kebab-case name of a model kind: <c>encoder</c>, <c>decoder</c>, <c>encoder-decoder</c>.</summary>
    internal static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Encoder => "encoder",
        ModelKind.Decoder => "decoder",
        _ => "encoder-decoder",
    };

    /// <summary>Reads a model kind from its kebab-case name, ignoring case and surrounding white space.</summary>
    internal static bool TryParseKind(string? name, out ModelKind kind)
    {
        (var known, kind) = name?.Trim().ToLowerInvariant() switch
        {
            "encoder" => (true, ModelKind.Encoder),
            "decoder" => (true, ModelKind.Decoder),
            "encoder-decoder" or "encoderdecoder" => (true, ModelKind.EncoderDecoder),
            _ => (false, default),
        };
        return known;
    }

    private static ModelKind ParseKind(string? name, string sourceName, string path) => TryParseKind(name, out var kind)
        ? kind
        : throw new ModelImportException(sourceName, path, $"expected a model kind (encoder, decoder, encoder-decoder); found \"{name}\"");

    private static int Slot(DeviceClass deviceClass, ModelKind kind) => ((int)deviceClass * 3) + (int)kind;

    private static RuntimeProfile ToProfile(RuntimeEntry e, string sourceName, string path)
    {
        if (string.IsNullOrWhiteSpace(e.Id))
        {
            throw new ModelImportException(sourceName, path + ".id", "required key is missing; expected the runtime id");
        }

        var formats = new List<NumericPrecision>();
        foreach (var (name, i) in (e.Formats ?? []).Select((n, i) => (n, i)))
        {
            formats.Add(ParsePrecision(name, sourceName, $"{path}.formats[{i}]", "a weight format"));
        }

        var layouts = new List<DeviceLayout>();
        foreach (var (name, i) in (e.Layouts ?? []).Select((n, i) => (n, i)))
        {
            layouts.Add(DeviceLayouts.TryParse(name, out var layout)
                ? layout
                : throw new ModelImportException(sourceName, $"{path}.layouts[{i}]", $"expected a layout ({string.Join(", ", DeviceLayouts.AllNames)}); found \"{name}\""));
        }

        var efficiencies = ImmutableDictionary.CreateBuilder<DeviceClass, RuntimeEfficiency>();
        foreach (var (className, entry) in e.Efficiencies ?? [])
        {
            var at = $"{path}.efficiencies.{className}";
            if (!DeviceClasses.TryParse(className, out var deviceClass))
            {
                throw new ModelImportException(sourceName, at, $"expected a device class ({string.Join(", ", DeviceClasses.AllNames)})");
            }

            try
            {
                efficiencies[deviceClass] = ToEfficiency(entry);
            }
            catch (ArgumentException exception)
            {
                throw new ModelImportException(sourceName, at, exception.Message.Split(" (Parameter")[0], exception);
            }
        }

        var computeIn = Precisions(e.QuantizedComputePrecisions, "quantizedComputePrecisions");
        var computeAll = Precisions(e.ComputePrecisions, "computePrecisions");
        ImmutableDictionary<DeviceClass, NumericPrecision> Precisions(Dictionary<string, string>? map, string field)
        {
        var computeIn = ImmutableDictionary.CreateBuilder<DeviceClass, NumericPrecision>();
        foreach (var (className, name) in map ?? [])
        {
            var at = $"{path}.{field}.{className}";
            if (!DeviceClasses.TryParse(className, out var deviceClass))
            {
                throw new ModelImportException(sourceName, at, $"expected a device class ({string.Join(", ", DeviceClasses.AllNames)})");
            }

            computeIn[deviceClass] = ParsePrecision(name, sourceName, at, "a precision");
        }

        return computeIn.ToImmutable();
        }

        var attention = e.Attention?.ToLowerInvariant() switch
        {
            null or "flash" => AttentionImplementation.Flash,
            "eager" => AttentionImplementation.Eager,
            var other => throw new ModelImportException(sourceName, path + ".attention", $"expected flash or eager; found \"{other}\""),
        };

        return new RuntimeProfile
        {
            Id = e.Id,
            DisplayName = e.Name ?? e.Id,
            Kinds = [.. (e.Kinds ?? ["decoder"]).Select((k, i) => ParseKind(k, sourceName, $"{path}.kinds[{i}]"))],
            Vendors = [.. (e.Vendors ?? []).Select(v => v.ToLowerInvariant())],
            Formats = [.. formats],
            Layouts = [.. layouts],
            ContinuousBatching = e.ContinuousBatching,
            Attention = attention,
            LogitsForAllPositions = e.LogitsForAllPositions,
            KvBlockTokens = e.KvBlockTokens ?? 1,
            MicroBatchTokens = e.MicroBatchTokens ?? 0,
            ActivationPrecision = e.ActivationPrecision is { } activation ? ParsePrecision(activation, sourceName, $"{path}.activationPrecision", "a precision") : null,
            LayerOffload = e.LayerOffload,
            MaxMemoryFraction = e.MaxMemoryFraction ?? 1,
            QuantizedComputePrecisions = computeIn,
            ComputePrecisions = computeAll,
            Efficiencies = efficiencies.ToImmutable(),
            Memory = e.Memory is { } memory ? Guarded(() => ToMemoryModel(memory), $"{path}.memory") : null,
            DeviceEfficiencies = (e.DeviceEfficiencies ?? []).ToImmutableDictionary(
                p => p.Key, p => Guarded(() => ToEfficiency(p.Value), $"{path}.deviceEfficiencies.{p.Key}"), StringComparer.OrdinalIgnoreCase),
            DeviceMemory = (e.DeviceMemory ?? []).ToImmutableDictionary(
                p => p.Key, p => Guarded(() => ToMemoryModel(p.Value), $"{path}.deviceMemory.{p.Key}"), StringComparer.OrdinalIgnoreCase),
            Sources = [.. e.Sources ?? []],
            Notes = e.Notes,
        };

        T Guarded<T>(Func<T> create, string at)
        {
            try
            {
                return create();
            }
            catch (ArgumentException exception)
            {
                throw new ModelImportException(sourceName, at, exception.Message.Split(" (Parameter")[0], exception);
            }
        }
    }

    private static RuntimeMemoryModel ToMemoryModel(MemoryModelEntry e)
    {
        var d = new RuntimeMemoryModel();
        return new RuntimeMemoryModel
        {
            FixedBytes = e.FixedBytes ?? d.FixedBytes,
            LoadTransientFraction = e.LoadTransientFraction ?? d.LoadTransientFraction,
            HiddenBuffers = e.HiddenBuffers ?? d.HiddenBuffers,
            FeedForwardBuffers = e.FeedForwardBuffers ?? d.FeedForwardBuffers,
            AttentionScoreBuffers = e.AttentionScoreBuffers ?? d.AttentionScoreBuffers,
            Source = e.Source ?? d.Source,
        };
    }

    /// <summary>The JSON entry of a memory model.</summary>
    internal static MemoryModelEntry ToEntry(RuntimeMemoryModel m) => new()
    {
        FixedBytes = m.FixedBytes,
        LoadTransientFraction = m.LoadTransientFraction,
        HiddenBuffers = m.HiddenBuffers,
        FeedForwardBuffers = m.FeedForwardBuffers,
        AttentionScoreBuffers = m.AttentionScoreBuffers,
        Source = m.Source,
    };

    /// <summary>The JSON entry of an efficiency.</summary>
    internal static EfficiencyEntry ToEntry(RuntimeEfficiency e) => new()
    {
        ComputeEfficiency = e.ComputeEfficiency,
        HalfEfficiencyRows = e.HalfEfficiencyRows,
        MemoryEfficiency = e.MemoryEfficiency,
        LayerOverheadSeconds = e.LayerOverheadSeconds,
        HostLayerSeconds = e.HostLayerSeconds,
        CallOverheadSeconds = e.CallOverheadSeconds,
        QuantizedComputeFactor = e.QuantizedComputeFactor,
        QuantizedMemoryFactor = e.QuantizedMemoryFactor,
        AllReduceLatencySeconds = e.AllReduceLatencySeconds,
        TrainingEfficiency = e.TrainingEfficiency,
        Source = e.Source,
    };

    private static RuntimeEfficiency ToEfficiency(EfficiencyEntry e)
    {
        var d = new RuntimeEfficiency();
        return new RuntimeEfficiency
        {
            ComputeEfficiency = e.ComputeEfficiency ?? d.ComputeEfficiency,
            HalfEfficiencyRows = e.HalfEfficiencyRows ?? d.HalfEfficiencyRows,
            MemoryEfficiency = e.MemoryEfficiency ?? d.MemoryEfficiency,
            LayerOverheadSeconds = e.LayerOverheadSeconds ?? d.LayerOverheadSeconds,
            HostLayerSeconds = e.HostLayerSeconds ?? d.HostLayerSeconds,
            CallOverheadSeconds = e.CallOverheadSeconds ?? d.CallOverheadSeconds,
            QuantizedComputeFactor = e.QuantizedComputeFactor ?? d.QuantizedComputeFactor,
            QuantizedMemoryFactor = e.QuantizedMemoryFactor ?? d.QuantizedMemoryFactor,
            AllReduceLatencySeconds = e.AllReduceLatencySeconds ?? d.AllReduceLatencySeconds,
            TrainingEfficiency = e.TrainingEfficiency ?? d.TrainingEfficiency,
            Source = e.Source ?? d.Source,
        };
    }

    private static RuntimeCatalog LoadBuiltIn()
    {
        using var stream = typeof(RuntimeCatalog).Assembly.GetManifestResourceStream("ModelSelection.Catalog.runtimes.json")
            ?? throw new InvalidOperationException("The built-in runtime catalog resource 'ModelSelection.Catalog.runtimes.json' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd(), "built-in runtime catalog");
    }

    /// <summary>A precision named in a catalog entry, or the error naming the place and the known names.</summary>
    private static NumericPrecision ParsePrecision(string? name, string sourceName, string at, string what) =>
        NumericPrecision.TryParse(name, CultureInfo.InvariantCulture, out var precision)
            ? precision
            : throw new ModelImportException(sourceName, at, $"expected {what} ({string.Join(", ", NumericPrecision.All.Select(f => f.Name))}); found \"{name}\"");
}
