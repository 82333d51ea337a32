using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelSelection.Devices;

namespace ModelSelection.Selection;

/// <summary>
/// Creates the DI selector from <see cref="IOptionsMonitor{TOptions}"/> and rebuilds its catalogs when the options
/// change — once per distinct configuration, so the double change events file watchers raise do not rebuild twice.
/// One factory serves one options name: <see cref="Options.DefaultName"/> for <c>AddModelSelection</c>, the key for
/// <c>AddKeyedModelSelection</c>; changes to other names are ignored.
/// </summary>
internal sealed class OptionsSelectorFactory : IDisposable
{
    private readonly ILogger<ModelSelector> _logger;
    private readonly string _name;
    private readonly IDisposable? _subscription;
    private readonly object _gate = new();
    private string _fingerprint;

    public OptionsSelectorFactory(IOptionsMonitor<ModelSelectionOptions> options, ILocalDeviceProbe probe, ILogger<ModelSelector> logger, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null, string? name = null)
    {
        _logger = logger;
        _name = name ?? Options.DefaultName;
        var current = options.Get(_name); // validated: throws OptionsValidationException naming every problem (and the key)
        var errors = new List<string>();
        var (models, devices, thresholds, benchmarks, runtimes) = OptionsCatalogs.Build(current, errors) ?? throw new OptionsValidationException(_name, typeof(ModelSelectionOptions), errors);
        Selector = new ModelSelector(models, devices, thresholds, probe, logger, benchmarks, runtimes: runtimes, meterFactory: meterFactory);
        _fingerprint = Fingerprint(current);
        _subscription = options.OnChange(Rebuild);
    }

    public ModelSelector Selector { get; }

    /// <summary>Gets the options name this factory follows.</summary>
    public string Name => _name;

    /// <summary>Gets how many times the catalogs were rebuilt after a change (for diagnostics and tests).</summary>
    public int Rebuilds { get; private set; }

    public void Dispose() => _subscription?.Dispose();

    private void Rebuild(ModelSelectionOptions options, string? name)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return; // another key's options changed
        }

        lock (_gate)
        {
            var fingerprint = Fingerprint(options);
            if (fingerprint == _fingerprint)
            {
                return;
            }

            var errors = new List<string>();
            if (OptionsCatalogs.Build(options, errors) is not { } built)
            {
                SelectionLog.ReloadRejected(_logger, (_name.Length == 0 ? string.Empty : $"Key '{_name}': ") + string.Join(" ", errors));
                return;
            }

            Selector.Swap(built.Models, built.Devices, built.Thresholds, built.Benchmarks, built.Runtimes);
            _fingerprint = fingerprint;
            Rebuilds++;
        }
    }

    /// <summary>The values that shape the catalogs, as text: equal text, equal catalogs.</summary>
    private static string Fingerprint(ModelSelectionOptions o)
    {
        var text = new StringBuilder();
        text.Append(o.UseBuiltInModels).Append('|').Append(o.UseBuiltInDevices).Append('|').Append(o.SmallEncoderThreshold).Append('|')
            .Append(o.SmallDecoderThreshold).Append('|').Append(o.ComputeEfficiency).Append('|').Append(o.MemoryEfficiency);
        foreach (var m in o.Models)
        {
            text.Append("|m:").Append(m.Id).Append(',').Append(m.ConfigPath).Append(',').Append(m.QualitySource);
            if (m.ConfigPath is { } path && File.Exists(path))
            {
                // An edited config file is a change too, though the options text is the same.
                var file = new FileInfo(path);
                text.Append(',').Append(file.Length).Append('@').Append(file.LastWriteTimeUtc.Ticks);
            }
            foreach (var (k, v) in m.QualityScores.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                text.Append(',').Append(k).Append('=').Append(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        foreach (var b in o.Benchmarks)
        {
            text.Append("|b:").Append(b.Id).Append(',').Append(b.Name).Append(',').Append(b.Task).Append(',').Append(b.Split).Append(',').Append(b.Metric)
                .Append(',').Append(b.HigherIsBetter).Append(',').Append(b.Scale).Append(',').Append(b.Source);
        }

        foreach (var d in o.Devices)
        {
            text.Append("|d:").Append(System.Text.Json.JsonSerializer.Serialize(d, FingerprintJson.Default.DeviceProfileOptions));
        }

        return text.ToString();
    }
}

/// <summary>Source-generated JSON for fingerprinting device options (no reflection).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(DeviceProfileOptions))]
internal sealed partial class FingerprintJson : System.Text.Json.Serialization.JsonSerializerContext;
