using Microsoft.Extensions.Options;

namespace ModelSelection.Extensions.AI.Internal;

/// <summary>An options monitor over one fixed instance, for routers built without a container.</summary>
internal sealed class StaticOptionsMonitor(ModelRouterOptions options) : IOptionsMonitor<ModelRouterOptions>
{
    public ModelRouterOptions CurrentValue => options;

    public ModelRouterOptions Get(string? name) => options;

    public IDisposable? OnChange(Action<ModelRouterOptions, string?> listener) => null;
}
