using Microsoft.Extensions.Options;

namespace ModelSelection.Selection;

/// <summary>Resolves named profiles from the current options (reloads included).</summary>
internal sealed class SelectionProfiles(IOptionsMonitor<ModelSelectionOptions> options) : ISelectionProfiles
{
    public IReadOnlyCollection<string> Names => [.. options.CurrentValue.Profiles.Keys.Order(StringComparer.Ordinal)];

    public SelectionRequest GetRequest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var current = options.CurrentValue;
        return current.Profiles.TryGetValue(name, out var profile)
            ? profile.ToRequest(current)
            : throw new ArgumentException($"Unknown selection profile '{name}'; configured: {(current.Profiles.Count == 0 ? "none" : string.Join(", ", current.Profiles.Keys.Order(StringComparer.Ordinal)))}.", nameof(name));
    }
}
