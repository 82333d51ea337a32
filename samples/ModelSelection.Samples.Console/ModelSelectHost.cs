using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelSelection.Samples.Console;

/// <summary>
/// The console's Generic Host: configuration from the built-in <c>appsettings.json</c>, then environment variables,
/// then the <c>--config FILE</c> layered over both; the library through <c>AddModelSelection</c>; logs on stderr.
/// </summary>
internal static class ModelSelectHost
{
    /// <summary>Builds the host; <paramref name="configPath"/> is an extra appsettings-shaped JSON file, already checked by <see cref="ConfigFile.Problem"/>.</summary>
    public static IHost Build(string? configPath)
    {
        // DisableDefaults: no file watchers (a command runs once), no user secrets or command-line configuration source
        // (the command line is System.CommandLine's) — and a faster start.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "modelselect",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        if (configPath is not null)
        {
            builder.Configuration.AddJsonFile(configPath, optional: false, reloadOnChange: false);
        }

        // stdout carries the command's output only: logs go to stderr, and only warnings and above.
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The library through DI, configured from configuration (section ModelSelection) like any app.
        builder.Services.AddModelSelection(builder.Configuration.GetSection("ModelSelection"));
        // The catalogs commands look ids up in come from the library's own service, reload-aware, never from a cast.
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Models);
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Devices);
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Benchmarks);
        builder.Services.AddTransient(sp => sp.GetRequiredService<IModelSelectionCatalogs>().Runtimes);
        return builder.Build();
    }
}
