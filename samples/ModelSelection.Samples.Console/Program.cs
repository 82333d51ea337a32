using ModelSelection.Samples.Console;

return await ModelSelectApp.RunAsync(args, Console.Out, Console.Error, CliEnvironment.Detect()).ConfigureAwait(false);
