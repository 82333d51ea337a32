using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Gguf;

namespace ModelSelection.Tests.Gguf;

/// <summary>GGUF files as catalog entries, estimates and selection candidates.</summary>
public sealed class GgufCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ms-gguf-cat-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ACatalogEntryCanNameAGgufFileRelativeToTheCatalog()
    {
        LlamaCppGgufWriter.Write(Path.Combine(_folder, "tiny.gguf"), 256, 4, 4, 2, 768, 8);
        var catalogPath = Path.Combine(_folder, "models.json");
        File.WriteAllText(catalogPath, """{ "models": [ { "id": "acme/tiny-q8", "gguf": "tiny.gguf", "sources": ["written by the test"] } ] }""");
        var spec = ModelCatalog.FromJson(File.ReadAllText(catalogPath), catalogPath).Get("acme/tiny-q8");
        Assert.Equal("acme/tiny-q8", spec.Id);
        Assert.Equal("llama", spec.Family);
        Assert.Equal(NumericPrecision.GgufQ80, spec.StoredWeights!.Format);
        Assert.Equal(GgufModel.Read(Path.Combine(_folder, "tiny.gguf")).WeightBytes, ModelEstimator.EstimateMemory(spec, new InferenceWorkload { WeightPrecision = NumericPrecision.GgufQ80 }).WeightsBytes);

        Assert.Contains("no GGUF file", Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{ "models": [ { "id": "x", "gguf": "missing.gguf" } ] }""", catalogPath)).Problem, StringComparison.Ordinal);
        Assert.Contains("not both", Assert.Throws<ModelImportException>(() => ModelCatalog.FromJson("""{ "models": [ { "id": "x", "gguf": "tiny.gguf", "config": {} } ] }""", catalogPath)).Problem, StringComparison.Ordinal);
    }
}
