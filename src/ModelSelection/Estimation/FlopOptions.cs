namespace ModelSelection.Estimation;

/// <summary>What a FLOP count includes beyond the default convention (2 × multiply-accumulates of the linear layers and the full s² attention products).</summary>
/// <param name="CausalHalving">Count only the causal half of the attention products of decoders (what a causal kernel computes).</param>
/// <param name="CountElementwise">Add approximate elementwise operations: softmax, normalisations, activations, residual adds.</param>
public readonly record struct FlopOptions(bool CausalHalving = false, bool CountElementwise = false);
