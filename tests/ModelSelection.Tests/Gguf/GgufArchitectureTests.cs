using ModelSelection.Catalog;
using ModelSelection.Gguf;
using ModelSelection.Models;

namespace ModelSelection.Tests.Gguf;

/// <summary>
/// Architectures other than llama, laid out with llama.cpp's tensor names (its <c>convert_hf_to_gguf.py</c>): the spec
/// from the GGUF keys and tensors must count what the model has. Files are sparse (zeros): only headers matter here.
/// </summary>
public sealed class GgufArchitectureTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ms-gguf-arch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Gpt2WithLearnedPositionsFusedQkvAndATiedHeadCountsAsTransformersDoes()
    {
        // GPT-2 small: transformers' num_parameters() = 124,439,808 (tied head counted once), the catalog's count.
        const int h = 768, layers = 12, vocab = 50257, positions = 1024;
        var w = new GgufTestWriter().String("general.architecture", "gpt2").UInt32("general.file_type", 1)
            .UInt32("gpt2.block_count", layers).UInt32("gpt2.embedding_length", h).UInt32("gpt2.feed_forward_length", 4 * h)
            .UInt32("gpt2.attention.head_count", 12).UInt32("gpt2.context_length", positions)
            .Tensor("token_embd.weight", 1, h, vocab).Tensor("position_embd.weight", 0, h, positions);
        for (var i = 0; i < layers; i++)
        {
            var p = $"blk.{i}.";
            w.Tensor(p + "attn_norm.weight", 0, h).Tensor(p + "attn_norm.bias", 0, h)
                .Tensor(p + "attn_qkv.weight", 1, h, 3 * h).Tensor(p + "attn_qkv.bias", 0, 3 * h)
                .Tensor(p + "attn_output.weight", 1, h, h).Tensor(p + "attn_output.bias", 0, h)
                .Tensor(p + "ffn_norm.weight", 0, h).Tensor(p + "ffn_norm.bias", 0, h)
                .Tensor(p + "ffn_up.weight", 1, h, 4 * h).Tensor(p + "ffn_up.bias", 0, 4 * h)
                .Tensor(p + "ffn_down.weight", 1, 4 * h, h).Tensor(p + "ffn_down.bias", 0, h);
        }

        w.Tensor("output_norm.weight", 0, h).Tensor("output_norm.bias", 0, h);
        var path = Path.Combine(_folder, "gpt2.gguf");
        w.Write(path, writeData: false);
        var spec = GgufModel.Read(path).ToModelSpec();
        Assert.Equal(ModelCatalog.BuiltIn.Get("gpt2").Parameters, spec.Parameters);
        Assert.Equal(ModelKind.Decoder, spec.Architecture.Kind);
        Assert.Equal(PositionEncoding.Learned, spec.Architecture.PositionEncoding);
        Assert.True(spec.Architecture.TiedEmbeddings);
        Assert.Equal(vocab, spec.Architecture.VocabularySize);
        Assert.Equal(positions, spec.ContextLength);
        Assert.Equal(NumericPrecision.Fp16, spec.StoredWeights!.Format);
    }

    [Fact]
    public void BertIsAnEncoderAndCountsWithoutThePoolerLlamaCppDrops()
    {
        // bert-base-uncased as AutoModel: 109,482,240 with the pooler (768 × 768 + 768), which llama.cpp's bert does not keep.
        const int h = 768, layers = 12, vocab = 30522;
        var w = new GgufTestWriter().String("general.architecture", "bert").UInt32("general.file_type", 1)
            .UInt32("bert.block_count", layers).UInt32("bert.embedding_length", h).UInt32("bert.feed_forward_length", 4 * h)
            .UInt32("bert.attention.head_count", 12).UInt32("bert.context_length", 512)
            .Tensor("token_embd.weight", 1, h, vocab).Tensor("token_types.weight", 0, h, 2).Tensor("position_embd.weight", 0, h, 512)
            .Tensor("token_embd_norm.weight", 0, h).Tensor("token_embd_norm.bias", 0, h);
        for (var i = 0; i < layers; i++)
        {
            var p = $"blk.{i}.";
            foreach (var name in new[] { "attn_q", "attn_k", "attn_v", "attn_output" })
            {
                w.Tensor(p + name + ".weight", 1, h, h).Tensor(p + name + ".bias", 0, h);
            }

            w.Tensor(p + "attn_output_norm.weight", 0, h).Tensor(p + "attn_output_norm.bias", 0, h)
                .Tensor(p + "ffn_up.weight", 1, h, 4 * h).Tensor(p + "ffn_up.bias", 0, 4 * h)
                .Tensor(p + "ffn_down.weight", 1, 4 * h, h).Tensor(p + "ffn_down.bias", 0, h)
                .Tensor(p + "layer_output_norm.weight", 0, h).Tensor(p + "layer_output_norm.bias", 0, h);
        }

        var path = Path.Combine(_folder, "bert.gguf");
        w.Write(path, writeData: false);
        var spec = GgufModel.Read(path).ToModelSpec();
        Assert.Equal(ModelKind.Encoder, spec.Architecture.Kind);
        Assert.Equal(ModelCatalog.BuiltIn.Get("bert-base-uncased").Parameters.Count - ((long)h * h) - h, spec.Parameters.Count);
    }

    [Fact]
    public void AMixtureOfExpertsReadsItsExpertsFromThreeDimensionalTensors()
    {
        // Mixtral-shaped, shrunk: 8 experts, 2 per token, stored as [in, out, experts] tensors per layer.
        const int h = 256, layers = 2, ff = 512, experts = 8;
        var w = new GgufTestWriter().String("general.architecture", "llama").UInt32("general.file_type", 1)
            .UInt32("llama.block_count", layers).UInt32("llama.embedding_length", h).UInt32("llama.feed_forward_length", ff)
            .UInt32("llama.attention.head_count", 8).UInt32("llama.attention.head_count_kv", 2)
            .UInt32("llama.expert_count", experts).UInt32("llama.expert_used_count", 2)
            .Tensor("token_embd.weight", 1, h, 1000);
        for (var i = 0; i < layers; i++)
        {
            var p = $"blk.{i}.";
            w.Tensor(p + "attn_norm.weight", 0, h).Tensor(p + "attn_q.weight", 1, h, h).Tensor(p + "attn_k.weight", 1, h, 64)
                .Tensor(p + "attn_v.weight", 1, h, 64).Tensor(p + "attn_output.weight", 1, h, h).Tensor(p + "ffn_norm.weight", 0, h)
                .Tensor(p + "ffn_gate_inp.weight", 0, h, experts)
                .Tensor(p + "ffn_gate_exps.weight", 1, h, ff, experts).Tensor(p + "ffn_up_exps.weight", 1, h, ff, experts).Tensor(p + "ffn_down_exps.weight", 1, ff, h, experts);
        }

        w.Tensor("output_norm.weight", 0, h).Tensor("output.weight", 1, h, 1000);
        var path = Path.Combine(_folder, "moe.gguf");
        w.Write(path, writeData: false);
        var spec = GgufModel.Read(path).ToModelSpec();
        long perExpert = 3L * h * ff;
        Assert.Equal(experts, spec.Architecture.Experts);
        Assert.Equal(spec.Parameters.Count - (layers * (experts - 2) * perExpert), spec.ActiveParameters.Count);
        Assert.Equal(GgufModel.Read(path).Parameters, spec.Parameters);
    }
}
