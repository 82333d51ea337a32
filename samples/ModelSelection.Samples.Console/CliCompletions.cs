using System.CommandLine;
using System.CommandLine.Completions;
using ModelSelection.Catalog;
using ModelSelection.Runtimes;
using ModelSelection.Samples.Console.Commands;

namespace ModelSelection.Samples.Console;

/// <summary>
/// Value completions for ids and formats (shells ask through <c>dotnet-suggest</c>, i.e. the <c>[suggest]</c>
/// directive). Catalog ids come from the host's catalogs, so a <c>--config</c> on the line adds its own.
/// For a comma-separated list the last item is completed.
/// </summary>
internal static class CliCompletions
{
    /// <summary>Completes model ids.</summary>
    public static void ModelIds(Option option, CliContext context) =>
        Add(option, parseResult => context.Get<ModelCatalog>(parseResult).Models.Select(m => m.Id));

    /// <summary>Completes device ids, <c>local</c> (this machine) included.</summary>
    public static void DeviceIds(Option option, CliContext context) =>
        Add(option, parseResult => context.Get<DeviceCatalog>(parseResult).Devices.Select(d => d.Id).Append(DeviceCatalog.LocalId));

    /// <summary>Completes runtime ids, and <paramref name="extra"/> (e.g. <c>none</c>).</summary>
    public static void RuntimeIds(Option option, CliContext context, params string[] extra) =>
        Add(option, parseResult => context.Get<RuntimeCatalog>(parseResult).Runtimes.Select(r => r.Id).Concat(extra));

    /// <summary>Completes weight-format names.</summary>
    public static void Precisions(Option option) => Add(option, _ => NumericPrecision.All.Select(p => p.Name));

    private static void Add(Option option, Func<ParseResult, IEnumerable<string>> values) => option.CompletionSources.Add(context =>
    {
        var word = context.WordToComplete;
        var comma = word.LastIndexOf(',');
        var (head, tail) = comma < 0 ? (string.Empty, word) : (word[..(comma + 1)], word[(comma + 1)..]);
        return values(context.ParseResult)
            .Where(value => value.StartsWith(tail, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(value => new CompletionItem(head + value));
    });
}
