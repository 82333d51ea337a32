using System.Collections.Immutable;
using ModelSelection.Models;

namespace ModelSelection.Onnx;

/// <summary>
/// An ONNX model (<c>.onnx</c>, a <c>ModelProto</c>) read for estimation: its parameters and bytes per element type from
/// the initializers, its opsets and inputs, the FLOPs of its graph at a batch and sequence length, and, where the graph
/// shows a transformer's structure, a <see cref="ModelSpec"/>.
/// </summary>
/// <remarks>
/// <para>
/// Reading is bounded and never touches weights: the model, graph and initializer messages are walked field by field with
/// every length checked against what remains, tensor data (<c>raw_data</c> and the typed data fields) is skipped by
/// seeking, and only the rest of the graph (nodes, value infos) is read into memory, at most
/// <see cref="MaxStructureBytes"/>. Integer tensors of at most 64 elements (shape constants) are read to infer shapes.
/// Messages nest at most 32 deep; a graph holds at most 1,000,000 nodes or initializers; a tensor at most 64 dimensions.
/// External data (<c>data_location = EXTERNAL</c>) must name a file inside the model's folder, and its range must lie
/// within that file; its bytes are not read. A graph with a cycle is refused. Every problem is a
/// <see cref="ModelImportException"/> naming the file, the place (<c>$.graph.initializer[3].dims (byte 1234)</c>) and
/// the rule.
/// </para>
/// <para>
/// <see cref="Parameters"/> counts the elements of the initializers whose type is a learned weight's (see
/// <see cref="OnnxTensorInfo.IsParameter"/>), each name once, plus those in subgraphs. Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class OnnxModel
{
    /// <summary>The most bytes of graph structure (everything but tensor data) read into memory: 256 MiB.</summary>
    public const long MaxStructureBytes = 256L * 1024 * 1024;

    private readonly OnnxGraph _graph;
    private readonly Lazy<OnnxArchitecture> _architecture;

    internal OnnxModel(string sourceName, long irVersion, string producerName, string producerVersion, ImmutableSortedDictionary<string, long> opsets, OnnxGraph graph)
    {
        SourceName = sourceName;
        IrVersion = irVersion;
        ProducerName = producerName;
        ProducerVersion = producerVersion;
        Opsets = opsets;
        _graph = graph;
        var initializers = new HashSet<string>(graph.Initializers.Select(t => t.Name), StringComparer.Ordinal);
        Inputs = [.. graph.Inputs.Where(i => !initializers.Contains(i.Name))];
        Outputs = graph.Outputs;
        Initializers = graph.Initializers;
        SubgraphInitializers = graph.SubgraphInitializers;
        long parameters = 0, bytes = 0, buffers = 0;
        var byType = new SortedDictionary<OnnxDataType, long>();
        foreach (var tensor in graph.Initializers.Concat(graph.SubgraphInitializers))
        {
            if (tensor.IsParameter)
            {
                parameters = checked(parameters + tensor.Elements);
                bytes = checked(bytes + tensor.Bytes);
                byType[tensor.DataType] = checked(byType.GetValueOrDefault(tensor.DataType) + tensor.Bytes);
            }
            else
            {
                buffers = checked(buffers + tensor.Elements);
            }
        }

        Parameters = ParameterCount.FromCount(Math.Min(parameters, (long)ParameterCount.MaxCount));
        ParameterElements = parameters;
        WeightBytes = bytes;
        BytesByType = byType.ToImmutableSortedDictionary();
        BufferElements = buffers;
        NodeCount = graph.Nodes.Length;
        OperatorCounts = graph.Nodes.GroupBy(n => n.Domain.Length == 0 ? n.OpType : $"{n.Domain}.{n.OpType}", StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        _architecture = new Lazy<OnnxArchitecture>(() => OnnxArchitecture.Recover(_graph, SourceName));
    }

    /// <summary>Gets the file (or stream name) the model was read from.</summary>
    public string SourceName { get; }

    /// <summary>Gets the ONNX IR version (<c>ir_version</c>).</summary>
    public long IrVersion { get; }

    /// <summary>Gets the producer, e.g. <c>pytorch</c>.</summary>
    public string ProducerName { get; }

    /// <summary>Gets the producer's version, e.g. <c>1.10</c>.</summary>
    public string ProducerVersion { get; }

    /// <summary>Gets the operator set version of each domain imported (the default ONNX domain is the empty string).</summary>
    public ImmutableSortedDictionary<string, long> Opsets { get; }

    /// <summary>Gets the default domain's operator set version, or 0 when the model imports none.</summary>
    public long Opset => Opsets.GetValueOrDefault(string.Empty);

    /// <summary>Gets the graph inputs a caller feeds (initializers listed as inputs are left out), with their symbolic dimensions.</summary>
    public ImmutableArray<OnnxValueInfo> Inputs { get; }

    /// <summary>Gets the graph outputs.</summary>
    public ImmutableArray<OnnxValueInfo> Outputs { get; }

    /// <summary>Gets the main graph's initializers, each name once, in file order.</summary>
    public ImmutableArray<OnnxTensorInfo> Initializers { get; }

    /// <summary>Gets the initializers of subgraphs (bodies of <c>If</c>, <c>Loop</c>, <c>Scan</c>).</summary>
    public ImmutableArray<OnnxTensorInfo> SubgraphInitializers { get; }

    /// <summary>Gets the parameters: the elements of every parameter initializer (see <see cref="OnnxTensorInfo.IsParameter"/>).</summary>
    public ParameterCount Parameters { get; }

    /// <summary>Gets the parameters as an exact element count.</summary>
    public long ParameterElements { get; }

    /// <summary>Gets the elements of initializers that are not parameters (integer shape constants, position ids, masks).</summary>
    public long BufferElements { get; }

    /// <summary>Gets the bytes of the parameter initializers.</summary>
    public long WeightBytes { get; }

    /// <summary>Gets the bytes of the parameter initializers by element type.</summary>
    public ImmutableSortedDictionary<OnnxDataType, long> BytesByType { get; }

    /// <summary>Gets the number of nodes in the main graph.</summary>
    public int NodeCount { get; }

    /// <summary>Gets how many nodes use each operator (<c>domain.Op</c> outside the default domain).</summary>
    public ImmutableSortedDictionary<string, int> OperatorCounts { get; }

    /// <summary>Gets the architecture recovered from the graph, or <see langword="null"/> when it could not be (see <see cref="ArchitectureProblem"/>).</summary>
    public ModelArchitecture? Architecture => _architecture.Value.Architecture;

    /// <summary>Gets what could not be recovered when <see cref="Architecture"/> is <see langword="null"/>; otherwise <see langword="null"/>.</summary>
    public string? ArchitectureProblem => _architecture.Value.Problem;

    /// <summary>Reads a model from a file; external data is looked up beside it.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file, or an external data file it names, does not exist.</exception>
    /// <exception cref="ModelImportException">The path is not a regular file, or the model is malformed, exceeds a bound, has a cyclic graph, or names external data outside its folder or beyond a file's end.</exception>
    public static OnnxModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Internal.BoundedFile.Check(path, long.MaxValue, "an ONNX model");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        return Complete(OnnxModelReader.ReadAsync(stream, path, Folder(path), async: false, CancellationToken.None));
    }

    /// <summary>Reads a model from a seekable stream positioned at its first byte; external data must declare its <c>length</c>, as no folder can be searched.</summary>
    /// <param name="stream">The stream; its length bounds every field.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot seek or read.</exception>
    /// <exception cref="ModelImportException">The model is malformed, exceeds a bound, has a cyclic graph, or names external data it cannot size.</exception>
    public static OnnxModel Read(Stream stream, string sourceName)
    {
        CheckStream(stream, sourceName);
        return Complete(OnnxModelReader.ReadAsync(stream, sourceName, null, async: false, CancellationToken.None));
    }

    /// <summary>Reads a model from a file asynchronously: the same bounds and errors as <see cref="Read(string)"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank.</exception>
    /// <exception cref="FileNotFoundException">The file, or an external data file it names, does not exist.</exception>
    /// <exception cref="ModelImportException">As <see cref="Read(string)"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The BCL convention: every async overload ends in CancellationToken cancellationToken = default.")]
    public static async Task<OnnxModel> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        cancellationToken.ThrowIfCancellationRequested();
        Internal.BoundedFile.Check(path, long.MaxValue, "an ONNX model");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await OnnxModelReader.ReadAsync(stream, path, Folder(path), async: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a model from a seekable stream asynchronously: the same bounds and errors as <see cref="Read(Stream, string)"/>.</summary>
    /// <param name="stream">The stream, positioned at the model's first byte; its length bounds every field.</param>
    /// <param name="sourceName">What to call the source in errors.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is blank, or the stream cannot seek or read.</exception>
    /// <exception cref="ModelImportException">As <see cref="Read(Stream, string)"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The BCL convention: every async overload ends in CancellationToken cancellationToken = default.")]
    public static Task<OnnxModel> ReadAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        CheckStream(stream, sourceName);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<OnnxModel>(cancellationToken)
            : OnnxModelReader.ReadAsync(stream, sourceName, null, async: true, cancellationToken).AsTask();
    }

    /// <summary>Counts the FLOPs of one forward pass of the graph, with its symbolic input dimensions bound to a batch and a sequence length.</summary>
    /// <param name="batch">Sequences per pass; 1 to 1,000,000.</param>
    /// <param name="sequence">Tokens per sequence; 1 to 10,000,000.</param>
    /// <returns>The FLOPs, and the nodes they come from.</returns>
    /// <remarks>
    /// Input dimensions named like <c>batch</c> bind to <paramref name="batch"/>, like <c>seq</c>, <c>len</c> or
    /// <c>token</c> to <paramref name="sequence"/>, like <c>past</c> to 0; an unnamed dimension binds to the batch on axis
    /// 0, else to the sequence. Shapes are then propagated through the graph and each <c>MatMul</c> of
    /// <c>[…, m, k] × [k, n]</c> counts 2·(batch dims)·m·k·n, <c>Gemm</c> 2·m·k·n, <c>Conv</c> 2·(output elements)·(kernel
    /// elements per output), and attention operators 2·(Q·Kᵀ + weights·V). Element-wise operators are not counted, as in
    /// <see cref="Estimation.FlopOptions"/>'s default.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public OnnxFlopCount Flops(int batch, int sequence)
    {
        Internal.Guard.InRange(batch, 1, 1_000_000, "Batch");
        Internal.Guard.InRange(sequence, 1, 10_000_000, "Sequence length");
        var inference = OnnxShapeInference.Run(_graph, batch, sequence);
        return new OnnxFlopCount(
            FlopCount.FromFlops(inference.TotalFlops),
            inference.Counted.GroupBy(c => c.Node.OpType, StringComparer.Ordinal).ToImmutableSortedDictionary(g => g.Key, g => FlopCount.FromFlops(g.Sum(c => c.Flops)), StringComparer.Ordinal),
            [.. inference.Uncounted.Select(n => $"{n.Location} {n.OpType} '{n.Name}'")]);
    }

    /// <summary>Counts the FLOPs per token of one sequence: <see cref="Flops"/> at batch 1 divided by <paramref name="sequence"/>.</summary>
    /// <param name="sequence">Tokens in the sequence; 1 to 10,000,000.</param>
    /// <returns>The FLOPs per token.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is out of range.</exception>
    public FlopCount FlopsPerToken(int sequence) => FlopCount.FromFlops(Flops(1, sequence).Total.Flops / sequence);

    /// <summary>Builds a spec from the recovered architecture, with one tensor group per parameter initializer, so the memory, KV-cache and time estimates apply.</summary>
    /// <param name="id">The spec's id; the file name without extension when <see langword="null"/>.</param>
    /// <returns>The spec; its parameters equal <see cref="Parameters"/>.</returns>
    /// <exception cref="ModelImportException">The architecture could not be recovered; the message says what was missing.</exception>
    public ModelSpec ToModelSpec(string? id = null) => _architecture.Value.Architecture is { } architecture
        ? OnnxArchitecture.BuildSpec(_graph, architecture, id ?? Path.GetFileNameWithoutExtension(SourceName), _architecture.Value.Family)
        : throw new ModelImportException(SourceName, "$.graph", _architecture.Value.Problem ?? "the architecture could not be recovered");

    private static string Folder(string path) => Path.GetDirectoryName(Path.GetFullPath(path)) ?? Path.GetFullPath(".");

    private static OnnxModel Complete(ValueTask<OnnxModel> reading)
    {
        System.Diagnostics.Debug.Assert(reading.IsCompleted, "a synchronous read never suspends");
        return reading.GetAwaiter().GetResult();
    }

    private static void CheckStream(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable: its length bounds every field, and tensor data is skipped by seeking.", nameof(stream));
        }
    }
}
