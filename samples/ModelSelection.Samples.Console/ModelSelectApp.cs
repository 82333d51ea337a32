using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSelection.Catalog;
using ModelSelection.Devices;
using ModelSelection.Samples.Console.Commands;

namespace ModelSelection.Samples.Console;

/// <summary>
/// The <c>modelselect</c> console: builds its services through the Generic Host, parses the command line with
/// System.CommandLine, and maps outcomes to its public exit codes (0 done, 1 no candidate, 2 bad input).
/// </summary>
internal static class ModelSelectApp
{
    /// <summary>Runs one command line, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        using var host = BuildHost();
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON document (camelCase) on stdout and nothing else.",
            Recursive = true,
        };
        var context = new CliContext(json, stdout, stderr);
        var root = new RootCommand("modelselect — choose which machine-learning model to run where: large or small, on which device, at which precision.");
        root.Options.Add(json);
        foreach (var command in host.Services.GetServices<ICliCommand>())
        {
            root.Subcommands.Add(command.Create(context));
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        host.Services.GetRequiredService<ComparisonCommand>().AttachTo(root, context);

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            return CliErrors.Report(stderr, CliErrors.Flatten(parseResult.Errors[0].Message));
        }

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (CliErrors.IsBadInput(exception))
        {
            return CliErrors.Report(stderr, CliErrors.OneLine(exception));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever escaped the library's documented exceptions still leaves one line and exit 2, never a stack
            // trace: the fuzz targets and convention tests are what keep this branch unused.
            return CliErrors.Report(stderr, $"unexpected {exception.GetType().Name} (please report it): {CliErrors.OneLine(exception)}");
        }
    }

    private static IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ApplicationName = "modelselect",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });

        // stdout carries the command's output only: logs go to stderr, and only warnings and above.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The library through DI, configured from appsettings.json (section ModelSelection) like any app.
        builder.Services.AddModelSelection(builder.Configuration.GetSection("ModelSelection"));
        // The catalogs commands look ids up in come from the library's own service, reload-aware, never from a cast.
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Models);
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Devices);
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Benchmarks);
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Runtimes);
        builder.Services.AddSingleton<ComparisonCommand>();
        builder.Services.AddSingleton<ICliCommand>(sp => sp.GetRequiredService<ComparisonCommand>());
        builder.Services.AddSingleton<ICliCommand, SelectCommand>();
        builder.Services.AddSingleton<ICliCommand, PlanCommand>();
        builder.Services.AddSingleton<ICliCommand, DevicesCommand>();
        builder.Services.AddSingleton<ICliCommand, ModelsCommand>();
        builder.Services.AddSingleton<ICliCommand, EstimateCommand>();
        builder.Services.AddSingleton<ICliCommand, ConvertCommand>();
        builder.Services.AddSingleton<ICliCommand, RuntimesCommand>();
        builder.Services.AddSingleton<ICliCommand, AccuracyCommand>();
        return builder.Build();
    }
}
