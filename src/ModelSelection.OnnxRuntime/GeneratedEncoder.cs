using ModelSelection.OnnxRuntime.Internal;

namespace ModelSelection.OnnxRuntime;

/// <summary>
/// Writes a BERT-style transformer encoder of a given <see cref="EncoderShape"/> as an ONNX model with random weights:
/// a stand-in to measure when the real checkpoint is not at hand, or to measure a family of shapes.
/// </summary>
/// <remarks>
/// <para>
/// The graph is the one PyTorch's <c>torch.onnx.export</c> writes for Hugging Face's <c>BertModel</c> at opset 13 (as
/// in the all-MiniLM-L6-v2 export): inputs <c>input_ids</c>, <c>attention_mask</c> and <c>token_type_ids</c> (int64,
/// <c>[batch, sequence]</c>); word, position and token-type embeddings and LayerNorm; per layer Q, K, V projections,
/// scaled dot-product attention with the additive mask (1 − mask) × −10000, the output projection, residual and
/// LayerNorm, the erf-GELU feed-forward, residual and LayerNorm (decomposed into ReduceMean, Sub, Pow, Sqrt, Div, Mul
/// and Add, as the opset-13 export writes it); outputs <c>last_hidden_state</c> <c>[batch, sequence, hidden]</c> and
/// <c>pooler_output</c> <c>[batch, hidden]</c> (tanh of a dense layer over the first token, as <c>BertModel</c> has).
/// It runs in ONNX Runtime at any batch and any sequence length up to <see cref="EncoderShape.MaxPositions"/>.
/// </para>
/// <para>
/// ModelSelection's importer (<c>OnnxModel.Read</c>) recovers the shape exactly from the file, and its parameters
/// equal BERT's count: embeddings (V + P + T)·h + 2h, per layer 4(h² + h) + 2·h·ff + ff + h + 4h, pooler h² + h.
/// Weights are drawn from a normal distribution of deviation 0.02 (BERT's initialiser), biases are 0, LayerNorm scales
/// 1 and shifts 0, all stored as little-endian fp32 <c>raw_data</c>; the same shape and seed give the same bytes.
/// A model is one protobuf message, so it must stay under 2 GiB: larger shapes are refused.
/// </para>
/// </remarks>
public static class GeneratedEncoder
{
    /// <summary>The largest model written: 2,147,483,647 bytes, protobuf's limit for one message.</summary>
    public const long MaxModelBytes = int.MaxValue;

    /// <summary>Generates the encoder and returns the ONNX file's bytes.</summary>
    /// <param name="shape">The encoder's shape.</param>
    /// <param name="seed">Seeds the random weights.</param>
    /// <returns>The <c>.onnx</c> file's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The shape breaks a rule that relates two of its properties (see <see cref="EncoderShape"/>), or the model would exceed <see cref="MaxModelBytes"/>; the message gives the byte count.</exception>
    public static byte[] Create(EncoderShape shape, int seed = 0) => Build(shape, seed, null).ToArray();

    /// <summary>Generates the encoder and writes it to a file, replacing any file there.</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="shape">The encoder's shape.</param>
    /// <param name="seed">Seeds the random weights.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="shape"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank; or the shape breaks a rule that relates two of its properties, or the model would exceed <see cref="MaxModelBytes"/>.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Write(string path, EncoderShape shape, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var model = Build(shape, seed, null);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        model.WriteTo(file);
    }

    /// <summary>Builds the model message, checking the shape and the size; <paramref name="fixedBatch"/> fixes the batch dimension (for tests of fixed shapes).</summary>
    internal static ProtoMessage Build(EncoderShape shape, int seed, int? fixedBatch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate(nameof(shape));
        var model = EncoderGraph.Build(shape, seed, fixedBatch);
        var bytes = model.Length;
        if (bytes > MaxModelBytes)
        {
            throw new ArgumentException(Guard.Invariant($"An encoder of {shape} would be an ONNX file of {Guard.Show(bytes)} bytes ({Guard.Show(shape.ParameterCount())} fp32 parameters); one protobuf message holds at most {Guard.Show(MaxModelBytes)} bytes. Choose fewer layers or a smaller hidden size, feed-forward or vocabulary."), nameof(shape));
        }

        return model;
    }
}
