using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ModelSelection.Import;
using ModelSelection.Models;
using ModelSelection.Safetensors;

namespace ModelSelection.Benchmarks;

/// <summary>
/// Importing models: parsing a 2 KB <c>config.json</c> (target ≤ 20 µs), reading the header of a 13.5 GB
/// safetensors checkpoint (target ≤ 1 ms, without reading tensor data; the file is sparse, so no disk is spent), and
/// reading a 3.8 GB Llama-2-7B Q4_K_M GGUF header with its 32k-token vocabulary into a spec.
/// </summary>
[MemoryDiagnoser]
public class ImportBenchmarks
{
    private string _config = string.Empty;
    private string _checkpoint = string.Empty;
    private string _gguf = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        // The Llama-2-7b-hf config.json padded with its usual generation keys to about 2 KB.
        _config = """
            {"_name_or_path": "meta-llama/Llama-2-7b-hf", "architectures": ["LlamaForCausalLM"], "bos_token_id": 1,
             "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02,
             "intermediate_size": 11008, "max_position_embeddings": 4096, "model_type": "llama",
             "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32, "pretraining_tp": 1,
             "rms_norm_eps": 1e-05, "rope_scaling": null, "tie_word_embeddings": false, "torch_dtype": "float16",
             "transformers_version": "4.31.0.dev0", "use_cache": true, "vocab_size": 32000,
             "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 4096, "temperature": 0.6, "top_p": 0.9}},
             "id2label": {"0": "LABEL_0", "1": "LABEL_1"}, "label2id": {"LABEL_0": 0, "LABEL_1": 1},
             "attention_bias": false, "attention_dropout": 0.0, "mlp_bias": false, "rope_theta": 10000.0,
             "output_attentions": false, "output_hidden_states": false, "return_dict": true, "pruned_heads": {},
             "chunk_size_feed_forward": 0, "is_encoder_decoder": false, "is_decoder": false, "add_cross_attention": false,
             "tie_encoder_decoder": false, "tokenizer_class": null, "prefix": null, "pad_token_id": null,
             "sep_token_id": null, "decoder_start_token_id": null, "problem_type": null, "finetuning_task": null,
             "max_length": 20, "min_length": 0, "do_sample": false, "early_stopping": false, "num_beams": 1,
             "num_beam_groups": 1, "diversity_penalty": 0.0, "temperature": 1.0, "top_k": 50, "top_p": 1.0,
             "typical_p": 1.0, "repetition_penalty": 1.0, "length_penalty": 1.0, "no_repeat_ngram_size": 0,
             "encoder_no_repeat_ngram_size": 0, "bad_words_ids": null, "num_return_sequences": 1,
             "output_scores": false, "return_dict_in_generate": false, "forced_bos_token_id": null,
             "forced_eos_token_id": null, "remove_invalid_values": false, "exponential_decay_length_penalty": null,
             "suppress_tokens": null, "begin_suppress_tokens": null, "torchscript": false}
            """;

        // A Llama-2-7B-shaped checkpoint: 291 fp16 tensors, 13,476,831,232 bytes of (sparse) data.
        var spec = HuggingFaceConfig.Parse(_config, "llama", null);
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        foreach (var group in spec.Inventory.Groups.Where(g => g.Instances > 0))
        {
            for (var i = 0; i < group.Instances; i++)
            {
                var bytes = group.ElementsPerInstance * 2;
                var shape = group.Columns == 1 ? $"[{group.Rows}]" : $"[{group.Rows},{group.Columns}]";
                header.Append(CultureInfo.InvariantCulture, $",\"{group.Name.Replace("*", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}\":{{\"dtype\":\"F16\",\"shape\":{shape},\"data_offsets\":[{offset},{offset + bytes}]}}");
                offset += bytes;
            }
        }

        var json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        _checkpoint = Path.Combine(Path.GetTempPath(), "modelselection-bench-llama.safetensors");
        using var stream = new FileStream(_checkpoint, FileMode.Create);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        stream.SetLength(8 + json.Length + offset);

        // A Llama-2-7B-shaped Q4_K_M GGUF file: 291 tensors, sparse data; plus the 32,000-token vocabulary as a string
        // array, which the reader counts and skips.
        _gguf = Path.Combine(Path.GetTempPath(), "modelselection-bench-llama.gguf");
        ModelSelection.Tests.Gguf.GgufTestWriter.Llama(32000, 4096, 32, 32, 32, 11008, 4096, 15, (name, _) => name is "output.weight" ? 14 : 12)
            .StringArray("tokenizer.ggml.tokens", [.. Enumerable.Range(0, 32000).Select(i => "tok" + i.ToString(CultureInfo.InvariantCulture))])
            .Write(_gguf, writeData: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_checkpoint);
        File.Delete(_gguf);
    }

    [Benchmark]
    public ModelSpec ReadGgufHeaderAndBuildTheSpec() => ModelSelection.Gguf.GgufModel.Read(_gguf).ToModelSpec();

    [Benchmark]
    public ModelSpec ParseConfig2KB() => HuggingFaceConfig.Parse(_config, "config.json", null);

    [Benchmark]
    public SafetensorsFile ReadHeaderOf13GBCheckpoint() => SafetensorsFile.Read(_checkpoint);
}
