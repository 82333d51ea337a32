namespace ModelSelection;

/// <summary>Whether a model is small or large for its kind, by a configurable parameter threshold.</summary>
public enum SizeClass
{
    /// <summary>Below the threshold (encoders: 100 M parameters; decoders: 4 B by default).</summary>
    Small = 0,

    /// <summary>At or above the threshold.</summary>
    Large = 1,
}
