namespace ModelSelection.Internal;

/// <summary>"Did you mean" for unknown ids: the known ids closest to what was typed.</summary>
internal static class Suggestions
{
    /// <summary>
    /// Up to <paramref name="max"/> known ids that contain, are contained in, share the first word of (4 letters or
    /// more), or are within a third of their length in edits of <paramref name="typed"/>.
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> known, int max = 3)
    {
        var t = typed.Trim().ToLowerInvariant();
        var word = FirstWord(t);
        return [.. known
            .Select(k => (Id: k, Distance: Distance(t, k.ToLowerInvariant())))
            .Where(k => k.Distance <= Math.Max(2, k.Id.Length / 3)
                || (t.Length >= 3 && k.Id.Contains(t, StringComparison.OrdinalIgnoreCase))
                || t.Contains(k.Id, StringComparison.OrdinalIgnoreCase)
                || (word.Length >= 4 && string.Equals(word, FirstWord(k.Id), StringComparison.OrdinalIgnoreCase)))
            .OrderBy(k => k.Distance)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .Take(max)
            .Select(k => k.Id)];
    }

    /// <summary>The hint after an unknown id: "did you mean a, b?" or the whole list.</summary>
    public static string Hint(string typed, IReadOnlyCollection<string> known)
    {
        var close = Closest(typed, known);
        return close.Count > 0 ? $"did you mean {string.Join(", ", close)}? Known: {string.Join(", ", known)}" : $"known: {string.Join(", ", known)}";
    }

    private static string FirstWord(string id)
    {
        var end = id.AsSpan().IndexOfAny("-_/. ");
        return end < 0 ? id : id[..end];
    }

    /// <summary>Levenshtein distance, two rows.</summary>
    private static int Distance(string a, string b)
    {
        if (a.Length > 200 || b.Length > 200)
        {
            return int.MaxValue / 2;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
