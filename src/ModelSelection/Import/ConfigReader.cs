using System.Text.Json;

namespace ModelSelection.Import;

/// <summary>
/// Typed, path-aware reads of a Hugging Face <c>config.json</c>. A JSON <c>null</c> counts as absent, as in
/// <c>transformers</c>; every failure is a <see cref="ModelImportException"/> naming the source and the JSON path.
/// </summary>
internal sealed class ConfigReader
{
    private readonly JsonElement _root;
    private readonly string _prefix = string.Empty;

    public ConfigReader(JsonElement root, string sourceName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelImportException(sourceName, "$", $"expected a JSON object; found {Describe(root)}");
        }

        _root = root;
        SourceName = sourceName;
    }

    public string SourceName { get; }

    /// <summary>Whether <paramref name="key"/> holds a non-null value.</summary>
    public bool Has(string key) => TryGet(key, out _);

    /// <summary>Whether <paramref name="key"/> is written in the config at all, even as <c>null</c>.</summary>
    public bool IsPresent(string key) => _root.TryGetProperty(key, out _);

    public ModelImportException Error(string key, string problem) => new(SourceName, Path(_prefix + key), problem);

    /// <summary>A nested object (e.g. <c>rope_scaling</c>) read with paths under its key, or <see langword="null"/> when absent or null.</summary>
    public ConfigReader? Object(string key)
    {
        if (!TryGet(key, out var element))
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Object
            ? new ConfigReader(element, SourceName, _prefix + key + ".")
            : throw Error(key, $"expected an object; found {Describe(element)}");
    }

    private ConfigReader(JsonElement root, string sourceName, string prefix)
        : this(root, sourceName)
    {
        _prefix = prefix;
    }

    /// <summary>A positive integer that must be present (under <paramref name="key"/> or one of its aliases).</summary>
    public int RequiredPositive(string key, params string[] aliases)
    {
        foreach (var name in aliases.Prepend(key))
        {
            if (TryGet(name, out var element))
            {
                return Positive(name, element);
            }
        }

        var also = aliases.Length == 0 ? string.Empty : $" (or {string.Join(", ", aliases.Select(Path))})";
        throw new ModelImportException(SourceName, Path(key), $"required key is missing{also}; expected a positive integer");
    }

    /// <summary>A positive integer, or <paramref name="fallback"/> when absent or null.</summary>
    public int Positive(string key, int fallback, params string[] aliases)
    {
        foreach (var name in aliases.Prepend(key))
        {
            if (TryGet(name, out var element))
            {
                return Positive(name, element);
            }
        }

        return fallback;
    }

    /// <summary>A positive integer, or <see langword="null"/> when absent or null.</summary>
    public int? OptionalPositive(string key) => TryGet(key, out var element) ? Positive(key, element) : null;

    /// <summary>An integer ≥ 0, or <paramref name="fallback"/> when absent or null.</summary>
    public int NonNegative(string key, int fallback)
    {
        if (!TryGet(key, out var element))
        {
            return fallback;
        }

        var value = Integer(key, element);
        return value >= 0 ? value : throw Error(key, $"expected an integer that is 0 or more; found {value}");
    }

    /// <summary>An integer (any sign), or <paramref name="fallback"/> when absent or null.</summary>
    public int Int(string key, int fallback) => TryGet(key, out var element) ? Integer(key, element) : fallback;

    public bool Bool(string key, bool fallback)
    {
        if (!TryGet(key, out var element))
        {
            return fallback;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(key, $"expected true or false; found {Describe(element)}"),
        };
    }

    public double Number(string key, double fallback)
    {
        if (!TryGet(key, out var element))
        {
            return fallback;
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw Error(key, $"expected a number; found {Describe(element)}");
    }

    public string? String(string key)
    {
        if (!TryGet(key, out var element))
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? Internal.JsonText.TryGetString(element) ?? throw Error(key, "expected a string of valid Unicode; found an unpaired surrogate escape")
            : throw Error(key, $"expected a string; found {Describe(element)}");
    }

    public int[]? PositiveArray(string key)
    {
        if (!TryGet(key, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error(key, $"expected an array of positive integers; found {Describe(element)}");
        }

        var values = new int[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i] = Positive($"{key}[{i}]", item);
            i++;
        }

        return values;
    }

    public bool[]? BoolArray(string key)
    {
        if (!TryGet(key, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error(key, $"expected an array of true/false; found {Describe(element)}");
        }

        return element.EnumerateArray().Select((item, i) => item.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"{key}[{i}]", $"expected true or false; found {Describe(item)}"),
        }).ToArray();
    }

    /// <summary>The first entry of <c>architectures</c>, or <see langword="null"/>.</summary>
    public string? FirstArchitecture()
    {
        if (!TryGet("architectures", out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error("architectures", $"expected an array of class names; found {Describe(element)}");
        }

        foreach (var item in element.EnumerateArray())
        {
            return item.ValueKind == JsonValueKind.String
                ? Internal.JsonText.TryGetString(item) ?? throw Error("architectures[0]", "expected a class name of valid Unicode; found an unpaired surrogate escape")
                : throw Error("architectures[0]", $"expected a class name; found {Describe(item)}");
        }

        return null;
    }

    public static string Path(string key) => "$." + key;

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Internal.JsonText.TryGetString(element) is { } text ? $"the string \"{Truncate(text)}\"" : "a string with an unpaired surrogate escape",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString(),
    };

    private bool TryGet(string key, out JsonElement element)
    {
        if (_root.TryGetProperty(key, out element) && element.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        element = default;
        return false;
    }

    private int Positive(string key, JsonElement element)
    {
        var value = Integer(key, element);
        return value >= 1 ? value : throw Error(key, $"expected a positive integer; found {value}");
    }

    private int Integer(string key, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt32(out var value))
            {
                return value;
            }

            // 768.0 is an integer written as a float; accept it, reject 768.5 and out-of-range values.
            if (element.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }
        }

        throw Error(key, $"expected an integer between {int.MinValue} and {int.MaxValue}; found {Describe(element)}");
    }

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : text[..40] + "…";
}
