using System.Collections.Immutable;

namespace ModelSelection.Models;

/// <summary>
/// The tensors of a model, grouped by role: the one place parameters, weight bytes and linear FLOPs are read from, so
/// they never disagree.
/// </summary>
/// <remarks>
/// Counting convention: unique trainable parameters as <c>model.num_parameters()</c> reports in Hugging Face
/// <c>transformers</c> — tied tensors once, buffers (rotary <c>inv_freq</c>, causal masks) excluded. This type is
/// immutable and thread-safe.
/// </remarks>
public sealed class TensorInventory : IEquatable<TensorInventory>
{
    /// <summary>Creates an inventory from its groups, checking that names are unique and ties point at stored groups.</summary>
    /// <param name="groups">The groups; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty, a name repeats, a tie points nowhere, or the total exceeds 10¹⁵.</exception>
    public TensorInventory(IEnumerable<TensorGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = [.. groups];
        if (Groups.IsEmpty)
        {
            throw new ArgumentException("A tensor inventory needs at least one tensor group; was empty.", nameof(groups));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        Int128 total = 0, active = 0;
        foreach (var group in Groups)
        {
            ArgumentNullException.ThrowIfNull(group, nameof(groups));
            if (!names.Add(group.Name))
            {
                throw new ArgumentException($"Tensor group names must be unique; '{group.Name}' appears twice.", nameof(groups));
            }

            total += group.Parameters;
            active += group.ActiveParameters;
        }

        foreach (var group in Groups)
        {
            if (group.TiedTo is { } target && !Groups.Any(g => g.Name == target && g.Instances > 0))
            {
                throw new ArgumentException($"Tensor group '{group.Name}' is tied to '{target}', which is not a stored group of this inventory.", nameof(groups));
            }
        }

        if (total > ParameterCount.MaxCount)
        {
            throw new ArgumentException($"A model may hold at most 1E+15 parameters; this inventory holds {total}.", nameof(groups));
        }

        TotalParameters = ParameterCount.FromCount((long)total);
        ActiveParameters = ParameterCount.FromCount((long)active);
        LinearFlopsPerToken = Groups.Sum(g => g.FlopsPerToken);
    }

    /// <summary>Gets the groups, in model order.</summary>
    public ImmutableArray<TensorGroup> Groups { get; }

    /// <summary>Gets the stored parameters: Σ rows × columns × instances.</summary>
    public ParameterCount TotalParameters { get; }

    /// <summary>Gets the parameters each token touches (differs from the total only for mixtures of experts).</summary>
    public ParameterCount ActiveParameters { get; }

    /// <summary>Gets the matrix FLOPs one token spends in the linear layers (2 × multiply-accumulates; attention products excluded).</summary>
    public double LinearFlopsPerToken { get; }

    /// <summary>Gets the stored parameters of the groups with a role.</summary>
    /// <param name="role">The role.</param>
    /// <returns>Σ parameters of those groups.</returns>
    public ParameterCount ParametersOf(TensorRole role) =>
        ParameterCount.FromCount(Groups.Where(g => g.Role == role).Sum(g => g.Parameters));

    /// <inheritdoc/>
    public bool Equals(TensorInventory? other) => other is not null && Groups.SequenceEqual(other.Groups);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TensorInventory);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Groups.Length, TotalParameters);
}
