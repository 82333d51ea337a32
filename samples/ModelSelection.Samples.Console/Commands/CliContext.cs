using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ModelSelection.Samples.Console.Commands;

/// <summary>
/// What every command shares: the global <c>--json</c> and <c>--config</c> options, the output streams, each
/// command's examples, and the host's services — built on first use, after parsing, so that <c>--help</c>, a parse
/// error or a completion request never pays for configuration and catalogs it does not need.
/// </summary>
internal sealed class CliContext(Option<bool> jsonOption, Option<FileInfo?> configOption, TextWriter stdout, TextWriter stderr, CliEnvironment environment) : IDisposable
{
    private readonly Dictionary<Command, string[]> _examples = [];
    private IHost? _host;

    /// <summary>The recursive <c>--json</c> option.</summary>
    public Option<bool> JsonOption { get; } = jsonOption;

    /// <summary>The recursive <c>--config FILE</c> option.</summary>
    public Option<FileInfo?> ConfigOption { get; } = configOption;

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>Whether the streams are terminals and colour is wanted.</summary>
    public CliEnvironment Environment { get; } = environment;

    /// <summary>The output of one invocation.</summary>
    public CliOutput OutputFor(ParseResult parseResult) => new(Out, Error, parseResult.GetValue(JsonOption), Environment);

    /// <summary>A service from the host, which is built with the invocation's <c>--config</c> on first use.</summary>
    public T Get<T>(ParseResult parseResult)
        where T : notnull
    {
        _host ??= ModelSelectHost.Build(parseResult.GetValue(ConfigOption)?.FullName);
        return _host.Services.GetRequiredService<T>();
    }

    /// <summary>A catalog device, or this machine measured (with a spinner on a terminal's stderr) when <paramref name="id"/> is <c>local</c>.</summary>
    public Task<Devices.DeviceProfile> ResolveDeviceAsync(ParseResult parseResult, CliOutput output, string id, CancellationToken cancellationToken)
    {
        if (!string.Equals(id, Catalog.DeviceCatalog.LocalId, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(Get<Catalog.DeviceCatalog>(parseResult).Get(id));
        }

        var probe = Get<Devices.ILocalDeviceProbe>(parseResult);
        return output.WithProgressAsync("Measuring this machine", _ => probe.ProbeAsync(null, cancellationToken));
    }

    /// <summary>Sets the command lines the help of <paramref name="command"/> ends with.</summary>
    public void SetExamples(Command command, params string[] examples) => _examples[command] = examples;

    /// <summary>The examples of <paramref name="command"/>, none when it has none.</summary>
    public IReadOnlyList<string> ExamplesOf(Command command) => _examples.TryGetValue(command, out var examples) ? examples : [];

    /// <inheritdoc/>
    public void Dispose() => _host?.Dispose();
}
