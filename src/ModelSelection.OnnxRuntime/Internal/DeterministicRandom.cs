namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose sequence depends only on its seed, on every
/// platform and .NET version (unlike <see cref="Random"/>'s unseeded algorithm choice), so generated weights and
/// inputs are reproducible. Normal values by the Box–Muller transform. Not thread-safe.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _state;
    private double? _spare;

    public DeterministicRandom(ulong seed) => _state = seed;

    /// <summary>A generator seeded from a number and a name (FNV-1a of the name's UTF-16 code units), so each tensor has its own stream.</summary>
    public static DeterministicRandom For(long seed, string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return new DeterministicRandom(unchecked(hash ^ ((ulong)seed * 0x9E3779B97F4A7C15UL)));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A uniform number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public long NextInt64(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min));

    /// <summary>A standard normal number (mean 0, deviation 1).</summary>
    public double NextNormal()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            return spare;
        }

        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }
}
