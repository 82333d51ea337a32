using ModelSelection.Devices;
using ModelSelection.Internal;

namespace ModelSelection.Comparison;

/// <summary>
/// What to compare: models (by default the BERT family's large and small members and Transformer-XL), devices (by
/// default one per tier), the task and its real-time budget, the precision, and the fine-tuning job whose time is
/// reported.
/// </summary>
public sealed record ComparisonRequest
{
    /// <summary>The large and small models the comparison began from: BERT, RoBERTa and Transformer-XL; DistilBERT, MobileBERT and TinyBERT.</summary>
    public static IReadOnlyList<string> SeedModels { get; } =
    [
        "bert-large-uncased", "roberta-large", "transfo-xl/transfo-xl-wt103", "bert-base-uncased", "roberta-base",
        "distilbert-base-uncased", "google/mobilebert-uncased", "huawei-noah/TinyBERT_General_6L_768D", "huawei-noah/TinyBERT_General_4L_312D",
    ];

    /// <summary>One device per tier: an A100 (cloud), an RTX 4090 (desktop), an M3 laptop, a Snapdragon 8 Gen 3 phone, a Raspberry Pi 5 (embedded).</summary>
    public static IReadOnlyList<string> TierDevices { get; } = ["nvidia-a100-80gb-sxm", "nvidia-rtx-4090", "apple-m3", "qualcomm-snapdragon-8-gen-3", "raspberry-pi-5-8gb"];

    private readonly TimeSpan _budget = TimeSpan.FromMilliseconds(100);
    private readonly int _sequence = 128;

    /// <summary>Gets the models by catalog id.</summary>
    /// <value>The default value is <see cref="SeedModels"/>.</value>
    public IReadOnlyList<string> ModelIds { get; init; } = SeedModels;

    /// <summary>Gets the devices by catalog id.</summary>
    /// <value>The default value is <see cref="TierDevices"/>.</value>
    public IReadOnlyList<string> DeviceIds { get; init; } = TierDevices;

    /// <summary>Gets devices given whole (a probed <c>local</c> profile, your own), compared after <see cref="DeviceIds"/>.</summary>
    public IReadOnlyList<DeviceProfile> Devices { get; init; } = [];

    /// <summary>Gets the task the models are compared on; a model that does not serve it is compared on language modelling when it can (Transformer-XL), else on its own first task, and its row says which.</summary>
    /// <value>The default value is <see cref="ModelTask.Classification"/>.</value>
    public ModelTask Task { get; init; } = ModelTask.Classification;

    /// <summary>Gets the real-time budget for one request: a model meets it on a device when it fits and its latency is at most this.</summary>
    /// <value>The default value is 100 ms, the limit within which a response feels instantaneous (Nielsen 1993, <i>Usability Engineering</i>, §5.5).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan LatencyBudget
    {
        get => _budget;
        init => _budget = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LatencyBudget), value, $"The latency budget must be a positive duration; was {value.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    /// <summary>Gets the weight precision every model is compared at.</summary>
    /// <value>The default value is <see cref="NumericPrecision.Fp16"/>.</value>
    public NumericPrecision Precision { get; init; } = NumericPrecision.Fp16;

    /// <summary>Gets the tokens of one request (batch 1).</summary>
    /// <value>The default value is 128.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and 1,048,576.</exception>
    public int SequenceLength { get => _sequence; init => _sequence = (int)Guard.InRange(value, 1, 1 << 20, "Sequence length"); }

    /// <summary>Gets the device the fine-tuning job is timed on.</summary>
    /// <value>The default value is <c>nvidia-a100-80gb-sxm</c>.</value>
    public string FineTuningDeviceId { get; init; } = "nvidia-a100-80gb-sxm";
}
