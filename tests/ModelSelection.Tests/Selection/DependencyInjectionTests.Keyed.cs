using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelSelection.Comparison;
using ModelSelection.Selection;

namespace ModelSelection.Tests.Selection;

/// <summary>AddKeyedModelSelection: several selectors side by side, each with its own named options, catalogs, validation and reloads.</summary>
public partial class DependencyInjectionTests
{
    private const string TwoKeys = """
        {"ModelSelection": {
           "Edge": {
             "Devices": [ {"Id": "edge-box", "Class": "consumer-gpu", "Memory": "8 GiB", "MemoryBandwidth": "200 GB/s", "PeakFlops": {"Fp16": 20e12}} ],
             "Models": [ {"Id": "distilbert-base-uncased", "QualityScores": {"glue-test": 99}, "QualitySource": "edge team's re-run"} ],
             "Profiles": {"intents": {"Devices": ["edge-box"], "Candidates": ["bert-base-uncased", "distilbert-base-uncased"], "Benchmark": "glue-test"}}
           },
           "Cloud": {
             "UseBuiltInDevices": true,
             "Profiles": {"intents": {"Devices": ["nvidia-t4"], "Candidates": ["bert-base-uncased", "distilbert-base-uncased"], "Benchmark": "glue-test"}}
           }
         }}
        """;

    [Fact]
    public void AddKeyedModelSelection_TwoKeys_HaveTheirOwnOptionsAndCatalogs_AndChooseDifferently()
    {
        var configuration = Json(TwoKeys);
        using var provider = new ServiceCollection()
            .AddKeyedModelSelection("edge", configuration.GetSection("ModelSelection:Edge"))
            .AddKeyedModelSelection("cloud", configuration.GetSection("ModelSelection:Cloud"))
            .BuildServiceProvider();

        var edge = provider.GetRequiredKeyedService<IModelSelector>("edge");
        var cloud = provider.GetRequiredKeyedService<IModelSelector>("cloud");
        Assert.NotSame(edge, cloud);
        Assert.Same(edge, provider.GetRequiredKeyedService<IModelSelector>("edge"));
        Assert.Same(edge, provider.GetRequiredKeyedService<IModelSelectionCatalogs>("edge"));
        Assert.Same(cloud, provider.GetRequiredKeyedService<IModelSelectionCatalogs>("cloud"));

        // Each key's catalogs come from its own section: only the edge has the edge box.
        Assert.True(provider.GetRequiredKeyedService<IModelSelectionCatalogs>("edge").Devices.TryGet("edge-box", out _));
        Assert.False(provider.GetRequiredKeyedService<IModelSelectionCatalogs>("cloud").Devices.TryGet("edge-box", out _));

        // The same profile name resolves to each key's own request, and the re-scored DistilBERT wins only at the edge.
        var edgeResult = edge.Select(provider.GetRequiredKeyedService<ISelectionProfiles>("edge").GetRequest("intents"));
        var cloudResult = cloud.Select(provider.GetRequiredKeyedService<ISelectionProfiles>("cloud").GetRequest("intents"));
        Assert.Equal(("distilbert-base-uncased", "edge-box"), (edgeResult.Choice!.Model.Id, edgeResult.Choice.Device.Id));
        Assert.Contains("edge team's re-run", edgeResult.Choice.QualityAssumption);
        Assert.Equal(("bert-base-uncased", "nvidia-t4"), (cloudResult.Choice!.Model.Id, cloudResult.Choice.Device.Id));

        // The comparer of a key compares on that key's catalogs.
        var comparer = provider.GetRequiredKeyedService<ModelComparer>("edge");
        Assert.Same(comparer, provider.GetRequiredKeyedService<ModelComparer>("edge"));
        Assert.Equal("edge-box", Assert.Single(comparer.Compare(new ComparisonRequest { DeviceIds = ["edge-box"] }).Choices).DeviceId);

        // Keyed only: nothing unkeyed was registered.
        Assert.Null(provider.GetService<IModelSelector>());
        Assert.Null(provider.GetKeyedService<IModelSelector>("other"));
    }

    [Fact]
    public void AddKeyedModelSelection_CoexistsWithTheUnkeyedSelector()
    {
        var services = new ServiceCollection()
            .AddModelSelection(o => o.Models.Add(new ModelOptions { Id = "bert-base-uncased", QualityScores = { ["glue-test"] = 50 }, QualitySource = "unkeyed" }))
            .AddKeyedModelSelection("edge", o => o.Models.Add(new ModelOptions { Id = "bert-base-uncased", QualityScores = { ["glue-test"] = 90 }, QualitySource = "edge" }));
        using var provider = services.BuildServiceProvider();

        var unkeyed = provider.GetRequiredService<IModelSelector>();
        var edge = provider.GetRequiredKeyedService<IModelSelector>("edge");
        Assert.NotSame(unkeyed, edge);
        Assert.Same(unkeyed, provider.GetRequiredService<IModelSelectionCatalogs>());
        Assert.Equal(50, provider.GetRequiredService<IModelSelectionCatalogs>().Models.Get("bert-base-uncased").QualityScores["glue-test"].Value);
        Assert.Equal(90, provider.GetRequiredKeyedService<IModelSelectionCatalogs>("edge").Models.Get("bert-base-uncased").QualityScores["glue-test"].Value);
        Assert.Equal("distilbert-base-uncased", unkeyed.Select(BertOnT4).Choice!.Model.Id); // re-scored to 50, below DistilBERT
        Assert.Equal("bert-base-uncased", edge.Select(BertOnT4).Choice!.Model.Id);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ModelSelectionOptions>));
    }

    [Fact]
    public void AddKeyedModelSelection_InjectsThroughFromKeyedServices()
    {
        using var provider = new ServiceCollection()
            .AddModelSelection()
            .AddKeyedModelSelection("edge", o => o.Devices.Add(new ModelSelection.Devices.DeviceProfileOptions { Id = "raspberry-pi-5-8gb", Tier = "mobile" }))
            .AddSingleton<EdgeConsumer>()
            .BuildServiceProvider();
        var consumer = provider.GetRequiredService<EdgeConsumer>();
        Assert.Same(provider.GetRequiredKeyedService<IModelSelector>("edge"), consumer.Edge);
        Assert.Same(provider.GetRequiredService<IModelSelector>(), consumer.Default);
        Assert.Equal(ModelSelection.Devices.DeviceTier.Mobile, consumer.EdgeCatalogs.Devices.Get("raspberry-pi-5-8gb").Tier);
    }

    [Fact]
    public void AddKeyedModelSelection_InvalidOptionsUnderAKey_FailNamingTheKeyAndTheField_OnStartToo()
    {
        var configuration = Json("""
            {"ModelSelection": { "MemoryHeadroomFraction": 0.1,
               "Edge": { "MemoryHeadroomFraction": 1.5, "Profiles": {"bad": {"Devices": [], "Task": "chat"}} } }}
            """);
        var services = new ServiceCollection()
            .AddModelSelection(configuration.GetSection("ModelSelection"))
            .AddKeyedModelSelection("edge", configuration.GetSection("ModelSelection:Edge"));
        using var provider = services.BuildServiceProvider();
        string[] expected =
        [
            "Key 'edge': MemoryHeadroomFraction must be at least 0 and below 1; was 1.5.",
            "Key 'edge': Profiles.bad.Devices must name at least one device.",
            "Key 'edge': Profiles.bad.Task: unknown task 'chat'; known tasks: embedding, classification, extractive-qa, text-generation, seq2seq, language-modeling.",
        ];

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IModelSelector>("edge"));
        Assert.Equal("edge", exception.OptionsName);
        Assert.Equal(expected, exception.Failures);

        // What a Host runs at start-up (ValidateOnStart): the same failures, before anything is resolved.
        var onStart = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(expected, onStart.Failures);

        // The unkeyed selector is not affected by the key's problems.
        Assert.NotNull(provider.GetRequiredService<IModelSelector>().Select(BertOnT4).Choice);
    }

    [Fact]
    public void AddKeyedModelSelection_Reload_RebuildsOnlyThatKey()
    {
        var source = new ReloadableSource();
        source.Set("ModelSelection:Devices:0:Id", "nvidia-t4");
        source.Set("ModelSelection:Devices:0:Memory", "8 GiB");
        source.Set("ModelSelection:Edge:Devices:0:Id", "nvidia-t4");
        source.Set("ModelSelection:Edge:Devices:0:Memory", "2 GiB");
        var configuration = new ConfigurationBuilder().Add(source).Build();
        using var provider = new ServiceCollection()
            .AddModelSelection(configuration.GetSection("ModelSelection"))
            .AddKeyedModelSelection("edge", configuration.GetSection("ModelSelection:Edge"))
            .BuildServiceProvider();
        var unkeyed = provider.GetRequiredService<IModelSelectionCatalogs>();
        var edge = provider.GetRequiredKeyedService<IModelSelectionCatalogs>("edge");
        var unkeyedFactory = provider.GetRequiredService<OptionsSelectorFactory>();
        var edgeFactory = provider.GetRequiredKeyedService<OptionsSelectorFactory>("edge");
        Assert.Equal("edge", edgeFactory.Name);
        Assert.Equal((8L << 30, 2L << 30), (unkeyed.Devices.Get("nvidia-t4").MemoryBytes, edge.Devices.Get("nvidia-t4").MemoryBytes));

        source.Set("ModelSelection:Edge:Devices:0:Memory", "4 GiB");
        configuration.Reload();
        Assert.Equal((8L << 30, 4L << 30), (unkeyed.Devices.Get("nvidia-t4").MemoryBytes, edge.Devices.Get("nvidia-t4").MemoryBytes));
        Assert.Equal((0, 1), (unkeyedFactory.Rebuilds, edgeFactory.Rebuilds));

        // An invalid reload under the key is refused naming the key; the key's catalogs stay.
        source.Set("ModelSelection:Edge:Devices:0:Memory", "lots");
        var invalid = Assert.Throws<AggregateException>(configuration.Reload);
        var validation = Assert.IsType<OptionsValidationException>(Assert.Single(invalid.InnerExceptions));
        Assert.Equal("edge", validation.OptionsName);
        Assert.StartsWith("Key 'edge': Devices[0]: Device 'nvidia-t4': Memory must be a size with a unit", validation.Failures.Single());
        Assert.Equal(4L << 30, edge.Devices.Get("nvidia-t4").MemoryBytes);
        Assert.Equal(8L << 30, unkeyed.Devices.Get("nvidia-t4").MemoryBytes);
    }

    [Fact]
    public void AddKeyedModelSelection_IsIdempotentPerKey_AndGuardsItsArguments()
    {
        var services = new ServiceCollection();
        Assert.Same(services, services.AddKeyedModelSelection("edge"));
        services.AddKeyedModelSelection("edge").AddKeyedModelSelection("edge", o => o.MemoryHeadroomFraction = 0.1).AddKeyedModelSelection("cloud");
        Assert.Single(services, d => d.ServiceType == typeof(IModelSelector) && Equals(d.ServiceKey, "edge"));
        Assert.Single(services, d => d.ServiceType == typeof(IModelSelector) && Equals(d.ServiceKey, "cloud"));
        Assert.Single(services, d => d.ServiceType == typeof(ISelectionProfiles) && Equals(d.ServiceKey, "edge"));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ModelSelectionOptions>));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddKeyedModelSelection("edge"));
        Assert.Throws<ArgumentNullException>(() => services.AddKeyedModelSelection(null!));
        Assert.Throws<ArgumentException>(() => services.AddKeyedModelSelection(" "));
        Assert.Throws<ArgumentNullException>(() => services.AddKeyedModelSelection("edge", (Action<ModelSelectionOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddKeyedModelSelection("edge", (IConfiguration)null!));
    }

    private sealed class EdgeConsumer(
        [FromKeyedServices("edge")] IModelSelector edge,
        [FromKeyedServices("edge")] IModelSelectionCatalogs edgeCatalogs,
        IModelSelector @default)
    {
        public IModelSelector Edge { get; } = edge;

        public IModelSelectionCatalogs EdgeCatalogs { get; } = edgeCatalogs;

        public IModelSelector Default { get; } = @default;
    }
}
