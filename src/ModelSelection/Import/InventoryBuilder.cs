using ModelSelection.Models;

namespace ModelSelection.Import;

/// <summary>Collects tensor groups for one model, naming weight and bias tensors as <c>transformers</c> does.</summary>
internal sealed class InventoryBuilder
{
    private readonly List<TensorGroup> _groups = [];

    /// <summary>An embedding table <c>[rows, width]</c>.</summary>
    public InventoryBuilder Embedding(string name, TensorRole role, long rows, long width, long instances = 1)
    {
        _groups.Add(new TensorGroup(name + ".weight", role, TensorKind.EmbeddingTable, TensorPart.Embeddings, rows, width, instances, instances));
        return this;
    }

    /// <summary>A linear layer <c>in → out</c>, <paramref name="instances"/> copies each used once per token unless <paramref name="uses"/> says otherwise.</summary>
    public InventoryBuilder Linear(string name, TensorRole role, TensorPart part, long inFeatures, long outFeatures, long instances, bool bias, long? uses = null)
    {
        var perToken = uses ?? instances;
        _groups.Add(new TensorGroup(name + ".weight", role, TensorKind.LinearWeight, part, outFeatures, inFeatures, instances, perToken));
        if (bias)
        {
            _groups.Add(new TensorGroup(name + ".bias", role, TensorKind.LinearBias, part, outFeatures, 1, instances, perToken));
        }

        return this;
    }

    /// <summary>A linear layer whose weight is stored elsewhere (a tied LM head); only its bias, if any, is its own.</summary>
    public InventoryBuilder TiedLinear(string name, TensorRole role, TensorPart part, long inFeatures, long outFeatures, string tiedTo, bool bias = false, long uses = 1)
    {
        _groups.Add(new TensorGroup(name + ".weight", role, TensorKind.LinearWeight, part, outFeatures, inFeatures, 0, uses, tiedTo + ".weight"));
        if (bias)
        {
            _groups.Add(new TensorGroup(name + ".bias", role, TensorKind.LinearBias, part, outFeatures, 1, 1, uses));
        }

        return this;
    }

    /// <summary>The language-model head <c>hidden → vocabulary</c>: tied to the token embedding <paramref name="embedding"/>, or stored.</summary>
    public InventoryBuilder LanguageModelHead(long hidden, long vocabulary, bool tied, string embedding, bool bias = false) => tied
        ? TiedLinear("lm_head", TensorRole.LanguageModelHead, TensorPart.Head, hidden, vocabulary, embedding, bias)
        : Linear("lm_head", TensorRole.LanguageModelHead, TensorPart.Head, hidden, vocabulary, 1, bias);

    /// <summary>A normalisation: a scale, and a shift when <paramref name="bias"/> (LayerNorm, NoNorm) — not for RMSNorm.</summary>
    public InventoryBuilder Norm(string name, TensorPart part, long width, long instances, bool bias, long? uses = null)
    {
        var perToken = uses ?? instances;
        _groups.Add(new TensorGroup(name + ".weight", TensorRole.Normalization, TensorKind.NormalizationParameter, part, width, 1, instances, perToken));
        if (bias)
        {
            _groups.Add(new TensorGroup(name + ".bias", TensorRole.Normalization, TensorKind.NormalizationParameter, part, width, 1, instances, perToken));
        }

        return this;
    }

    /// <summary>Any other learned tensor <c>[rows, columns]</c>.</summary>
    public InventoryBuilder Parameter(string name, TensorRole role, TensorPart part, long rows, long columns, long instances, long? uses = null, string? tiedTo = null)
    {
        _groups.Add(new TensorGroup(name, role, TensorKind.OtherParameter, part, rows, columns, tiedTo is null ? instances : 0, uses ?? instances, tiedTo));
        return this;
    }

    public TensorInventory Build() => new(_groups);
}
