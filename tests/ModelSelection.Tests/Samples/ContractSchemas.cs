using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace ModelSelection.Tests.Samples;

/// <summary>The console's JSON contract (shared/contract/*.schema.json), built once per schema.</summary>
public static class ContractSchemas
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new();

    /// <summary>Asserts that <paramref name="json"/> is valid against the named schema, listing the errors when not.</summary>
    public static void AssertValid(string schemaFile, string json)
    {
        var schema = Cache.GetOrAdd(schemaFile, file =>
            JsonSchema.FromText(File.ReadAllText(SharedFiles.Contract(file)), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("https://contract.modelselect.test/" + file)));
        using var document = JsonDocument.Parse(json);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"));
        Assert.True(result.IsValid, $"{schemaFile}: " + string.Join("; ", errors));
    }
}
