namespace ModelSelection;

/// <summary>Chooses which model to run where: expands candidates × precisions × devices, estimates each, filters by the constraints, ranks by the objective, and explains.</summary>
public interface IModelSelector
{
    /// <summary>Selects for a request.</summary>
    /// <param name="request">The question.</param>
    /// <param name="cancellationToken">Cancels a probe of the <c>local</c> device.</param>
    /// <returns>The decision; "nothing fits" is a result, not an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request names an unknown model, device or benchmark (the message suggests the closest ids), no device at all, a quality floor without a benchmark, a time-per-output-token limit without generated tokens, a quality-delta key that names no format, or more than <see cref="int.MaxValue"/> candidates (models × precisions × devices, counts and layouts × runtimes).</exception>
    Task<SelectionResult> SelectAsync(SelectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Selects for a request whose devices are all given or in the catalog (no probe), synchronously: the sibling of <see cref="SelectAsync(SelectionRequest, CancellationToken)"/>.</summary>
    /// <param name="request">The question.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request names an unknown model, device or benchmark (the message suggests the closest ids), no device, <c>local</c>, a quality floor without a benchmark, a time-per-output-token limit without generated tokens, a quality-delta key that names no format, or more than <see cref="int.MaxValue"/> candidates.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Select pairs with SelectAsync, the .NET convention for a synchronous sibling; VB callers write [Select].")]
    SelectionResult Select(SelectionRequest request);

    /// <summary>Selects for a request synchronously: the former name of <see cref="Select(SelectionRequest)"/>.</summary>
    /// <param name="request">The question.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Select(SelectionRequest)"/>.</exception>
    [Obsolete("Use Select, which pairs with SelectAsync. Choose will be removed before 1.0.")]
    SelectionResult Choose(SelectionRequest request) => Select(request);
}
