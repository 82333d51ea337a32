using ModelSelection.Internal;

namespace ModelSelection.Models;

/// <summary>
/// One kind of tensor in a model, repeated <see cref="Instances"/> times: e.g. the 32 query projections of
/// Llama-2-7B are one group of shape 4096 × 4096 with 32 instances.
/// </summary>
/// <remarks>
/// <para>
/// Shapes follow PyTorch: a linear weight is <c>[out, in]</c> = <see cref="Rows"/> × <see cref="Columns"/>; a bias or
/// a normalisation vector is <c>[n, 1]</c>. <see cref="Instances"/> counts stored copies (0 for a tensor tied to
/// another, which is counted once, where it is stored); <see cref="UsesPerToken"/> counts how often each token passes
/// through the group — equal to the instances for ordinary layers, the layer count for ALBERT's one shared layer,
/// experts-per-token × layers for mixture-of-experts experts.
/// </para>
/// <para>This type is immutable and thread-safe.</para>
/// </remarks>
public sealed record TensorGroup
{
    /// <summary>Creates a group.</summary>
    /// <param name="name">The tensor name pattern, e.g. <c>model.layers.*.self_attn.q_proj.weight</c>.</param>
    /// <param name="role">What the tensors do.</param>
    /// <param name="kind">What kind of tensor they are.</param>
    /// <param name="part">Which part of the model they belong to.</param>
    /// <param name="rows">Rows (output features of a linear weight); 1 or more.</param>
    /// <param name="columns">Columns (input features of a linear weight; 1 for vectors); 1 or more.</param>
    /// <param name="instances">Stored copies; 0 or more (0 when tied to <paramref name="tiedTo"/>).</param>
    /// <param name="usesPerToken">How many of the copies, or how often the one copy, each token passes through; 0 or more.</param>
    /// <param name="tiedTo">The name of the group whose storage this group shares, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a tied group has instances.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the parameter count exceeds <see cref="ParameterCount.MaxCount"/>.</exception>
    public TensorGroup(string name, TensorRole role, TensorKind kind, TensorPart part, long rows, long columns, long instances, long usesPerToken, string? tiedTo = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Guard.InRange(rows, 1, ParameterCount.MaxCount, $"Rows of tensor group '{name}'");
        Guard.InRange(columns, 1, ParameterCount.MaxCount, $"Columns of tensor group '{name}'");
        Guard.InRange(instances, 0, ParameterCount.MaxCount, $"Instances of tensor group '{name}'");
        Guard.InRange(usesPerToken, 0, ParameterCount.MaxCount, $"Uses per token of tensor group '{name}'");
        if (tiedTo is not null && instances != 0)
        {
            throw new ArgumentException($"Tensor group '{name}' is tied to '{tiedTo}' and must have 0 instances of its own; was {instances}.", nameof(instances));
        }

        var numel = (Int128)rows * columns;
        var parameters = numel * instances;
        if (numel > ParameterCount.MaxCount || parameters > ParameterCount.MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(instances), instances,
                $"Tensor group '{name}' holds {parameters} parameters; at most 1E+15 are allowed.");
        }

        Name = name;
        Role = role;
        Kind = kind;
        Part = part;
        Rows = rows;
        Columns = columns;
        Instances = instances;
        UsesPerToken = usesPerToken;
        TiedTo = tiedTo;
    }

    /// <summary>Gets the tensor name pattern (<c>*</c> stands for the layer index).</summary>
    public string Name { get; }

    /// <summary>Gets what the tensors do.</summary>
    public TensorRole Role { get; }

    /// <summary>Gets what kind of tensor they are.</summary>
    public TensorKind Kind { get; }

    /// <summary>Gets which part of the model they belong to.</summary>
    public TensorPart Part { get; }

    /// <summary>Gets the rows: output features of a linear weight, entries of an embedding table, length of a vector.</summary>
    public long Rows { get; }

    /// <summary>Gets the columns: input features of a linear weight, width of an embedding table, 1 for a vector.</summary>
    public long Columns { get; }

    /// <summary>Gets the number of stored copies (0 when tied to another group).</summary>
    public long Instances { get; }

    /// <summary>Gets how many copies each token passes through (or how often the single shared copy is applied).</summary>
    public long UsesPerToken { get; }

    /// <summary>Gets the name of the group whose storage this one shares, or <see langword="null"/>.</summary>
    public string? TiedTo { get; }

    /// <summary>Gets the elements of one instance: <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public long ElementsPerInstance => Rows * Columns;

    /// <summary>Gets the stored parameters of the group: elements × instances.</summary>
    public long Parameters => Rows * Columns * Instances;

    /// <summary>Gets the parameters a token touches: elements × min(instances, uses) (all of an embedding table).</summary>
    public long ActiveParameters => Rows * Columns * Math.Min(Instances, Math.Max(UsesPerToken, Kind == TensorKind.EmbeddingTable ? 1 : 0));

    /// <summary>Gets the matrix FLOPs one token spends in this group: 2 · in · out · uses for linear weights, else 0.</summary>
    public double FlopsPerToken => Kind == TensorKind.LinearWeight ? 2.0 * Rows * Columns * UsesPerToken : 0;
}
