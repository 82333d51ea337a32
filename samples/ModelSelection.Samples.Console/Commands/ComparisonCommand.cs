using System.Globalization;
using ModelSelection.Estimation;

namespace ModelSelection.Samples.Console;

/// <summary>
/// What <c>modelselect</c> prints with no command: the large-vs-small decision on the built-in catalogs — the BERT
/// family and a set of LLMs, on a datacenter GPU, a consumer GPU, a Jetson, a Raspberry Pi and a phone SoC — with the
/// choice per device and why.
/// </summary>
internal sealed class ComparisonCommand(IModelSelector selector)
{
    private static readonly string[] Encoders =
    [
        "bert-large-uncased", "roberta-large", "bert-base-uncased", "roberta-base", "distilbert-base-uncased",
        "google/mobilebert-uncased", "huawei-noah/TinyBERT_General_6L_768D", "huawei-noah/TinyBERT_General_4L_312D",
    ];

    private static readonly string[] Decoders =
    [
        "meta-llama/Llama-2-70b-hf", "mistralai/Mixtral-8x7B-v0.1", "meta-llama/Llama-2-13b-hf", "meta-llama/Meta-Llama-3-8B",
        "mistralai/Mistral-7B-v0.1", "meta-llama/Llama-2-7b-hf", "microsoft/Phi-3-mini-4k-instruct", "microsoft/phi-2",
        "google/gemma-2b", "Qwen/Qwen2-0.5B", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T",
    ];

    private static readonly string[] Devices = ["nvidia-h100-sxm-80gb", "nvidia-rtx-4090", "nvidia-jetson-orin-nano-8gb", "raspberry-pi-5-8gb", "qualcomm-snapdragon-8-gen-3"];

    public int Run(CliOutput output)
    {
        var encoderRequest = new SelectionRequest
        {
            CandidateIds = Encoders,
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Int8],
            Workload = new InferenceWorkload { InputTokens = 128 },
            Task = ModelTask.Classification,
            Constraints = new SelectionConstraints { MaxLatencySeconds = 0.1 },
        };
        var decoderRequest = new SelectionRequest
        {
            CandidateIds = Decoders,
            Precisions = [NumericPrecision.Fp16, NumericPrecision.Int8, NumericPrecision.GgufQ4KM],
            Workload = new InferenceWorkload { InputTokens = 512, GeneratedTokens = 128 },
            Task = ModelTask.TextGeneration,
            Constraints = new SelectionConstraints { MaxTimePerOutputTokenSeconds = 0.1, MaxTimeToFirstTokenSeconds = 2 },
        };

        var rows = Devices.Select(id => (Device: id,
            Encoder: selector.Choose(encoderRequest with { DeviceIds = [id] }),
            Decoder: selector.Choose(decoderRequest with { DeviceIds = [id] }))).ToList();
        if (output.Json)
        {
            output.WriteJson(new
            {
                comparison = rows.Select(r => new
                {
                    device = r.Device,
                    encoder = Commands.SelectionJson.Result(r.Encoder),
                    decoder = Commands.SelectionJson.Result(r.Decoder),
                }).ToArray(),
            });
            return ExitCodes.Success;
        }

        var w = output.Out;
        w.WriteLine("Large or small? The best model each device can run, by published quality, within the constraints.");
        w.WriteLine();
        w.WriteLine("Encoders — classify 128 tokens in ≤ 100 ms, ranked by GLUE test (BERT convention; unscored models after scored ones); fp16 or int8:");
        Table(w, rows.Select(r => (r.Device, r.Encoder)));
        w.WriteLine();
        w.WriteLine("LLMs — 512-token prompt, 128 new tokens, first token ≤ 2 s and ≥ 10 tokens/s, ranked by MMLU 5-shot; fp16, int8 or GGUF Q4_K_M:");
        Table(w, rows.Select(r => (r.Device, r.Decoder)));
        w.WriteLine();
        w.WriteLine("Quantised candidates pay their format's sourced quality delta (int8 keeps 99.3 % of a score, Q4_K_M 98.5 %); override with SelectionRequest.QualityDeltas.");
        w.WriteLine("Try: modelselect select --device nvidia-rtx-4090 --candidates meta-llama/Llama-2-13b-hf,microsoft/phi-2 --new-tokens 128 --max-tpot 50ms");
        return ExitCodes.Success;
    }

    private static void Table(TextWriter w, IEnumerable<(string Device, SelectionResult Result)> rows)
    {
        w.WriteLine($"  {"device",-30} {"choice",-52} {"class",-6} {"score",6} {"latency",10} {"memory",11}  bound by");
        foreach (var (device, result) in rows)
        {
            if (result.Choice is { } c)
            {
                var p = c.Performance!.Value;
                var latency = p.TimePerOutputTokenSeconds is { } tpot ? $"{tpot * 1e3:0.#} ms/tok" : $"{p.LatencySeconds * 1e3:0.#} ms";
                w.WriteLine($"  {device,-30} {c.Model.Id + " @ " + c.Precision.Name,-52} {c.SizeClass.ToString().ToLowerInvariant(),-6} {c.Quality?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—",6} {latency,10} {UnitConversions.FormatBytes(c.Memory.TotalBytes),11}  {Binding(result)}");
            }
            else
            {
                w.WriteLine($"  {device,-30} {"nothing fits",-52} {string.Empty,-6} {string.Empty,6} {string.Empty,10} {string.Empty,11}  {Binding(result)}");
            }
        }
    }

    private static string Binding(SelectionResult result)
    {
        if (result.BindingConstraint is not { } code)
        {
            return "—";
        }

        var example = result.Rejected.FirstOrDefault(r => r.Reasons.Any(x => x.Code == code) && (result.Choice is null || r.Candidate.Quality > result.Choice.Quality));
        return example is null ? code.ToString() : $"{code}: {example.Candidate.Model.Id.Split('/')[^1]} {example.Reasons.First(x => x.Code == code).Message}";
    }
}
