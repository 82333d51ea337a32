using BenchmarkDotNet.Running;

// "llamacpp" runs the llama.cpp validation (docs/accuracy.md); anything else goes to BenchmarkDotNet.
if (args is ["llamacpp", ..])
{
    return await ModelSelection.Benchmarks.LlamaCppValidation.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
