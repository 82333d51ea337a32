using System.CommandLine;
using System.Globalization;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// <c>modelselect convert VALUE [--as KIND]</c>: reads a quantity the way the library does and shows it in its
/// forms — a parameter count with the weight bytes at every precision, a FLOP count, a FLOP rate, a dataset size,
/// a compute budget or a numeric precision. Input is read in the invariant culture.
/// </summary>
internal sealed class ConvertCommand : ICliCommand
{
    private static readonly string[] Kinds = ["parameters", "flops", "flop-rate", "tokens", "compute-budget", "precision"];

    /// <inheritdoc/>
    public Command Create(CliContext context)
    {
        var value = new Argument<string>("value")
        {
            Description = "The quantity, e.g. 7.24B, \"66,362,880\", \"22.35 GFLOP\", \"312 TFLOP/s\", \"1.4T tokens\", 1e21, q4_k_m.",
        };
        var kind = CliOptions.OneOf("--as", "What the value is. Default: guessed from its unit (FLOP/s → flop-rate, FLOP → flops, tokens → tokens, a precision name → precision, else parameters).", Kinds);

        var command = new Command("convert", "Show a quantity in its forms: parameters (with weight bytes per precision), FLOPs, FLOP/s, tokens, compute budget, precision.");
        command.Arguments.Add(value);
        command.Options.Add(kind);
        context.SetExamples(command, "modelselect convert 7.24B", "modelselect convert \"312 TFLOP/s\"", "modelselect convert 5.76e23 --as compute-budget", "modelselect convert q4_k_m --json");
        command.SetAction(parseResult =>
        {
            var output = context.OutputFor(parseResult);
            var text = parseResult.GetValue(value)!;
            return Run(text, parseResult.GetValue(kind) ?? Guess(text), output);
        });
        return command;
    }

    private static string Guess(string text)
    {
        var trimmed = text.Trim();
        if (NumericPrecision.TryParse(trimmed, null, out _))
        {
            return "precision";
        }

        if (trimmed.EndsWith("/s", StringComparison.OrdinalIgnoreCase) || trimmed.EndsWith("FLOPS", StringComparison.Ordinal))
        {
            return "flop-rate";
        }

        if (trimmed.Contains("FLOP", StringComparison.OrdinalIgnoreCase))
        {
            return "flops";
        }

        return trimmed.Contains("token", StringComparison.OrdinalIgnoreCase) ? "tokens" : "parameters";
    }

    private static int Run(string text, string kind, CliOutput output)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case "parameters":
                var count = ParameterCount.Parse(text, invariant);
                var weights = NumericPrecision.All.Select(p => new WeightRow(p.Name, p.BitsPerWeight, p.GetWeightBytes(count))).ToArray();
                if (output.Json)
                {
                    output.WriteJson(new
                    {
                        kind,
                        input = text,
                        parameters = count.Count,
                        @short = count.ToString("G", invariant),
                        full = count.ToString("N", invariant),
                        weightBytes = weights.ToDictionary(w => w.Precision, w => w.Bytes),
                    });
                }
                else
                {
                    output.Out.WriteLine($"parameters  {count.ToString("G", invariant)}  ({count.ToString("N", invariant)})");
                    output.Out.WriteLine("weights by precision (GiB = 2^30 bytes):");
                    var table = CliTable.Create("precision", ">bits per weight", ">weights", ">bytes");
                    foreach (var w in weights)
                    {
                        table.Row(w.Precision, w.BitsPerWeight.ToString("0.#####", invariant), ByteText.Format(w.Bytes), w.Bytes.ToString("N0", invariant));
                    }

                    output.Write(table);
                }

                return ExitCodes.Success;

            case "flops":
                var flops = FlopCount.Parse(text, invariant);
                return Write(output, kind, text, flops.Flops, flops.ToString("G", invariant), "flops");

            case "flop-rate":
                var rate = FlopRate.Parse(text, invariant);
                return Write(output, kind, text, rate.FlopsPerSecond, rate.ToString("G", invariant), "flopsPerSecond");

            case "tokens":
                var tokens = DatasetSize.Parse(text, invariant);
                return Write(output, kind, text, tokens.Tokens, tokens.ToString("G", invariant), "tokens");

            case "compute-budget":
                var budget = ComputeBudget.Parse(text, invariant);
                return Write(output, kind, text, budget.Flops, budget.ToString("G", invariant), "flops");

            default:
                var precision = NumericPrecision.Parse(text, invariant);
                if (output.Json)
                {
                    output.WriteJson(new
                    {
                        kind,
                        input = text,
                        name = precision.Name,
                        bitsPerWeight = precision.BitsPerWeight,
                        precisionKind = precision.Kind.ToString(),
                        computePrecision = precision.ComputePrecision.Name,
                        description = precision.Description,
                    });
                }
                else
                {
                    output.Out.WriteLine($"precision   {precision.ToString("B", invariant)}");
                    output.Out.WriteLine($"kind        {precision.Kind}");
                    output.Out.WriteLine($"computes in {precision.ComputePrecision}");
                    output.Out.WriteLine($"            {precision.Description}");
                }

                return ExitCodes.Success;
        }
    }

    private static int Write(CliOutput output, string kind, string input, double value, string text, string valueName)
    {
        if (output.Json)
        {
            output.WriteJson(new Dictionary<string, object>
            {
                ["kind"] = kind,
                ["input"] = input,
                [valueName] = value,
                ["text"] = text,
            });
        }
        else
        {
            output.Out.WriteLine($"{kind}  {text}  ({value.ToString("R", CultureInfo.InvariantCulture)})");
        }

        return ExitCodes.Success;
    }

    private sealed record WeightRow(string Precision, double BitsPerWeight, long Bytes);
}
