namespace ModelSelection.Tests.Gguf;

/// <summary>Runs the llama.cpp tests one at a time: the native log callback is process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LlamaCppSerial
{
    public const string Name = "llama.cpp";
}
