using ModelSelection.Samples.Console;

return await ModelSelectApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
