using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using UnitsNet;

namespace ModelSelection.Samples.Console;

/// <summary>
/// Options that read their value in the user's own units and reject a wrong one at parse time, with a message that
/// names the option and repeats the value as typed: <c>--max-latency must be positive; was -5ms.</c>
/// </summary>
internal static class CliOptions
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; <see langword="null"/> when absent.</summary>
    public static Option<int?> Count(string name, string description, int min, int max, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => ParseCount(result, Typed(result, name), min, max),
    };

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>] with a default, shown once in help.</summary>
    public static Option<int> Count(string name, string description, int min, int max, int defaultValue, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => result.Tokens.Count == 0 ? defaultValue : ParseCount(result, Typed(result, name), min, max) ?? defaultValue,
    };

    /// <summary>A finite number above <paramref name="exclusiveMin"/> (and at most <paramref name="max"/>); <see langword="null"/> when absent.</summary>
    public static Option<double?> Number(string name, string description, string helpName, double exclusiveMin = 0, double max = double.MaxValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => ParseNumber(result, name, exclusiveMin, max),
    };

    /// <summary>A finite number above <paramref name="exclusiveMin"/> and at most <paramref name="max"/>, with a default.</summary>
    public static Option<double> Number(string name, string description, string helpName, double defaultValue, double exclusiveMin, double max) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => result.Tokens.Count == 0 ? defaultValue : ParseNumber(result, name, exclusiveMin, max) ?? defaultValue,
    };

    /// <summary>An amount of US dollars, 0 or more; <see langword="null"/> when absent.</summary>
    public static Option<decimal?> Money(string name, string description, bool allowZero = true) => new(name)
    {
        Description = description,
        HelpName = "USD",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!decimal.TryParse(text, NumberStyles.Float, Invariant, out var value))
            {
                result.AddError($"{name} must be an amount in US dollars such as 2.50; was '{text}'.");
                return null;
            }

            if (value < 0 || (!allowZero && value == 0))
            {
                result.AddError($"{name} must be {(allowZero ? "0 or more" : "positive")}; was {text}.");
                return null;
            }

            return value;
        },
    };

    /// <summary>A positive duration such as <c>50ms</c> or <c>2s</c>; <see langword="null"/> when absent.</summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "TIME",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!UnitsNet.Duration.TryParse(text, Invariant, out var duration))
            {
                result.AddError($"{name} must be a duration such as 50ms or 2s; was '{text}'.");
                return null;
            }

            if (!(duration.Seconds > 0) || !double.IsFinite(duration.Seconds))
            {
                result.AddError($"{name} must be positive; was {text}.");
                return null;
            }

            if (duration.Seconds >= TimeSpan.MaxValue.TotalSeconds)
            {
                result.AddError($"{name} must be shorter than {TimeSpan.MaxValue.Days.ToString(Invariant)} days; was {text}.");
                return null;
            }

            return TimeSpan.FromSeconds(UnitConversions.ToSeconds(duration));
        },
    };

    /// <summary>A positive size such as <c>4GiB</c>, in bytes; <see langword="null"/> when absent.</summary>
    public static Option<long?> Size(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SIZE",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!Information.TryParse(text, Invariant, out var size))
            {
                result.AddError($"{name} must be a size such as 4GiB or 512MiB; was '{text}'.");
                return null;
            }

            if (!(size.Value > 0))
            {
                result.AddError($"{name} must be positive; was {text}.");
                return null;
            }

            try
            {
                return UnitConversions.ToBytes(size);
            }
            catch (ArgumentException)
            {
                result.AddError($"{name} must be below 8 EiB; was {text}.");
                return null;
            }
        },
    };

    /// <summary>A value the library parses (a precision, a compute budget, a token count); its message gains the option's name.</summary>
    public static Option<T?> Parsed<T>(string name, string description, string helpName, Func<string, T> parse, params string[] aliases)
        where T : struct => new(name, aliases)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            try
            {
                return parse(result.Tokens[0].Value);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException)
            {
                result.AddError($"{Typed(result, name)}: {CliErrors.OneLine(exception)}");
                return null;
            }
        },
    };

    /// <summary>Weight formats, comma-separated, e.g. <c>fp16,int8,q4_k_m</c>.</summary>
    public static Option<NumericPrecision[]?> Precisions(string name, string description, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = "FORMATS",
        Arity = ArgumentArity.ExactlyOne, // one comma-separated token, not one token per format
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            var typed = Typed(result, name);
            var parts = Ids(text);
            if (parts.Length == 0)
            {
                result.AddError($"{typed} must list at least one weight format, comma-separated; was '{text}'.");
                return null;
            }

            var formats = new NumericPrecision[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!NumericPrecision.TryParse(parts[i], Invariant, out formats[i]))
                {
                    result.AddError($"{typed}: '{parts[i]}' is not a known weight format; known: {string.Join(", ", NumericPrecision.All.Select(p => p.Name))}.");
                    return null;
                }
            }

            return formats;
        },
    };

    /// <summary>One of <paramref name="values"/> (completed in shells); <see langword="null"/> when absent.</summary>
    public static Option<string?> OneOf(string name, string description, params string[] values)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join("|", values) };
        option.CompletionSources.Add(values);
        option.Validators.Add(result => CheckOneOf(result, name, values));
        return option;
    }

    /// <summary>One of <paramref name="values"/> with a default, shown once in help.</summary>
    public static Option<string> OneOf(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join("|", values), DefaultValueFactory = _ => defaultValue };
        option.CompletionSources.Add(values);
        option.Validators.Add(result => CheckOneOf(result, name, values));
        return option;
    }

    /// <summary>The option's name as the user typed it (an alias such as <c>--devices</c> for <c>--device-count</c>), else <paramref name="name"/>.</summary>
    private static string Typed(ArgumentResult result, string name) => result.Parent is OptionResult { IdentifierToken: { } token } ? token.Value : name;

    /// <summary>Splits a comma-separated list, dropping blanks.</summary>
    public static string[] Ids(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void CheckOneOf(OptionResult result, string name, string[] values)
    {
        if (result.Tokens.Count > 0 && !values.Contains(result.Tokens[0].Value, StringComparer.Ordinal))
        {
            result.AddError($"{name} must be one of {string.Join(", ", values)}; was '{result.Tokens[0].Value}'.");
        }
    }

    private static int? ParseCount(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens[0].Value;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out var value))
        {
            var hint = name == "--devices" ? ": it counts devices; name the device itself with --device ID" : string.Empty;
            result.AddError($"{name} must be a whole number between {min} and {max}; was '{text}'{hint}.");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError($"{name} must be between {min} and {max}; was {text}.");
            return null;
        }

        return (int)value;
    }

    private static double? ParseNumber(ArgumentResult result, string name, double exclusiveMin, double max)
    {
        var text = result.Tokens[0].Value;
        if (!double.TryParse(text, NumberStyles.Float, Invariant, out var value) || !double.IsFinite(value))
        {
            result.AddError($"{name} must be a number such as 0.5 or 12; was '{text}'.");
            return null;
        }

        if (value <= exclusiveMin || value > max)
        {
            var range = (exclusiveMin, max) switch
            {
                (0, double.MaxValue) => "positive",
                (_, double.MaxValue) => $"greater than {exclusiveMin.ToString(Invariant)}",
                _ => $"greater than {exclusiveMin.ToString(Invariant)} and at most {max.ToString(Invariant)}",
            };
            result.AddError($"{name} must be {range}; was {text}.");
            return null;
        }

        return value;
    }
}
