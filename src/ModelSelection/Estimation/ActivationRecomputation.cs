namespace ModelSelection.Estimation;

/// <summary>How much of the forward pass training recomputes during backward instead of storing (Korthikanti et al. 2022).</summary>
public enum ActivationRecomputation
{
    /// <summary>Store everything: s·b·h·(34 + 5·a·s/h) bytes per layer (fp16).</summary>
    None = 0,

    /// <summary>Recompute the attention scores: 34·s·b·h bytes per layer.</summary>
    Selective = 1,

    /// <summary>Store only each layer's input and recompute the layer: 2·s·b·h bytes per layer, one extra forward pass.</summary>
    Full = 2,
}
