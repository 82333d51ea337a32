using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelSelection.Estimation;
using ModelSelection.Selection;

namespace ModelSelection.Tests.Selection;

/// <summary>AddModelSelection on a real ServiceCollection: registration, binding, validation messages, reload, logging, metrics.</summary>
public partial class DependencyInjectionTests
{
    private static readonly SelectionRequest BertOnT4 = new()
    {
        CandidateIds = ["bert-base-uncased", "distilbert-base-uncased"],
        DeviceIds = ["nvidia-t4"],
        Constraints = new SelectionConstraints { QualityBenchmark = "glue-test" },
    };

    [Fact]
    public void AddModelSelection_ResolvesASelectorThatSelects()
    {
        using var provider = new ServiceCollection().AddModelSelection().BuildServiceProvider();
        var selector = provider.GetRequiredService<IModelSelector>();
        var result = selector.Select(BertOnT4);
        Assert.Equal("bert-base-uncased", result.Choice!.Model.Id);
        Assert.Same(selector, provider.GetRequiredService<IModelSelector>());
    }

    [Fact]
    public void AddModelSelection_IsIdempotentAndReturnsTheCollection()
    {
        var services = new ServiceCollection();
        Assert.Same(services, services.AddModelSelection());
        services.AddModelSelection().AddModelSelection(o => o.MemoryHeadroomFraction = 0.1);
        Assert.Single(services, d => d.ServiceType == typeof(IModelSelector));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ModelSelectionOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(ISelectionProfiles));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddModelSelection());
        Assert.Throws<ArgumentNullException>(() => services.AddModelSelection((Action<ModelSelectionOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddModelSelection((IConfiguration)null!));
    }

    [Fact]
    public void AddModelSelection_BindsAppSettingsWithProfilesAndDeviceOverrides()
    {
        var configuration = Json("""
            {"ModelSelection": {
               "SmallEncoderThreshold": "50M",
               "Devices": [ {"Id": "nvidia-t4", "Memory": "1 GiB"},
                            {"Id": "my-box", "Class": "consumer-gpu", "Memory": "24 GiB", "MemoryBandwidth": "1000 GB/s", "PeakFlops": {"Fp16": 100e12}} ],
               "Models": [ {"Id": "bert-base-uncased", "QualityScores": {"glue-test": 81.5}, "QualitySource": "our re-run"} ],
               "Profiles": {"edge": {"Devices": ["my-box"], "Candidates": ["bert-base-uncased", "distilbert-base-uncased"], "Benchmark": "glue-test", "MaxLatency": "00:00:00.050"}}
             }}
            """);
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var selector = (ModelSelector)provider.GetRequiredService<IModelSelector>();
        Assert.Equal(1L << 30, selector.Devices.Get("nvidia-t4").MemoryBytes);
        Assert.Equal(81.5, selector.Models.Get("bert-base-uncased").QualityScores["glue-test"].Value);
        Assert.Equal(SizeClass.Large, selector.Thresholds.Classify(selector.Models.Get("distilbert-base-uncased")));

        var profiles = provider.GetRequiredService<ISelectionProfiles>();
        Assert.Equal(["edge"], profiles.Names);
        var request = profiles.GetRequest("edge");
        Assert.Equal(TimeSpan.FromMilliseconds(50), request.Constraints.MaxLatency);
        var result = selector.Select(request);
        Assert.Equal("bert-base-uncased", result.Choice!.Model.Id);
        Assert.Contains("our re-run", result.Choice.QualityAssumption);
        Assert.StartsWith("Unknown selection profile 'cloud'; configured: edge.", Assert.Throws<ArgumentException>(() => profiles.GetRequest("cloud")).Message);
    }

    [Fact]
    public void AddModelSelection_RegistersTheCatalogsAndTheComparer_WithoutACastInSight()
    {
        using var provider = new ServiceCollection().AddModelSelection(o => o.Devices.Add(new ModelSelection.Devices.DeviceProfileOptions { Id = "raspberry-pi-5-8gb", Tier = "mobile" })).BuildServiceProvider();
        var catalogs = provider.GetRequiredService<IModelSelectionCatalogs>();
        Assert.Same(provider.GetRequiredService<IModelSelector>(), catalogs); // one state: what the selector decides with
        Assert.Equal(ModelSelection.Devices.DeviceTier.Mobile, catalogs.Devices.Get("raspberry-pi-5-8gb").Tier);
        Assert.NotEmpty(catalogs.Runtimes.Runtimes);
        Assert.NotNull(catalogs.Benchmarks.Get("glue-test"));

        var comparer = provider.GetRequiredService<ModelSelection.Comparison.ModelComparer>();
        Assert.Same(comparer, provider.GetRequiredService<ModelSelection.Comparison.ModelComparer>());
        var result = comparer.Compare(new ModelSelection.Comparison.ComparisonRequest { DeviceIds = ["raspberry-pi-5-8gb"] });
        Assert.Equal(ModelSelection.Devices.DeviceTier.Mobile, Assert.Single(result.Choices).Tier); // the configured device, not the built-in one
    }

    [Fact]
    public void InvalidOptions_FailWithEveryProblemNamed()
    {
        var configuration = Json("""
            {"ModelSelection": {
               "MemoryHeadroomFraction": 1.5,
               "SmallDecoderThreshold": "lots",
               "ComputeEfficiency": 0,
               "Devices": [ {"Id": "nvidia-t4", "UsableMemoryFraction": 2}, {"Id": "new-one"} ],
               "DefaultBenchmark": "glue",
               "Models": [ {"QualityScores": {"glue-test": 1}}, {"Id": "missing-model"}, {"Id": "bert-base-uncased", "QualityScores": {"mmlu": 50}} ],
               "Profiles": {"bad": {"Devices": [], "Precisions": ["fp64"], "Benchmark": "nope", "Task": "chat"}}
             }}
            """);
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IModelSelector>());
        Assert.Equal(
        [
            "Models[0].Id is required.",
            "Models[1] ('missing-model'): Models[1].ConfigPath is required: 'missing-model' is not in the catalog.",
            "Models[2] ('bert-base-uncased'): Models[2].QualityScores.mmlu: Unknown benchmark 'mmlu'; did you mean mmlu-5shot? Known: glue-dev-no-wnli, glue-dev-wnli, glue-test, glue-test-official, mmlu-5shot, mteb-en-v1, squad-v1.1-f1, wikitext103-test-ppl, wmt14-en-de-bleu.",
            "Devices[0]: Device 'nvidia-t4': UsableMemoryFraction must be greater than 0 and at most 1; was 2.",
            "Devices[1]: Device 'new-one': Class is required for a new device.",
            "Devices[1]: Device 'new-one': MemoryBytes (or Memory) is required for a new device.",
            "Devices[1]: Device 'new-one': MemoryBandwidthBytesPerSecond (or MemoryBandwidth) is required for a new device.",
            "Devices[1]: Device 'new-one': PeakFlops is required for a new device (at least one precision).",
            "MemoryHeadroomFraction must be at least 0 and below 1; was 1.5.",
            "ComputeEfficiency must be greater than 0 and at most 1; was 0.",
            "SmallDecoderThreshold must be a positive parameter count such as 100M or 4B; was 'lots'.",
            "DefaultBenchmark: Benchmark 'glue' is retired: it mixed dev and test sets and 8- and 9-task averages, so its numbers were not comparable; use glue-test (BERT Table 1 convention), glue-test-official (leaderboard score with WNLI), glue-dev-wnli (DistilBERT Table 1) or glue-dev-no-wnli (RoBERTa Table 5).",
            "Profiles.bad.Devices must name at least one device.",
            "Profiles.bad.Precisions: unknown precision 'fp64'.",
            "Profiles.bad.Benchmark: Unknown benchmark 'nope'; known: glue-dev-no-wnli, glue-dev-wnli, glue-test, glue-test-official, mmlu-5shot, mteb-en-v1, squad-v1.1-f1, wikitext103-test-ppl, wmt14-en-de-bleu.",
            "Profiles.bad.Task: unknown task 'chat'; known tasks: embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling.",
        ], exception.Failures);
    }

    [Fact]
    public void Reload_SwapsCatalogsOnce_PerDistinctChange()
    {
        var source = new ReloadableSource();
        source.Set("ModelSelection:Devices:0:Id", "nvidia-t4");
        source.Set("ModelSelection:Devices:0:Memory", "8 GiB");
        var configuration = new ConfigurationBuilder().Add(source).Build();
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var selector = (ModelSelector)provider.GetRequiredService<IModelSelector>();
        var catalogs = provider.GetRequiredService<IModelSelectionCatalogs>();
        var factory = provider.GetRequiredService<OptionsSelectorFactory>();
        Assert.Equal(8L << 30, selector.Devices.Get("nvidia-t4").MemoryBytes);
        Assert.Equal(8L << 30, catalogs.Devices.Get("nvidia-t4").MemoryBytes);

        source.Set("ModelSelection:Devices:0:Memory", "4 GiB");
        configuration.Reload();
        Assert.Equal(4L << 30, selector.Devices.Get("nvidia-t4").MemoryBytes);
        Assert.Equal(4L << 30, catalogs.Devices.Get("nvidia-t4").MemoryBytes); // the catalogs service follows the reload too
        Assert.Equal(1, factory.Rebuilds);

        configuration.Reload(); // the same content again: a duplicate change event
        configuration.Reload();
        Assert.Equal(1, factory.Rebuilds);

        // Invalid: IOptionsMonitor validates on reload and throws, naming the problem; the previous catalogs stay.
        source.Set("ModelSelection:Devices:0:Memory", "not a size");
        var invalid = Assert.Throws<AggregateException>(configuration.Reload);
        var validation = Assert.IsType<OptionsValidationException>(Assert.Single(invalid.InnerExceptions));
        Assert.Contains("Devices[0]: Device 'nvidia-t4': Memory must be a size with a unit", validation.Message);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<ModelSelectionOptions>>().CurrentValue);
        Assert.Equal(4L << 30, selector.Devices.Get("nvidia-t4").MemoryBytes);
        Assert.Equal(1, factory.Rebuilds);
    }

    [Fact]
    public async Task Reload_UnderConcurrentSelection_NeverTearsAResult()
    {
        var source = new ReloadableSource();
        source.Set("ModelSelection:Devices:0:Id", "nvidia-t4");
        source.Set("ModelSelection:Devices:0:Memory", "8 GiB");
        var configuration = new ConfigurationBuilder().Add(source).Build();
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var selector = provider.GetRequiredService<IModelSelector>();
        using var stop = new CancellationTokenSource();
        var errors = 0;
        var selections = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = selector.Select(BertOnT4);
                    var memory = result.Choice!.Device.MemoryBytes;
                    // Every candidate of one result saw the same catalog.
                    if (result.Ranked.Concat(result.Rejected.Select(r => r.Candidate)).Any(c => c.Device.MemoryBytes != memory) || (memory != 8L << 30 && memory != 16L << 30))
                    {
                        Interlocked.Increment(ref errors);
                    }

                    Interlocked.Increment(ref selections);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();

        var refused = 0;
        for (var i = 0; i < 300 || (Volatile.Read(ref selections) < 100 && i < 100_000); i++)
        {
            // Every third reload is invalid: it must be refused, keep the catalogs in force, and tear nothing.
            source.Set("ModelSelection:Devices:0:Memory", (i % 3) switch { 0 => "16 GiB", 1 => "8 GiB", _ => "lots" });
            try
            {
                configuration.Reload();
            }
            catch (AggregateException exception) when (exception.InnerExceptions.All(e => e is OptionsValidationException))
            {
                refused++;
            }
        }

        Assert.True(refused >= 100, $"{refused} invalid reloads refused");

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.Equal(0, errors);
        Assert.True(selections > 0);
    }

    [Fact]
    public void Decisions_AreLoggedAndCounted()
    {
        var logs = new List<(LogLevel Level, string Message)>();
        var services = new ServiceCollection().AddModelSelection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new ListLoggerProvider(logs)));
        long selections = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ModelSelection")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "modelselection.selections")
            {
                Interlocked.Add(ref selections, value);
            }
        });
        listener.Start();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IModelSelector>().Select(BertOnT4);
        Assert.Contains(logs, l => l.Level == LogLevel.Information && l.Message.Contains("Chose bert-base-uncased", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Level == LogLevel.Debug && l.Message.StartsWith("Candidate distilbert-base-uncased", StringComparison.Ordinal));
        Assert.True(Interlocked.Read(ref selections) >= 1);
    }

    [Fact]
    public void Telemetry_OnTheAppsMeterFactory_CountsWithTags_TimesInSeconds_TracesASpan_AndLogsFields()
    {
        var logs = new List<(LogLevel Level, string Message)>();
        var services = new ServiceCollection().AddMetrics().AddModelSelection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new ListLoggerProvider(logs)));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ModelSelection" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, instrument.Unit, value, copy));
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        var spans = new List<System.Diagnostics.Activity>();
        using var activities = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "ModelSelection",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(activities);

        // Other tests select in parallel on the same static source: this test's span is the one under its own root.
        System.Diagnostics.ActivityTraceId trace;
        using (var root = new System.Diagnostics.Activity("telemetry-test").Start())
        {
            trace = root.TraceId;
            provider.GetRequiredService<IModelSelector>().Select(BertOnT4);
        }

        var count = Assert.Single(measurements, m => m.Instrument == "modelselection.selections");
        Assert.Equal(1, count.Value);
        Assert.Equal("chosen", count.Tags["outcome"]);
        Assert.Equal("quality", count.Tags["objective"]);
        Assert.Equal("datacenter-gpu", count.Tags["device.class"]);
        Assert.Equal("large", count.Tags["size_class"]);
        var duration = Assert.Single(measurements, m => m.Instrument == "modelselection.selection.duration");
        Assert.Equal("s", duration.Unit);
        Assert.InRange(duration.Value, 1e-7, 30);
        Assert.DoesNotContain(measurements, m => m.Instrument == "modelselection.outcomes");

        System.Diagnostics.Activity[] ours;
        lock (spans)
        {
            ours = [.. spans.Where(a => a.TraceId == trace)];
        }

        var span = Assert.Single(ours, a => a.OperationName == "modelselection.select");
        Assert.Equal("bert-base-uncased", span.GetTagItem("modelselection.choice.model"));
        Assert.Equal("nvidia-t4", span.GetTagItem("modelselection.choice.device"));
        Assert.Equal("chosen", span.GetTagItem("modelselection.outcome"));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Ok, span.Status);

        Assert.Contains(logs, l => l.Level == LogLevel.Information && l.Message.StartsWith("Model selection: chosen: bert-base-uncased @ fp16 on nvidia-t4 via ", StringComparison.Ordinal));
    }

    [Fact]
    public void WorksWithoutDependencyInjection()
    {
        var selector = new ModelSelector(ModelSelection.Catalog.ModelCatalog.BuiltIn, ModelSelection.Catalog.DeviceCatalog.BuiltIn);
        var result = selector.Select(BertOnT4 with { Workload = new InferenceWorkload { InputTokens = 64 } });
        Assert.NotNull(result.Choice);
    }

    private static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private sealed class ReloadableSource : IConfigurationSource
    {
        private readonly Provider _provider = new();

        public void Set(string key, string value) => _provider.Values[key] = value;

        public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

        private sealed class Provider : ConfigurationProvider
        {
            public Dictionary<string, string?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

            public override void Load() => Data = new Dictionary<string, string?>(Values, StringComparer.OrdinalIgnoreCase);
        }
    }

    private sealed class ListLoggerProvider(List<(LogLevel, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(logs);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<(LogLevel, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (logs)
                {
                    logs.Add((logLevel, formatter(state, exception)));
                }
            }
        }
    }

    [Fact]
    public void Benchmarks_OfYourOwn_ScoreModelsAndRankProfiles()
    {
        var configuration = Json("""
            {"ModelSelection": {
               "Benchmarks": [ {"Id": "acme-intent-f1", "Name": "ACME intents", "Task": "classification", "Metric": "macro F1", "Source": "our evaluation, 2026-11"} ],
               "Models": [ {"Id": "bert-base-uncased", "QualityScores": {"acme-intent-f1": 91.0}, "QualitySource": "our run"},
                           {"Id": "distilbert-base-uncased", "QualityScores": {"acme-intent-f1": 90.2}, "QualitySource": "our run"} ],
               "Profiles": {"intents": {"Devices": ["nvidia-t4"], "Candidates": ["bert-base-uncased", "distilbert-base-uncased"], "Task": "classification", "Benchmark": "acme-intent-f1"}}
             }}
            """);
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var selector = provider.GetRequiredService<IModelSelector>();
        var result = selector.Select(provider.GetRequiredService<ISelectionProfiles>().GetRequest("intents"));
        Assert.Equal("acme-intent-f1", result.Benchmark);
        Assert.Equal("bert-base-uncased", result.Choice?.Model.Id);
        Assert.Equal(91.0, result.Choice?.Quality);
    }

    [Fact]
    public void Benchmarks_OfYourOwn_AreValidated()
    {
        var configuration = Json("""
            {"ModelSelection": { "Benchmarks": [ {"Id": "mine", "Task": "chat"}, {"Task": "classification", "Source": "x"} ] }}
            """);
        using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IModelSelector>());
        Assert.Equal(
        [
            "Benchmarks[0].Task must be one of embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling; was 'chat'.",
            "Benchmarks[0].Source is required: say where the measurement is defined.",
            "Benchmarks[1].Id is required.",
        ], exception.Failures);
    }

    [Fact]
    public void Reload_AfterTheConfigFileChanged_RebuildsTheCatalog()
    {
        var folder = Directory.CreateTempSubdirectory("modelselect-configpath-").FullName;
        try
        {
            var config = Path.Combine(folder, "config.json");
            File.WriteAllText(config, """{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":1,"n_head":1,"n_positions":16}""");
            var source = new ReloadableSource();
            source.Set("ModelSelection:Models:0:Id", "mine");
            source.Set("ModelSelection:Models:0:ConfigPath", config);
            var configuration = new ConfigurationBuilder().Add(source).Build();
            using var provider = new ServiceCollection().AddModelSelection(configuration.GetSection("ModelSelection")).BuildServiceProvider();
            var selector = (ModelSelector)provider.GetRequiredService<IModelSelector>();
            var before = selector.Models.Get("mine").Parameters;

            File.WriteAllText(config, """{"model_type":"gpt2","vocab_size":10,"n_embd":8,"n_layer":2,"n_head":1,"n_positions":16}""");
            File.SetLastWriteTimeUtc(config, DateTime.UtcNow.AddMinutes(1));
            configuration.Reload();
            Assert.True(selector.Models.Get("mine").Parameters > before, "the edited config was not re-read");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
