using System.Globalization;
using System.Text;
using ModelSelection.Catalog;
using ModelSelection.Estimation;
using ModelSelection.Import;
using ModelSelection.Safetensors;

namespace ModelSelection.Fuzz;

/// <summary>The fuzz targets: each feeds one input to a public reader or parser and lets only documented exceptions pass.</summary>
public static class Targets
{
    private static readonly CultureInfo[] Cultures = [CultureInfo.InvariantCulture, new("de-DE"), new("ar-SA"), new("hi-IN")];

    private static readonly string Folder = Directory.CreateTempSubdirectory("modelselect-fuzz-").FullName;

    /// <summary>The targets by name.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["config"] = Config,
        ["safetensors"] = Safetensors,
        ["index"] = Index,
        ["quantities"] = Quantities,
        ["gguf"] = Gguf,
    };

    /// <summary>A GGUF file's header, then the spec built from it and an estimate over it.</summary>
    public static void Gguf(byte[] input)
    {
        ModelSelection.Models.ModelSpec spec;
        try
        {
            var file = ModelSelection.Gguf.GgufFile.Read(new MemoryStream(input, writable: false), "fuzz.gguf");
            var path = Path.Combine(Folder, "fuzz.gguf");
            File.WriteAllBytes(path, input);
            spec = ModelSelection.Gguf.GgufModel.Read(path).ToModelSpec();
            _ = file.TensorBytes;
        }
        catch (ModelImportException)
        {
            return;
        }

        try
        {
            _ = ModelEstimator.EstimatePerformance(spec, new InferenceWorkload { WeightPrecision = spec.StoredWeights!.Format, InputTokens = 16 }, DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm"));
        }
        catch (ArgumentException)
        {
            // Documented: a workload the model cannot run (a learned position table shorter than 16 tokens, …).
        }
    }

    /// <summary>A config.json, then the estimators over the model it describes.</summary>
    public static void Config(byte[] input)
    {
        var path = Path.Combine(Folder, "config.json");
        File.WriteAllBytes(path, input);
        ModelSelection.Models.ModelSpec spec;
        try
        {
            spec = HuggingFaceConfig.Load(path);
        }
        catch (ModelImportException)
        {
            return;
        }

        var workload = new InferenceWorkload { InputTokens = Math.Max(1, Math.Min(64, spec.ContextLength == 0 ? 64 : spec.ContextLength)) };
        try
        {
            _ = ModelEstimator.EstimatePerformance(spec, workload, DeviceCatalog.BuiltIn.Get("nvidia-a100-80gb-sxm"));
        }
        catch (ArgumentException)
        {
            // Documented: a format the device cannot compute, more than 2^63 bytes, a workload the model cannot run.
        }

        _ = new ModelSelector(ModelCatalog.BuiltIn, DeviceCatalog.BuiltIn).Select(new SelectionRequest { Models = [spec], DeviceIds = ["raspberry-pi-5-8gb"] });
    }

    /// <summary>A safetensors file's header.</summary>
    public static void Safetensors(byte[] input)
    {
        try
        {
            _ = SafetensorsFile.Read(new MemoryStream(input, writable: false), "fuzz.safetensors");
        }
        catch (ModelImportException)
        {
        }
    }

    /// <summary>A sharded index beside one real shard.</summary>
    public static void Index(byte[] input)
    {
        var shard = Path.Combine(Folder, "model-00001-of-00001.safetensors");
        if (!File.Exists(shard))
        {
            const string Header = """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""";
            var header = Encoding.UTF8.GetBytes(Header);
            var bytes = new byte[8 + header.Length + 4];
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)header.Length);
            header.CopyTo(bytes, 8);
            File.WriteAllBytes(shard, bytes);
        }

        var index = Path.Combine(Folder, "model.safetensors.index.json");
        File.WriteAllBytes(index, input);
        try
        {
            _ = SafetensorsCheckpoint.Read(index);
        }
        catch (Exception exception) when (exception is ModelImportException or FileNotFoundException)
        {
        }
    }

    /// <summary>The quantity parsers in several cultures: whatever parses must format and parse back.</summary>
    public static void Quantities(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        foreach (var culture in Cultures)
        {
            if (ParameterCount.TryParse(text, culture, out var count) && ParameterCount.Parse(count.ToString("N", culture), culture) != count)
            {
                throw new InvalidOperationException($"ParameterCount '{text}' did not round-trip in {culture.Name}");
            }

            if (FlopCount.TryParse(text, culture, out var flops))
            {
                _ = FlopCount.Parse(flops.ToString("G", culture), culture);
            }

            if (FlopRate.TryParse(text, culture, out var rate))
            {
                _ = FlopRate.Parse(rate.ToString("G", culture), culture);
            }

            if (DatasetSize.TryParse(text, culture, out var tokens))
            {
                _ = DatasetSize.Parse(tokens.ToString("G", culture), culture);
            }

            _ = NumericPrecision.TryParse(text, culture, out _);
        }
    }
}
