using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace ModelSelection.Benchmarks;

/// <summary>Parsing and formatting of the quantities, and the exact weight-byte arithmetic every estimate uses.</summary>
[MemoryDiagnoser]
public class QuantityBenchmarks
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly ParameterCount _llama = ParameterCount.FromCount(6_738_415_616);
    private readonly NumericPrecision _q4km = NumericPrecision.GgufQ4KM;

    [Benchmark]
    public ParameterCount ParseShortParameterCount() => ParameterCount.Parse("7.24B", Invariant);

    [Benchmark]
    public ParameterCount ParseFullParameterCount() => ParameterCount.Parse("6,738,415,616", Invariant);

    [Benchmark]
    public FlopRate ParseFlopRate() => FlopRate.Parse("312 TFLOP/s", Invariant);

    [Benchmark]
    public NumericPrecision ParsePrecision() => NumericPrecision.Parse("Q4_K_M", Invariant);

    [Benchmark]
    public string FormatParameterCount() => _llama.ToString("G", Invariant);

    [Benchmark]
    public long WeightBytes() => _q4km.GetWeightBytes(_llama);
}
