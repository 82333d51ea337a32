using Microsoft.Extensions.Options;

namespace ModelSelection.Selection;

/// <summary>Resolves named profiles from the current options of one options name (reloads included).</summary>
internal sealed class SelectionProfiles(IOptionsMonitor<ModelSelectionOptions> options, string optionsName) : ISelectionProfiles
{
    public IReadOnlyCollection<string> Names => [.. options.Get(optionsName).Profiles.Keys.Order(StringComparer.Ordinal)];

    public SelectionRequest GetRequest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var current = options.Get(optionsName);
        return current.Profiles.TryGetValue(name, out var profile)
            ? profile.ToRequest(current)
            : throw new ArgumentException($"Unknown selection profile '{name}'; configured: {(current.Profiles.Count == 0 ? "none" : string.Join(", ", current.Profiles.Keys.Order(StringComparer.Ordinal)))}.", nameof(name));
    }
}
