using ModelSelection.Import;
using ModelSelection.Models;

namespace ModelSelection.Tests.Import;

/// <summary>
/// Exact parameter counts. Each expected number is derived beside its test, tensor by tensor, from the family's
/// modeling code in huggingface/transformers (the module named in the comment); the three public configs of
/// shared/data/public-configs are checked against their published counts.
/// </summary>
public class HuggingFaceConfigTests
{
    private static ModelSpec Import(string json) => HuggingFaceConfig.Parse(json, "test config.json", null);

    [Theory]
    [InlineData("bert-base-uncased.config.json", 109_482_240L, "bert")]
    [InlineData("gpt2.config.json", 124_439_808L, "gpt2")]
    [InlineData("llama-2-7b-hf.config.json", 6_738_415_616L, "llama")]
    public void Load_PublicConfigs_MatchPublishedCounts(string file, long expected, string family)
    {
        // Published counts: shared/data/public-configs/README.md (AutoModel / LMHeadModel num_parameters(), calflops README).
        var spec = HuggingFaceConfig.Load(SharedFiles.PublicConfig(file));
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(family, spec.Family);
    }

    [Fact]
    public void Load_UsesNameOrPathAsId() =>
        Assert.Equal("meta-llama/Llama-2-7b-hf", HuggingFaceConfig.Load(SharedFiles.PublicConfig("llama-2-7b-hf.config.json")).Id);

    [Fact]
    public void Bert_Large_MatchesBertModelTensorByTensor()
    {
        // modeling_bert.py, BertModel: embeddings V·h + P·h + T·h + LayerNorm 2h; per layer Q,K,V,O (h² + h each),
        // LayerNorm 2h, intermediate h·ff + ff, output ff·h + h, LayerNorm 2h; pooler h² + h.
        long v = 30522, h = 1024, l = 24, ff = 4096, p = 512, t = 2;
        var expected = (v * h) + (p * h) + (t * h) + (2 * h) + (l * ((4 * ((h * h) + h)) + (2 * h) + (h * ff) + ff + (ff * h) + h + (2 * h))) + (h * h) + h;
        Assert.Equal(335_141_888L, expected);
        var spec = Import("""{"model_type":"bert","vocab_size":30522,"hidden_size":1024,"num_hidden_layers":24,"num_attention_heads":16,"intermediate_size":4096,"max_position_embeddings":512,"type_vocab_size":2}""");
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(ModelKind.Encoder, spec.Architecture.Kind);
    }

    [Fact]
    public void Bert_RelativeKeyPositions_AddADistanceTablePerLayer()
    {
        // BertSelfAttention with position_embedding_type relative_key: distance_embedding (2·P − 1) × head_size per layer.
        var absolute = Import("""{"model_type":"bert","vocab_size":100,"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":128,"max_position_embeddings":32}""");
        var relative = Import("""{"model_type":"bert","vocab_size":100,"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":128,"max_position_embeddings":32,"position_embedding_type":"relative_key"}""");
        Assert.Equal(2L * ((2 * 32) - 1) * 16, relative.Parameters.Count - absolute.Parameters.Count);
    }

    [Fact]
    public void Roberta_Base_MatchesRobertaModel()
    {
        // modeling_roberta.py: as BERT with V 50265, 514 positions (padding offset), one token type.
        long v = 50265, h = 768, l = 12, ff = 3072, p = 514, t = 1;
        var expected = (v * h) + (p * h) + (t * h) + (2 * h) + (l * ((4 * ((h * h) + h)) + (2 * h) + (h * ff) + ff + (ff * h) + h + (2 * h))) + (h * h) + h;
        var spec = Import("""{"model_type":"roberta","vocab_size":50265,"hidden_size":768,"num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072,"max_position_embeddings":514,"type_vocab_size":1}""");
        Assert.Equal(124_645_632L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(512, spec.Architecture.MaxPositions);
    }

    [Fact]
    public void DistilBert_MatchesDistilBertModel_WithoutTokenTypesOrPooler()
    {
        // modeling_distilbert.py: word V·d + position P·d + LayerNorm 2d; per layer q,k,v,out_lin (d² + d each),
        // sa_layer_norm 2d, lin1 d·f + f, lin2 f·d + d, output_layer_norm 2d; no pooler.
        long v = 30522, d = 768, l = 6, f = 3072, p = 512;
        var expected = (v * d) + (p * d) + (2 * d) + (l * ((4 * ((d * d) + d)) + (2 * d) + (d * f) + f + (f * d) + d + (2 * d)));
        var spec = Import("""{"model_type":"distilbert","vocab_size":30522,"dim":768,"n_layers":6,"n_heads":12,"hidden_dim":3072,"max_position_embeddings":512,"sinusoidal_pos_embds":false}""");
        Assert.Equal(66_362_880L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
    }

    [Fact]
    public void Albert_FactorisedEmbeddingsAndSharedLayers_CountOnce()
    {
        // modeling_albert.py: embeddings V·E + P·E + T·E + 2E; embedding_hidden_mapping_in E·h + h; ONE shared layer
        // (num_hidden_groups 1 × inner_group_num 1): Q,K,V,dense 4(h² + h), LayerNorm 2h, ffn h·ff + ff,
        // ffn_output ff·h + h, full_layer_layer_norm 2h; pooler h² + h.
        long v = 30000, e = 128, h = 768, ff = 3072, p = 512, t = 2;
        var expected = (v * e) + (p * e) + (t * e) + (2 * e) + (e * h) + h + (4 * ((h * h) + h)) + (2 * h) + (h * ff) + ff + (ff * h) + h + (2 * h) + (h * h) + h;
        var spec = Import("""{"model_type":"albert","vocab_size":30000,"embedding_size":128,"hidden_size":768,"num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072,"num_hidden_groups":1,"inner_group_num":1}""");
        Assert.Equal(11_683_584L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(12, spec.Architecture.Layers);
        Assert.Equal(128, spec.Architecture.EmbeddingSize);
    }

    [Fact]
    public void MobileBert_BottlenecksAndStackedFeedForwards()
    {
        // modeling_mobilebert.py (google/mobilebert-uncased: h 512, inner 128, E 128, 4 heads, ff 512, 4 FFNs, 24 layers,
        // trigram input, shared key/query bottleneck, classifier_activation false ⇒ no pooler dense):
        long v = 30522, e = 128, h = 512, i = 128, ff = 512, p = 512, t = 2, l = 24;
        var embeddings = (v * e) + (p * h) + (t * h) + ((3 * e * h) + h) + (2 * h);   // words, positions, types, trigram projection, NoNorm
        var attention = ((i * i) + i) * 2 + ((h * i) + i);                             // query, key on the bottleneck; value from the 512-wide input
        var selfOutput = (i * i) + i + (2 * i);
        var intermediate = (i * ff) + ff;
        var output = (ff * i) + i + (2 * i) + (i * h) + h + (2 * h);                 // dense + norm, OutputBottleneck dense + norm
        var bottleneck = 2 * ((h * i) + i + (2 * i));                                 // input and (shared) attention BottleneckLayer
        var extraFfns = 3 * ((i * ff) + ff + (ff * i) + i + (2 * i));                  // num_feedforward_networks − 1
        var expected = embeddings + (l * (attention + selfOutput + intermediate + output + bottleneck + extraFfns));
        var spec = Import("""{"model_type":"mobilebert","vocab_size":30522,"hidden_size":512,"num_hidden_layers":24,"num_attention_heads":4,"intermediate_size":512,"embedding_size":128,"intra_bottleneck_size":128,"true_hidden_size":128,"num_feedforward_networks":4,"trigram_input":true,"use_bottleneck":true,"key_query_shared_bottleneck":true,"use_bottleneck_attention":false,"normalization_type":"no_norm","classifier_activation":false}""");
        Assert.Equal(24_581_888L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
    }

    [Fact]
    public void TransformerXl_AdaptiveEmbeddingsTiedSoftmaxAndUntiedBiases()
    {
        // modeling_transfo_xl.py + _utilities.py (wt103: V 267735, cutoffs 20000/40000/200000, div_val 4, d 1024):
        // clusters of 20000, 20000, 160000, 67735 tokens at widths 1024, 256, 64, 16, each projected to d_model.
        long d = 1024, heads = 16, dh = 64, inner = 4096, l = 18;
        long[] sizes = [20000, 20000, 160000, 67735];
        long[] widths = [1024, 256, 64, 16];
        var embeddings = sizes.Zip(widths, (s, w) => s * w).Sum() + widths.Sum(w => d * w);
        // crit: out_layers' weights tied to the embedding tables, their biases (one per token) are not;
        // out_projs 1..3 tied (tie_projs [F, T, T, T]), out_projs[0] stored; cluster_weight 3 × 1024 and cluster_bias 3.
        var head = sizes.Sum() + (d * widths[0]) + (3 * 1024) + 3;
        // per layer: qkv_net d·3·n·dh, r_net d·n·dh, o_net n·dh·d (no biases), LayerNorm 2d, untied r_w_bias and
        // r_r_bias 2·n·dh, CoreNet d·inner + inner + inner·d + d, LayerNorm 2d.
        var layer = (d * 3 * heads * dh) + (d * heads * dh) + (heads * dh * d) + (2 * d) + (2 * heads * dh) + (d * inner) + inner + (inner * d) + d + (2 * d);
        var expected = embeddings + head + (l * layer);
        var spec = Import("""{"model_type":"transfo-xl","vocab_size":267735,"cutoffs":[20000,40000,200000],"d_model":1024,"d_embed":1024,"n_head":16,"d_head":64,"d_inner":4096,"n_layer":18,"div_val":4,"tie_projs":[false,true,true,true],"untie_r":true,"mem_len":1600,"attn_type":0}""");
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(1600, spec.Architecture.MemoryLength);
    }

    [Fact]
    public void TransformerXl_SharedRelativeBiasesAndUntiedProjections()
    {
        // untie_r false: one r_w_bias and one r_r_bias (n·dh each) for the model instead of per layer;
        // proj_share_all_but_first false: every out_proj stored.
        const string tied = """{"model_type":"transfo-xl","vocab_size":1000,"cutoffs":[100,500],"d_model":64,"d_embed":64,"n_head":4,"d_head":16,"d_inner":128,"n_layer":3,"div_val":2,"untie_r":true}""";
        const string shared = """{"model_type":"transfo-xl","vocab_size":1000,"cutoffs":[100,500],"d_model":64,"d_embed":64,"n_head":4,"d_head":16,"d_inner":128,"n_layer":3,"div_val":2,"untie_r":false,"proj_share_all_but_first":false}""";
        var difference = Import(tied).Parameters.Count - Import(shared).Parameters.Count;
        // untied biases: 3 layers × 2 × 64 − 2 × 64 shared = 256 more; untied projections: 64·32 + 64·16 = 3072 fewer.
        Assert.Equal(256 - 3072, difference);
    }

    [Theory]
    [InlineData(1024, 24, 16, 354_823_168L)]
    [InlineData(1280, 36, 20, 774_030_080L)]
    [InlineData(1600, 48, 25, 1_557_611_200L)]
    public void Gpt2_Sizes_MatchGpt2LMHeadModel(long h, long l, int heads, long published)
    {
        // modeling_gpt2.py: wte V·h, wpe 1024·h; per block ln_1 2h, c_attn h·3h + 3h, c_proj h² + h, ln_2 2h,
        // c_fc h·4h + 4h, c_proj 4h·h + h; ln_f 2h; lm_head tied to wte (tie_word_embeddings absent ⇒ true).
        long v = 50257, p = 1024, inner = 4 * h;
        var expected = (v * h) + (p * h) + (l * ((2 * h) + (3 * h * h) + (3 * h) + (h * h) + h + (2 * h) + (h * inner) + inner + (inner * h) + h)) + (2 * h);
        Assert.Equal(published, expected);
        var spec = Import($$"""{"model_type":"gpt2","vocab_size":50257,"n_embd":{{h}},"n_layer":{{l}},"n_head":{{heads}},"n_positions":1024}""");
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.True(spec.Architecture.TiedEmbeddings);
    }

    [Fact]
    public void Gpt2_UntiedHeadAndExplicitInner_AreHonoured()
    {
        const string baseConfig = "\"model_type\":\"gpt2\",\"vocab_size\":1000,\"n_embd\":64,\"n_layer\":2,\"n_head\":4,\"n_positions\":128";
        var tied = Import("{" + baseConfig + "}");
        var untied = Import("{" + baseConfig + ""","tie_word_embeddings":false}""");
        var inner = Import("{" + baseConfig + ""","n_inner":128}""");
        Assert.Equal(1000L * 64, untied.Parameters.Count - tied.Parameters.Count);
        // n_inner 128 instead of 4·64 = 256: per layer 2 × 64 × 128 + 128 fewer weights and biases.
        Assert.Equal(2 * ((2 * 64 * 128) + 128), tied.Parameters.Count - inner.Parameters.Count);
    }

    [Fact]
    public void Llama_GroupedQueryAttention_Llama3()
    {
        // modeling_llama.py: embed V·h; per layer q h·(a·d), k and v h·(kv·d), o (a·d)·h, gate/up h·ff, down ff·h,
        // two RMSNorms h; final norm h; untied lm_head V·h (LlamaConfig default tie_word_embeddings false).
        long v = 128256, h = 4096, l = 32, a = 32, kv = 8, d = 128, ff = 14336;
        var expected = (2 * v * h) + (l * ((h * a * d) + (2 * h * kv * d) + (a * d * h) + (3 * h * ff) + (2 * h))) + h;
        var spec = Import("""{"model_type":"llama","vocab_size":128256,"hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336}""");
        Assert.Equal(8_030_261_248L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.False(spec.Architecture.TiedEmbeddings);
        Assert.Equal(8, spec.Architecture.KeyValueHeads);
    }

    [Fact]
    public void Llama_AttentionAndMlpBiases_AddTheirVectors()
    {
        const string plain = """{"model_type":"llama","vocab_size":100,"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128}""";
        const string biased = """{"model_type":"llama","vocab_size":100,"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"attention_bias":true,"mlp_bias":true}""";
        // per layer: q 64 + k 32 + v 32 + o 64 + gate 128 + up 128 + down 64 = 512 bias values.
        Assert.Equal(2L * 512, Import(biased).Parameters.Count - Import(plain).Parameters.Count);
    }

    [Fact]
    public void Mistral_SlidingWindowDefaultsAndNull()
    {
        // MistralConfig: num_key_value_heads defaults to 8, sliding_window to 4096; an explicit null means none.
        const string shape = "\"model_type\":\"mistral\",\"vocab_size\":32000,\"hidden_size\":4096,\"num_hidden_layers\":32,\"num_attention_heads\":32,\"intermediate_size\":14336";
        var defaulted = Import("{" + shape + "}");
        Assert.Equal(7_241_732_096L, defaulted.Parameters.Count); // Mistral-7B-v0.1: 2·V·h + 32·(2h² + 2·h·1024 + 3·h·ff + 2h) + h
        Assert.Equal(4096, defaulted.Architecture.SlidingWindow);
        Assert.Equal(8, defaulted.Architecture.KeyValueHeads);
        Assert.Null(Import("{" + shape + ""","sliding_window":null}""").Architecture.SlidingWindow);
    }

    [Fact]
    public void Mixtral_CountsAllExpertsAndActiveExperts()
    {
        // modeling_mixtral.py: per layer attention as Mistral, router h·E, E experts of w1/w3 h·ff and w2 ff·h.
        long v = 32000, h = 4096, l = 32, kvd = 1024, ff = 14336, experts = 8, active = 2;
        var attention = (2 * h * h) + (2 * h * kvd);
        var expert = 3 * h * ff;
        var total = (2 * v * h) + (l * (attention + (h * experts) + (experts * expert) + (2 * h))) + h;
        var perToken = (2 * v * h) + (l * (attention + (h * experts) + (active * expert) + (2 * h))) + h;
        var spec = Import("""{"model_type":"mixtral","vocab_size":32000,"hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336,"num_local_experts":8,"num_experts_per_tok":2}""");
        Assert.Equal(46_702_792_704L, total);
        Assert.Equal(total, spec.Parameters.Count);
        Assert.Equal(perToken, spec.ActiveParameters.Count);
        Assert.Equal(12_879_925_248L, perToken);
        Assert.True(spec.Architecture.IsMixtureOfExperts);
    }

    [Fact]
    public void Qwen2_HasQkvBiasesAndTiedHead()
    {
        // modeling_qwen2.py: q/k/v with bias, o without; Qwen2-0.5B ties the LM head (tie_word_embeddings true).
        long v = 151936, h = 896, l = 24, a = 14, kv = 2, d = 64, ff = 4864;
        var expected = (v * h) + (l * ((h * a * d) + (a * d) + (2 * ((h * kv * d) + (kv * d))) + (a * d * h) + (3 * h * ff) + (2 * h))) + h;
        var spec = Import("""{"model_type":"qwen2","vocab_size":151936,"hidden_size":896,"num_hidden_layers":24,"num_attention_heads":14,"num_key_value_heads":2,"intermediate_size":4864,"tie_word_embeddings":true,"use_sliding_window":false,"sliding_window":131072}""");
        Assert.Equal(494_032_768L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Null(spec.Architecture.SlidingWindow);
    }

    [Fact]
    public void Phi2_ParallelBlockWithBiasesAndHeadBias()
    {
        // modeling_phi.py: embed V·h; per layer input_layernorm 2h, q/k/v/dense h² + h each, fc1 h·ff + ff,
        // fc2 ff·h + h; final_layernorm 2h; lm_head V·h + V (bias).
        long v = 51200, h = 2560, l = 32, ff = 10240;
        var expected = (v * h) + (l * ((2 * h) + (4 * ((h * h) + h)) + (h * ff) + ff + (ff * h) + h)) + (2 * h) + (v * h) + v;
        var spec = Import("""{"model_type":"phi","vocab_size":51200,"hidden_size":2560,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":null,"intermediate_size":10240,"partial_rotary_factor":0.4}""");
        Assert.Equal(2_779_683_840L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(0.4, spec.Architecture.RotaryFraction);
        Assert.True(spec.Architecture.ParallelAttentionAndFeedForward);
    }

    [Fact]
    public void Phi3_FusedProjections()
    {
        // modeling_phi3.py: qkv_proj h·(a·d + 2·kv·d), o_proj, gate_up_proj h·2ff, down_proj ff·h, two RMSNorms; untied head.
        long v = 32064, h = 3072, l = 32, ff = 8192;
        var expected = (2 * v * h) + (l * ((h * 3 * h) + (h * h) + (h * 2 * ff) + (ff * h) + (2 * h))) + h;
        var spec = Import("""{"model_type":"phi3","vocab_size":32064,"hidden_size":3072,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":32,"intermediate_size":8192,"sliding_window":2047}""");
        Assert.Equal(3_821_079_552L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(2047, spec.Architecture.SlidingWindow);
    }

    [Fact]
    public void Gemma_ExplicitHeadDimAndTiedHeadByDefault()
    {
        // modeling_gemma.py: head_dim 256 with 8 heads (8·256 = 2048 = h), MQA (1 KV head); GemmaConfig ties the head.
        long v = 256000, h = 2048, l = 18, a = 8, kv = 1, d = 256, ff = 16384;
        var expected = (v * h) + (l * ((h * a * d) + (2 * h * kv * d) + (a * d * h) + (3 * h * ff) + (2 * h))) + h;
        var spec = Import("""{"model_type":"gemma","vocab_size":256000,"hidden_size":2048,"num_hidden_layers":18,"num_attention_heads":8,"num_key_value_heads":1,"head_dim":256,"intermediate_size":16384}""");
        Assert.Equal(2_506_172_416L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(256, spec.Architecture.HeadDimension);
        Assert.True(spec.Architecture.TiedEmbeddings);
    }

    [Fact]
    public void Falcon_MultiQueryParallelBlocks()
    {
        // modeling_falcon.py (falcon-7b): query_key_value h·(h + 2·64) (multi_query), dense h², dense_h_to_4h h·4h,
        // dense_4h_to_h 4h·h, no biases; input_layernorm 2h (parallel_attn); ln_f 2h; lm_head tied.
        long v = 65024, h = 4544, l = 32, d = 64;
        var expected = (v * h) + (l * ((h * (h + (2 * d))) + (h * h) + (2 * h * 4 * h) + (2 * h))) + (2 * h);
        var spec = Import("""{"model_type":"falcon","vocab_size":65024,"hidden_size":4544,"num_hidden_layers":32,"num_attention_heads":71,"multi_query":true,"parallel_attn":true,"bias":false,"new_decoder_architecture":false}""");
        Assert.Equal(6_921_720_704L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(1, spec.Architecture.KeyValueHeads);
    }

    [Fact]
    public void Falcon_NewDecoderArchitecture_UsesKvGroupsAndTwoNorms()
    {
        // new_decoder_architecture: qkv ((2·kv) + a)·d, ln_attn and ln_mlp; legacy keys n_head / n_layer.
        long v = 1000, h = 256, l = 2, a = 8, kv = 2, d = 32;
        var expected = (v * h) + (l * ((4 * h) + (h * ((2 * kv) + a) * d) + (h * h) + (2 * h * 4 * h))) + (2 * h);
        var spec = Import("""{"model_type":"falcon","vocab_size":1000,"hidden_size":256,"n_layer":2,"n_head":8,"num_kv_heads":2,"new_decoder_architecture":true}""");
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(2, spec.Architecture.KeyValueHeads);
    }

    [Fact]
    public void T5_SmallMatchesT5ForConditionalGeneration()
    {
        // modeling_t5.py: shared V·d; encoder blocks q,k,v,o d·(n·dkv) (no bias), LayerNorm d, wi d·ff, wo ff·d,
        // LayerNorm d; relative_attention_bias 32 × n in block 0; final_layer_norm d. Decoder blocks add
        // cross-attention q,k,v,o and a LayerNorm. lm_head tied to shared.
        long v = 32128, d = 512, n = 8, dkv = 64, ff = 2048, l = 6, buckets = 32;
        var attention = 4 * d * n * dkv;
        var encoder = (l * (attention + d + (2 * d * ff) + d)) + (buckets * n) + d;
        var decoder = (l * (attention + d + attention + d + (2 * d * ff) + d)) + (buckets * n) + d;
        var expected = (v * d) + encoder + decoder;
        var spec = Import("""{"model_type":"t5","vocab_size":32128,"d_model":512,"d_kv":64,"d_ff":2048,"num_layers":6,"num_heads":8,"relative_attention_num_buckets":32}""");
        Assert.Equal(60_506_624L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal(ModelKind.EncoderDecoder, spec.Architecture.Kind);
        Assert.Equal(6, spec.Architecture.DecoderLayers);
    }

    [Fact]
    public void T5_GatedFeedForwardAndUntiedHead()
    {
        // feed_forward_proj gated-gelu: wi_0 and wi_1 (one more d·ff per block); tie_word_embeddings false: lm_head V·d.
        const string shape = "\"model_type\":\"t5\",\"vocab_size\":1000,\"d_model\":64,\"d_kv\":16,\"d_ff\":128,\"num_layers\":2,\"num_decoder_layers\":3,\"num_heads\":4";
        var plain = Import("{" + shape + "}");
        var gated = Import("{" + shape + ""","feed_forward_proj":"gated-gelu","tie_word_embeddings":false}""");
        Assert.Equal((5L * 64 * 128) + (1000 * 64), gated.Parameters.Count - plain.Parameters.Count);
        Assert.True(gated.Architecture.GatedFeedForward);
    }

    [Fact]
    public void KeylessTinyBertConfig_IsRecognisedAsBert()
    {
        // huawei-noah/TinyBERT_General_4L_312D publishes neither model_type nor architectures; BERT formula with
        // h 312, L 4, ff 1200.
        long v = 30522, h = 312, l = 4, ff = 1200, p = 512, t = 2;
        var expected = (v * h) + (p * h) + (t * h) + (2 * h) + (l * ((4 * ((h * h) + h)) + (2 * h) + (h * ff) + ff + (ff * h) + h + (2 * h))) + (h * h) + h;
        var spec = Import("""{"attention_probs_dropout_prob":0.1,"cell":{},"emb_size":312,"hidden_act":"gelu","hidden_size":312,"intermediate_size":1200,"max_position_embeddings":512,"num_attention_heads":12,"num_hidden_layers":4,"pre_trained":"","structure":[],"type_vocab_size":2,"vocab_size":30522}""");
        Assert.Equal(14_350_248L, expected);
        Assert.Equal(expected, spec.Parameters.Count);
        Assert.Equal("bert", spec.Family);
    }

    [Fact]
    public void ArchitecturesOnlyConfig_IsRecognisedByClassName()
    {
        var spec = Import("""{"architectures":["GPT2LMHeadModel"],"vocab_size":50257,"n_embd":768,"n_layer":12,"n_head":12}""");
        Assert.Equal(124_439_808L, spec.Parameters.Count);
    }

    [Theory]
    [InlineData("""{"model_type":"bart","vocab_size":1}""", "$.model_type", "unsupported model_type \"bart\"; supported: bert, roberta, distilbert, albert, mobilebert, modernbert, transfo-xl, gpt2, llama, mistral, mixtral, qwen2, qwen3, qwen3_moe, phi, phi3, gemma, gemma2, falcon, t5")]
    [InlineData("""{"model_type":"llama","vocab_size":32000,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64}""", "$.hidden_size", "required key is missing; expected a positive integer")]
    [InlineData("""{"model_type":"llama","vocab_size":32000,"hidden_size":"4096","num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64}""", "$.hidden_size", "expected an integer between -2147483648 and 2147483647; found the string \"4096\"")]
    [InlineData("""{"model_type":"llama","vocab_size":32000,"hidden_size":100,"num_hidden_layers":2,"num_attention_heads":3,"intermediate_size":64}""", "$.num_attention_heads", "$.hidden_size (100) must be divisible by $.num_attention_heads (3) when $.head_dim is absent")]
    [InlineData("""{"model_type":"llama","vocab_size":32000,"hidden_size":96,"num_hidden_layers":2,"num_attention_heads":12,"num_key_value_heads":5,"intermediate_size":64}""", "$.num_key_value_heads", "expected a divisor of the 12 attention heads; found 5")]
    [InlineData("""{"model_type":"bert","vocab_size":30522,"hidden_size":-768,"num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072}""", "$.hidden_size", "expected a positive integer; found -768")]
    [InlineData("""{"model_type":"gpt2","vocab_size":50257,"n_embd":768.5,"n_layer":12,"n_head":12}""", "$.n_embd", "expected an integer between -2147483648 and 2147483647; found the number 768.5")]
    [InlineData("""{"model_type":"gpt2","vocab_size":50257,"n_embd":768,"n_layer":12,"n_head":12,"tie_word_embeddings":"yes"}""", "$.tie_word_embeddings", "expected true or false; found the string \"yes\"")]
    [InlineData("""{"model_type":"mixtral","vocab_size":100,"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":4,"intermediate_size":64,"num_local_experts":2,"num_experts_per_tok":3}""", "$.num_experts_per_tok", "expected at most $.num_local_experts (2); found 3")]
    [InlineData("""{"hidden_size":64}""", "$.model_type", "required key is missing, and the config has no architectures entry nor the keys of a BERT-shaped config (vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, type_vocab_size); expected one of: bert, roberta, distilbert, albert, mobilebert, modernbert, transfo-xl, gpt2, llama, mistral, mixtral, qwen2, qwen3, qwen3_moe, phi, phi3, gemma, gemma2, falcon, t5")]
    [InlineData("""{"architectures":["BartForConditionalGeneration"]}""", "$.architectures[0]", "the config has no model_type and its class \"BartForConditionalGeneration\" belongs to no supported family; supported model_types: bert, roberta, distilbert, albert, mobilebert, modernbert, transfo-xl, gpt2, llama, mistral, mixtral, qwen2, qwen3, qwen3_moe, phi, phi3, gemma, gemma2, falcon, t5")]
    [InlineData("""[1, 2]""", "$", "expected a JSON object; found an array")]
    [InlineData("""{"model_type":"transfo-xl","vocab_size":1000,"cutoffs":[500,100],"d_model":64,"n_head":4,"d_head":16,"d_inner":128,"n_layer":2}""", "$.cutoffs[1]", "expected strictly increasing cutoffs below the vocabulary size 1000; found 100")]
    public void Parse_BadConfig_ThrowsModelImportExceptionNamingFilePathAndExpectation(string json, string location, string problem)
    {
        var exception = Assert.Throws<ModelImportException>(() => Import(json));
        Assert.Equal("test config.json", exception.SourceName);
        Assert.Equal(location, exception.Location);
        Assert.Equal(problem, exception.Problem);
        Assert.Equal($"test config.json: {location}: {problem}", exception.Message);
    }

    [Fact]
    public void Parse_NotJson_NamesLineAndByte()
    {
        var exception = Assert.Throws<ModelImportException>(() => Import("{\"model_type\": \"bert\",\n  oops }"));
        Assert.Equal("line 2, byte 3", exception.Location);
        Assert.StartsWith("expected valid JSON: ", exception.Problem);
    }

    [Fact]
    public void Parse_ImpossibleModel_IsAnImportErrorNotAnOverflow()
    {
        // 2e9 × 2e9 embedding would hold 4e18 parameters, above the 1e15 the library supports.
        var exception = Assert.Throws<ModelImportException>(() => Import("""{"model_type":"gpt2","vocab_size":2000000000,"n_embd":2000000000,"n_layer":1,"n_head":1}"""));
        Assert.Equal("$", exception.Location);
        Assert.StartsWith("the config describes an impossible model: ", exception.Problem);
    }

    [Fact]
    public void Load_MissingOrHugeFile_FailsClearly()
    {
        Assert.Throws<FileNotFoundException>(() => HuggingFaceConfig.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")));
        var path = Path.GetTempFileName();
        try
        {
            using (var stream = File.OpenWrite(path))
            {
                stream.SetLength(HuggingFaceConfig.MaxFileBytes + 1);
            }

            var exception = Assert.Throws<ModelImportException>(() => HuggingFaceConfig.Load(path));
            Assert.Equal("file", exception.Location);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
