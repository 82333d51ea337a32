namespace ModelSelection.Import.Families;

/// <summary>Consistency checks shared by the family readers.</summary>
internal static class FamilyRules
{
    /// <summary>Head width: the config's <c>head_dim</c> when present, else hidden ÷ heads, which must divide evenly.</summary>
    public static int HeadDimension(ConfigReader config, int hidden, int heads, string hiddenKey, string headsKey, string headDimKey = "head_dim")
    {
        if (config.OptionalPositive(headDimKey) is { } explicitHeadDim)
        {
            return explicitHeadDim;
        }

        if (hidden % heads != 0)
        {
            throw config.Error(headsKey, $"{ConfigReader.Path(hiddenKey)} ({hidden}) must be divisible by {ConfigReader.Path(headsKey)} ({heads}) when {ConfigReader.Path(headDimKey)} is absent");
        }

        return hidden / heads;
    }

    /// <summary>KV heads must divide the query heads.</summary>
    public static int KeyValueHeads(ConfigReader config, int heads, int kvHeads, string kvKey)
    {
        if (kvHeads > heads || heads % kvHeads != 0)
        {
            throw config.Error(kvKey, $"expected a divisor of the {heads} attention heads; found {kvHeads}");
        }

        return kvHeads;
    }

    /// <summary>Hidden ÷ heads must divide evenly (families without <c>head_dim</c>).</summary>
    public static int EvenHeads(ConfigReader config, int hidden, int heads, string hiddenKey, string headsKey)
    {
        if (hidden % heads != 0)
        {
            throw config.Error(headsKey, $"{ConfigReader.Path(hiddenKey)} ({hidden}) must be divisible by {ConfigReader.Path(headsKey)} ({heads})");
        }

        return hidden / heads;
    }
}
