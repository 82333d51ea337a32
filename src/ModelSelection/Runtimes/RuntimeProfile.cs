using System.Collections.Immutable;
using ModelSelection.Devices;
using ModelSelection.Estimation;
using ModelSelection.Internal;
using ModelSelection.Models;

namespace ModelSelection.Runtimes;

/// <summary>
/// An inference engine (runtime) as a first-class axis beside device and precision: which model kinds, device classes
/// and weight formats it runs, how it allocates memory, and how close it comes to each device class's peaks.
/// </summary>
/// <remarks>
/// Built-in profiles (<see cref="RuntimeCatalog.BuiltIn"/>) carry their sources in <see cref="Sources"/> and in
/// <c>docs/runtimes.md</c>; their efficiencies are fitted to the calibration set (<c>docs/accuracy.md</c>). Immutable;
/// bind your own from configuration with <see cref="ModelSelectionOptions.Runtimes"/>.
/// </remarks>
public sealed record RuntimeProfile
{
    private readonly string _id = string.Empty;
    private readonly int _kvBlockTokens = 1;
    private readonly double _maxMemoryFraction = 1;
    private readonly ImmutableDictionary<DeviceClass, RuntimeEfficiency> _efficiencies = ImmutableDictionary<DeviceClass, RuntimeEfficiency>.Empty;
    private readonly RuntimeEfficiency?[] _byClass = new RuntimeEfficiency?[8];
    private readonly NumericPrecision?[] _quantizedByClass = new NumericPrecision?[8];
    private readonly NumericPrecision?[] _computeByClass = new NumericPrecision?[8];
    private readonly ulong _formats;

    /// <summary>Gets the id, a public contract like device ids (<c>llama.cpp</c>, <c>vllm</c>, <c>onnxruntime-cuda</c>).</summary>
    public required string Id
    {
        get => _id;
        init => _id = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A runtime id must not be empty or white space.", nameof(Id)) : value.Trim();
    }

    /// <summary>Gets the display name.</summary>
    public string DisplayName { get => field ?? _id; init; }

    /// <summary>Gets the model kinds the runtime serves.</summary>
    public ImmutableArray<ModelKind> Kinds { get; init; } = [ModelKind.Decoder];

    /// <summary>Gets the vendors (a device's <see cref="DeviceProfile.Vendor"/>) the runtime runs on; empty for any (CUDA engines: <c>nvidia</c>; Core ML: <c>apple</c>).</summary>
    public ImmutableArray<string> Vendors { get; init; } = [];

    /// <summary>Gets the weight formats the runtime runs (GGUF formats only on llama.cpp; AWQ and GPTQ on vLLM, TensorRT-LLM and PyTorch).</summary>
    public ImmutableArray<NumericPrecision> Formats
    {
        get;
        init
        {
            // One bit per format code: the format table has fewer than 64 entries (NumericPrecision.Count).
            field = value;
            _formats = 0;
            foreach (var format in value.IsDefault ? [] : value)
            {
                _formats |= 1UL << format.Code;
            }
        }
    } = [];

    /// <summary>Gets the efficiencies per device class; the runtime runs on exactly these classes.</summary>
    public ImmutableDictionary<DeviceClass, RuntimeEfficiency> Efficiencies
    {
        get => _efficiencies;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Efficiencies));
            _efficiencies = value;
            _byClass = new RuntimeEfficiency?[8];
            foreach (var (deviceClass, efficiency) in value)
            {
                if (!Enum.IsDefined(deviceClass))
                {
                    throw new ArgumentOutOfRangeException(nameof(Efficiencies), deviceClass, $"Efficiencies keys must be a known device class; was {(int)deviceClass}.");
                }

                _byClass[(int)deviceClass] = efficiency ?? throw new ArgumentNullException(nameof(Efficiencies), $"The efficiency of runtime '{_id}' for {DeviceClasses.ToName(deviceClass)} is null.");
            }
        }
    }

    /// <summary>Gets the multi-device layouts the runtime offers beyond replicas (which any runtime can be).</summary>
    public ImmutableArray<DeviceLayout> Layouts { get; init; } = [];

    /// <summary>Gets whether the runtime batches continuously (iteration-level scheduling, Orca/vLLM): new sequences join a running batch, so a server's batch is its concurrency.</summary>
    public bool ContinuousBatching { get; init; }

    /// <summary>Gets the attention kernel the runtime uses (fused/flash or eager, which materialises the score matrix).</summary>
    public AttentionImplementation Attention { get; init; } = AttentionImplementation.Flash;

    /// <summary>Gets whether the runtime computes logits for every prompt position while generating (exported ONNX decoders do); engines that keep only the last position's set this to <see langword="false"/>.</summary>
    public bool LogitsForAllPositions { get; init; }

    /// <summary>Gets the KV cache allocation unit in tokens per sequence (vLLM pages of 16; 1 for none): each sequence's cache is rounded up to it.</summary>
    public int KvBlockTokens { get => _kvBlockTokens; init => _kvBlockTokens = (int)Guard.InRange(value, 1, 65_536, nameof(KvBlockTokens)); }

    /// <summary>
    /// Gets the tokens the runtime computes at a time and reserves its compute buffer for (llama.cpp's <c>n_ubatch</c>,
    /// 512), or 0 when it runs a whole prompt at once: activations are then sized for min(this, context) tokens with
    /// logits for each of them, and a longer prompt reads the weights once per micro-batch.
    /// </summary>
    public int MicroBatchTokens { get; init => field = (int)Guard.InRange(value, 0, 1 << 20, nameof(MicroBatchTokens)); }

    /// <summary>Gets the precision the runtime keeps activations in (llama.cpp: fp32 on every backend), or <see langword="null"/> for the workload's.</summary>
    public NumericPrecision? ActivationPrecision { get; init; }

    /// <summary>Gets whether the runtime can keep some layers in a second memory pool — the host's RAM, computed on the host — when the device's memory is short (llama.cpp's <c>--gpu-layers</c>).</summary>
    public bool LayerOffload { get; init; }

    /// <summary>Gets the share of the device memory the runtime lets itself use (vLLM's <c>gpu_memory_utilization</c>, 0.9 by default), in (0, 1].</summary>
    public double MaxMemoryFraction
    {
        get => _maxMemoryFraction;
        init => _maxMemoryFraction = double.IsFinite(value) && value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxMemoryFraction), value, $"MaxMemoryFraction must be a fraction in (0, 1]; was {Guard.Show(value)}.");
    }

    /// <summary>Gets the precision block-quantised weights are multiplied in, per device class, where the engine dequantises (llama.cpp on Metal: fp16); absent for the format's own compute precision.</summary>
    public ImmutableDictionary<DeviceClass, NumericPrecision> QuantizedComputePrecisions
    {
        get;
        init
        {
            field = value ?? throw new ArgumentNullException(nameof(QuantizedComputePrecisions));
            _quantizedByClass = ByClass(value);
        }
    } = ImmutableDictionary<DeviceClass, NumericPrecision>.Empty;

    /// <summary>Gets the precision whose peak the engine's kernels run at on a device class, for every weight format: Core ML on Apple SoCs runs on the Neural Engine, whose peak the catalog records as the int8 figure. Absent for the format's own.</summary>
    public ImmutableDictionary<DeviceClass, NumericPrecision> ComputePrecisions
    {
        get;
        init
        {
            field = value ?? throw new ArgumentNullException(nameof(ComputePrecisions));
            _computeByClass = ByClass(value);
        }
    } = ImmutableDictionary<DeviceClass, NumericPrecision>.Empty;

    /// <summary>Gets the sources of the profile's facts.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>Gets notes: what the profile leaves out.</summary>
    public string? Notes { get; init; }

    /// <summary>
    /// Gets the engine's memory model: its own resident bytes, its load transient and the activation buffers its executor
    /// keeps resident (<see cref="RuntimeMemoryModel"/>); <see langword="null"/> for the estimator's one-layer activation
    /// formula and the device's runtime overhead.
    /// </summary>
    public RuntimeMemoryModel? Memory { get; init; }

    /// <summary>
    /// Gets efficiencies calibrated on one device, keyed by device id (case-insensitive): on that device they take the
    /// place of its class's efficiency (<see cref="Calibration.Calibrator.Calibrate(IEnumerable{Calibration.MeasuredModel}, DeviceProfile, RuntimeProfile, Calibration.LocalCalibrationOptions?)"/> writes them).
    /// </summary>
    public ImmutableDictionary<string, RuntimeEfficiency> DeviceEfficiencies
    {
        get;
        init => field = DeviceKeyed(value, nameof(DeviceEfficiencies));
    } = ImmutableDictionary.Create<string, RuntimeEfficiency>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets memory models calibrated on one device, keyed by device id (case-insensitive): on that device they take the place of <see cref="Memory"/>.</summary>
    public ImmutableDictionary<string, RuntimeMemoryModel> DeviceMemory
    {
        get;
        init => field = DeviceKeyed(value, nameof(DeviceMemory));
    } = ImmutableDictionary.Create<string, RuntimeMemoryModel>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the device classes the runtime runs on.</summary>
    public IEnumerable<DeviceClass> Classes => _efficiencies.Keys.Order();

    /// <summary>Whether the runtime runs a weight format.</summary>
    /// <param name="format">The format.</param>
    /// <returns><see langword="true"/> when <see cref="Formats"/> holds it.</returns>
    public bool Runs(NumericPrecision format) => (_formats & (1UL << format.Code)) != 0;

    /// <summary>Whether the runtime serves a model kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when <see cref="Kinds"/> holds it.</returns>
    public bool Serves(ModelKind kind) => Kinds.Contains(kind);

    /// <summary>Whether the runtime runs on a device: its class has an efficiency and its vendor is allowed.</summary>
    /// <param name="device">The device.</param>
    /// <returns><see langword="true"/> when it runs there.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is <see langword="null"/>.</exception>
    public bool RunsOn(DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return (uint)device.Class < 8 && _byClass[(int)device.Class] is not null && RunsOnVendor(device.Vendor);
    }

    /// <summary>Whether the vendor is allowed: a loop, so the check allocates nothing.</summary>
    private bool RunsOnVendor(string vendor)
    {
        if (Vendors.IsDefaultOrEmpty)
        {
            return true;
        }

        foreach (var allowed in Vendors)
        {
            if (string.Equals(allowed, vendor, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets the efficiency for a device class.</summary>
    /// <param name="deviceClass">The class.</param>
    /// <returns>The efficiency.</returns>
    /// <exception cref="ArgumentException">The runtime does not run on the class.</exception>
    public RuntimeEfficiency EfficiencyFor(DeviceClass deviceClass) =>
        (uint)deviceClass < 8 && _byClass[(int)deviceClass] is { } e ? e
        : throw new ArgumentException($"Runtime '{_id}' does not run on {DeviceClasses.ToName(deviceClass)}; it runs on {string.Join(", ", Classes.Select(DeviceClasses.ToName))}.", nameof(deviceClass));

    /// <summary>Gets the efficiency on one device: its calibrated entry in <see cref="DeviceEfficiencies"/>, else its class's.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The efficiency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The runtime does not run on the device's class.</exception>
    public RuntimeEfficiency EfficiencyFor(DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Calibrated(device) ?? EfficiencyFor(device.Class);
    }

    /// <summary>Gets the memory model on one device: its calibrated entry in <see cref="DeviceMemory"/>, else <see cref="Memory"/>.</summary>
    /// <param name="device">The device; <see langword="null"/> for <see cref="Memory"/>.</param>
    /// <returns>The model, or <see langword="null"/> when the runtime has none.</returns>
    public RuntimeMemoryModel? MemoryFor(DeviceProfile? device) =>
        device is not null && DeviceMemory.Count > 0 && DeviceMemory.TryGetValue(device.Id, out var calibrated) ? calibrated : Memory;

    /// <summary>The efficiency on a device without a check (the estimator's hot path, after <see cref="RunsOn"/>): a calibrated entry, else the class's.</summary>
    internal RuntimeEfficiency? EfficiencyOrNull(DeviceProfile device) => Calibrated(device) ?? EfficiencyOrNull(device.Class);

    /// <summary>The device's calibrated efficiency, or <see langword="null"/> (no lookup when there are none, the common case).</summary>
    private RuntimeEfficiency? Calibrated(DeviceProfile device) =>
        DeviceEfficiencies.Count > 0 && DeviceEfficiencies.TryGetValue(device.Id, out var calibrated) ? calibrated : null;

    private ImmutableDictionary<string, T> DeviceKeyed<T>(ImmutableDictionary<string, T> value, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, what);
        foreach (var (device, entry) in value)
        {
            if (string.IsNullOrWhiteSpace(device))
            {
                throw new ArgumentException($"{what} of runtime '{_id}' has an empty device id; key each entry by the device's id (e.g. local).", what);
            }

            _ = entry ?? throw new ArgumentNullException(what, $"{what}:{device} of runtime '{_id}' is null.");
        }

        return value.WithComparers(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The efficiency for a class without a check (the estimator's hot path, after <see cref="RunsOn"/>).</summary>
    internal RuntimeEfficiency? EfficiencyOrNull(DeviceClass deviceClass) => (uint)deviceClass < 8 ? _byClass[(int)deviceClass] : null;

    /// <summary>The precision the device multiplies block-quantised weights in under this runtime, or the format itself.</summary>
    internal NumericPrecision ComputeFormat(NumericPrecision format, DeviceClass deviceClass) =>
        (uint)deviceClass >= 8 ? format
        : _computeByClass[(int)deviceClass] is { } all ? all
        : IsQuantized(format) && _quantizedByClass[(int)deviceClass] is { } compute ? compute : format;

    private static NumericPrecision?[] ByClass(ImmutableDictionary<DeviceClass, NumericPrecision> map)
    {
        var byClass = new NumericPrecision?[8];
        foreach (var (deviceClass, precision) in map)
        {
            if ((uint)deviceClass < 8)
            {
                byClass[(int)deviceClass] = precision;
            }
        }

        return byClass;
    }

    /// <summary>Whether a format pays the dequantisation factors: block-quantised, or fewer than 8 bits.</summary>
    internal static bool IsQuantized(NumericPrecision format) =>
        format.Kind == NumericPrecisionKind.BlockQuantized || format.BitsPerWeight < 8;
}
