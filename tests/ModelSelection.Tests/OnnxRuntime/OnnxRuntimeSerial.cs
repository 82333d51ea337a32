namespace ModelSelection.Tests.OnnxRuntime;

/// <summary>The tests that run ONNX Runtime: one at a time and apart from the parallel tests, as each measures the process's resident set.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OnnxRuntimeSerial
{
    public const string Name = "ONNX Runtime measurements";
}
