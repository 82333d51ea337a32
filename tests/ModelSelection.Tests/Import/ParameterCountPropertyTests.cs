using FsCheck.Xunit;
using ModelSelection.Catalog;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Tests.Generators;

namespace ModelSelection.Tests.Import;

/// <summary>Laws of parameter counting over generated, realistic configs of every family shape.</summary>
public class ParameterCountPropertyTests
{
    private static ModelSpec Import(ConfigShape shape) => HuggingFaceConfig.Parse(shape.ToJson(), $"generated {shape.Family}", null);

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Count_grows_with_every_layer(ConfigShape shape) =>
        Assert.True(Import(shape with { Layers = shape.Layers + 1 }).Parameters > Import(shape).Parameters);

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Count_grows_with_hidden_size(ConfigShape shape)
    {
        // Wider heads widen the hidden size (hidden = heads × head width); the FFN keeps its width.
        var wider = shape with { HeadDim = shape.HeadDim * 2 };
        Assert.True(Import(wider).Parameters > Import(shape).Parameters);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Count_grows_with_vocabulary(ConfigShape shape) =>
        Assert.True(Import(shape with { Vocab = shape.Vocab + 1 }).Parameters > Import(shape).Parameters);

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Count_grows_with_experts_and_active_count_with_experts_per_token(ConfigShape shape)
    {
        var moe = shape with { Family = "mixtral", Experts = Math.Max(2, shape.Experts), PerToken = 1 };
        Assert.True(Import(moe with { Experts = moe.Experts + 1 }).Parameters > Import(moe).Parameters);
        // One more expert adds only a router row per layer to what a token touches.
        Assert.Equal((long)moe.Layers * moe.Hidden, Import(moe with { Experts = moe.Experts + 1 }).ActiveParameters.Count - Import(moe).ActiveParameters.Count);
        Assert.True(Import(moe with { PerToken = 2 }).ActiveParameters > Import(moe).ActiveParameters);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Tying_never_increases_the_count(ConfigShape shape)
    {
        if (!shape.SupportsTying)
        {
            return;
        }

        var tied = Import(shape with { Tied = true });
        var untied = Import(shape with { Tied = false });
        Assert.True(tied.Parameters <= untied.Parameters);
        Assert.Equal((long)shape.Vocab * shape.Hidden, untied.Parameters.Count - tied.Parameters.Count);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Grouped_query_attention_never_exceeds_multi_head_at_equal_shapes(ConfigShape shape)
    {
        if (!shape.SupportsGqa)
        {
            return;
        }

        var gqa = Import(shape);
        var mha = Import(shape with { KvHeads = shape.Heads });
        Assert.True(gqa.Parameters <= mha.Parameters);
        Assert.Equal(shape.KvHeads, gqa.Architecture.KeyValueHeads);
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Count_is_the_sum_of_the_inventory_and_active_never_exceeds_it(ConfigShape shape)
    {
        var spec = Import(shape);
        Assert.Equal(spec.Inventory.Groups.Sum(g => g.Parameters), spec.Parameters.Count);
        Assert.True(spec.ActiveParameters <= spec.Parameters);
        if (!spec.Architecture.IsMixtureOfExperts)
        {
            Assert.Equal(spec.Parameters, spec.ActiveParameters);
        }
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Importing_a_config_and_exporting_and_reimporting_the_spec_is_lossless(ConfigShape shape)
    {
        var spec = Import(shape);
        var reloaded = ModelSpecJson.Deserialize(ModelSpecJson.Serialize(spec), "round trip");
        Assert.Equal(spec, reloaded);
        Assert.Equal(spec.Parameters, reloaded.Parameters);
        Assert.Equal(spec.ActiveParameters, reloaded.ActiveParameters);
    }

    [Fact]
    public void Every_catalog_model_round_trips_through_spec_json()
    {
        foreach (var model in ModelCatalog.BuiltIn.Models)
        {
            Assert.Equal(model, ModelSpecJson.Deserialize(ModelSpecJson.Serialize(model), model.Id));
        }
    }
}

/// <summary>Broken configs: whatever the damage, the outcome is a spec or the documented exception, nothing else.</summary>
public class MutatedConfigPropertyTests
{
    [FsCheck.Xunit.Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 1000)]
    public void Mutated_configs_give_a_spec_or_the_documented_exception(ConfigShape shape, int position, byte value, bool truncate)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(shape.ToJson());
        var at = Math.Abs(position % bytes.Length);
        if (truncate)
        {
            bytes = bytes[..at];
        }
        else
        {
            bytes[at] = value;
        }

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            var spec = HuggingFaceConfig.Load(path);
            Assert.True(spec.Parameters.Count > 0);
        }
        catch (ModelImportException)
        {
            // the documented outcome
        }
        finally
        {
            File.Delete(path);
        }
    }
}
