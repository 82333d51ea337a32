namespace ModelSelection;

/// <summary>Named selection profiles from configuration (<see cref="ModelSelectionOptions.Profiles"/>), resolved to requests.</summary>
public interface ISelectionProfiles
{
    /// <summary>Gets the profile names.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Gets the request a profile describes.</summary>
    /// <param name="name">The profile name, ignoring case.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No profile has that name; the message lists the names.</exception>
    SelectionRequest GetRequest(string name);
}
