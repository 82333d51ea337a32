using System.Globalization;
using ModelSelection.Models;

namespace ModelSelection.Gguf;

/// <summary>Builds a <see cref="ModelSpec"/> from a GGUF model's metadata and tensors (see <see cref="GgufModel.ToModelSpec"/>).</summary>
internal static class GgufSpecBuilder
{
    public static ModelSpec Build(GgufModel model, string id)
    {
        var file = model.Files[0];
        var source = model.SourceName;
        var arch = file.Architecture is { Length: > 0 } a ? a
            : throw new ModelImportException(source, "metadata 'general.architecture'", "required key is missing; expected the architecture name (llama, qwen2, gemma2, phi3, bert, …)");
        if (arch is "t5" or "t5encoder" or "bart")
        {
            throw new ModelImportException(source, "metadata 'general.architecture'", $"'{arch}' is an encoder-decoder; GGUF encoder-decoders are not read (import the Hugging Face config.json instead)");
        }

        int Required(string key) => Count(file, source, $"{arch}.{key}", required: true, fallback: 0);
        int Optional(string key, int fallback) => Count(file, source, $"{arch}.{key}", required: false, fallback);
        var layers = Required("block_count");
        var hidden = Required("embedding_length");
        var heads = Required("attention.head_count");
        var kvHeads = Optional("attention.head_count_kv", heads);
        var experts = Optional("expert_count", 0);
        var used = Optional("expert_used_count", experts > 0 ? 1 : 0);
        var ff = experts > 1 && file.Get($"{arch}.expert_feed_forward_length") is not null ? Required("expert_feed_forward_length") : Required("feed_forward_length");
        var headDim = Optional("attention.key_length", hidden % heads == 0 ? hidden / heads : 0);
        if (headDim == 0)
        {
            throw new ModelImportException(source, $"metadata '{arch}.attention.key_length'", $"required when {arch}.embedding_length ({hidden}) is not divisible by {arch}.attention.head_count ({heads})");
        }

        if (heads % kvHeads != 0)
        {
            throw new ModelImportException(source, $"metadata '{arch}.attention.head_count_kv'", $"expected a divisor of the {heads} attention heads; found {kvHeads}");
        }

        var tensors = model.Files.SelectMany(f => f.Tensors).ToList();
        if (layers > tensors.Count)
        {
            // Each block stores at least one tensor: a larger count is a corrupt key, and would size arrays by it.
            throw new ModelImportException(source, $"metadata '{arch}.block_count'", $"the file declares {layers} blocks but holds only {tensors.Count} tensors");
        }

        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var vocab = Optional("vocab_size", byName.TryGetValue("token_embd.weight", out var embedding) && embedding.Dimensions.Length >= 2 ? (int)Math.Min(int.MaxValue, embedding.Dimensions[1])
            : file.Get("tokenizer.ggml.tokens") is { Length: > 0 and <= int.MaxValue } tokens ? (int)tokens.Length : 0);
        if (vocab <= 0)
        {
            throw new ModelImportException(source, $"metadata '{arch}.vocab_size'", "required: the file has no vocabulary size, token_embd.weight or tokenizer.ggml.tokens to read it from");
        }

        var kind = GgufModel.IsEncoder(arch) ? ModelKind.Encoder : ModelKind.Decoder;
        var tied = kind == ModelKind.Decoder && !byName.ContainsKey("output.weight");
        var learned = byName.ContainsKey("position_embd.weight");
        var context = Optional("context_length", learned && byName["position_embd.weight"].Dimensions.Length >= 2 ? (int)Math.Min(int.MaxValue, byName["position_embd.weight"].Dimensions[1]) : 0);
        var ropeDims = Optional("rope.dimension_count", headDim);
        int? window = file.Get($"{arch}.attention.sliding_window") is { } w && w.AsInt64() is > 0 and <= int.MaxValue ? (int)w.AsInt64()!.Value : null;
        var architecture = new ModelArchitecture
        {
            Kind = kind,
            Layers = layers,
            HiddenSize = hidden,
            AttentionHeads = heads,
            KeyValueHeads = kvHeads,
            HeadDimension = headDim,
            FeedForwardSize = ff,
            GatedFeedForward = tensors.Any(t => t.Name.EndsWith(".ffn_gate.weight", StringComparison.Ordinal) || t.Name.EndsWith(".ffn_gate_exps.weight", StringComparison.Ordinal)),
            VocabularySize = vocab,
            EmbeddingSize = hidden,
            MaxPositions = context,
            PositionEncoding = learned ? PositionEncoding.Learned : arch is "bloom" or "mpt" ? PositionEncoding.Alibi : PositionEncoding.Rotary,
            RotaryFraction = learned || arch is "bloom" or "mpt" ? 0 : Math.Clamp((double)ropeDims / headDim, 0, 1),
            TiedEmbeddings = tied,
            Experts = experts > 1 ? experts : 0,
            ExpertsPerToken = experts > 1 ? Math.Min(used, experts) : 0,
            SlidingWindow = window,
        };

        try
        {
            var (groups, storage) = Inventory(model, tensors, layers, used, tied, source);
            return new ModelSpec(id, arch, architecture, new TensorInventory(groups), sources: [$"gguf: {source}"], contextLength: context > 0 ? Math.Min(context, ModelSpec.MaxContextLength) : null, storedWeights: storage);
        }
        catch (ArgumentException exception)
        {
            throw new ModelImportException(source, "metadata", exception.Message, exception);
        }
    }

    private static int Count(GgufFile file, string source, string key, bool required, int fallback)
    {
        var value = file.Get(key);
        if (value is null)
        {
            return required ? throw new ModelImportException(source, $"metadata '{key}'", "required key is missing") : fallback;
        }

        // Per-layer arrays (OpenELM, Gemma 3n): the largest layer bounds the memory.
        var number = value.Type == GgufValueType.Array && value.Numbers.Length > 0 ? value.Numbers.Max() : value.IsInteger ? value.AsDouble() : null;
        return number is >= 1 and <= int.MaxValue && number == Math.Floor(number.Value)
            ? (int)number.Value
            : throw new ModelImportException(source, $"metadata '{key}'", $"expected a positive integer (or an array of them); found {value.Type} {value}");
    }

    private static (List<TensorGroup> Groups, WeightStorage Storage) Inventory(GgufModel model, List<GgufTensorInfo> tensors, int layers, int used, bool tied, string source)
    {
        var groups = new Dictionary<string, (TensorRole Role, TensorKind Kind, TensorPart Part, long Rows, long Columns, long Instances, long Uses)>(StringComparer.Ordinal);
        var order = new List<string>();
        var layerBytes = new long[layers];
        long input = 0, output = 0;
        foreach (var t in tensors)
        {
            var (layer, rest) = Split(t.Name);
            if (layer >= layers)
            {
                throw new ModelImportException(source, $"tensor '{t.Name}'", $"the tensor belongs to block {layer}, but the model has {layers} blocks ({model.Architecture}.block_count)");
            }

            var (role, kind, part) = Classify(layer >= 0, rest);
            if (layer >= 0)
            {
                layerBytes[layer] += t.Bytes;
            }
            else if (part == TensorPart.Embeddings)
            {
                input += t.Bytes;
            }
            else
            {
                output += t.Bytes;
            }

            var d = t.Dimensions;
            long rows = d.Length == 1 ? d[0] : d[1], columns = d.Length == 1 ? 1 : d[0];
            long copies = d.Length > 2 ? d.Skip(2).Aggregate(1L, (x, y) => checked(x * y)) : 1;
            if (rows == 0 || columns == 0 || copies == 0)
            {
                throw new ModelImportException(source, $"tensor '{t.Name}'", "expected dimensions of 1 or more; an empty tensor holds no weights");
            }

            var key = $"{(layer >= 0 ? "blk.*." : string.Empty)}{rest} [{string.Join("×", d)}]";
            var perToken = role is TensorRole.ExpertUp or TensorRole.ExpertGate or TensorRole.ExpertDown ? Math.Min(used, copies) : copies;
            if (groups.TryGetValue(key, out var g))
            {
                groups[key] = g with { Instances = g.Instances + copies, Uses = g.Uses + perToken };
            }
            else
            {
                groups[key] = (role, kind, part, rows, columns, copies, perToken);
                order.Add(key);
            }
        }

        var list = order.Select(k => groups[k]).Select((g, i) => new TensorGroup(order[i], g.Role, g.Kind, g.Part, g.Rows, g.Columns, g.Instances, g.Uses)).ToList();
        if (tied && list.FirstOrDefault(g => g.Role == TensorRole.TokenEmbedding) is { } embedding)
        {
            list.Add(new TensorGroup("output.weight (tied)", TensorRole.LanguageModelHead, TensorKind.LinearWeight, TensorPart.Head, embedding.Rows, embedding.Columns, 0, 1, embedding.Name));
        }

        var format = model.Format ?? throw new ModelImportException(source, "metadata 'general.file_type'",
            model.Files[0].Get("general.file_type") is { } type
                ? $"file type {type} names no format the library knows; known: {string.Join(", ", NumericPrecision.All.Where(p => p.GgufFileType is not null).Select(p => $"{p.Name} ({p.GgufFileType})"))}"
                : "required key is missing and the matrices mix types, so the format cannot be told; expected the llama.cpp file type (15 for Q4_K_M)");
        return (list, new WeightStorage(format, input, layerBytes, output));
    }

    private static (int Layer, string Suffix) Split(string name)
    {
        if (name.StartsWith("blk.", StringComparison.Ordinal))
        {
            var dot = name.IndexOf('.', 4);
            if (dot > 4 && int.TryParse(name.AsSpan(4, dot - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var layer))
            {
                return (layer, name[(dot + 1)..]);
            }
        }

        return (-1, name);
    }

    private static (TensorRole Role, TensorKind Kind, TensorPart Part) Classify(bool inBlock, string rest)
    {
        var bias = rest.EndsWith(".bias", StringComparison.Ordinal);
        var stem = rest.EndsWith(".weight", StringComparison.Ordinal) ? rest[..^7] : bias ? rest[..^5] : rest;
        if (!inBlock)
        {
            return stem switch
            {
                "token_embd" => (TensorRole.TokenEmbedding, TensorKind.EmbeddingTable, TensorPart.Embeddings),
                "position_embd" => (TensorRole.PositionEmbedding, TensorKind.EmbeddingTable, TensorPart.Embeddings),
                "token_types" => (TensorRole.TokenTypeEmbedding, TensorKind.EmbeddingTable, TensorPart.Embeddings),
                "token_embd_norm" => (TensorRole.Normalization, TensorKind.NormalizationParameter, TensorPart.Embeddings),
                "output" => (TensorRole.LanguageModelHead, bias ? TensorKind.LinearBias : TensorKind.LinearWeight, TensorPart.Head),
                "output_norm" => (TensorRole.Normalization, TensorKind.NormalizationParameter, TensorPart.Head),
                _ when stem.StartsWith("cls", StringComparison.Ordinal) => (TensorRole.Pooler, bias ? TensorKind.LinearBias : TensorKind.LinearWeight, TensorPart.Head),
                _ when stem.StartsWith("rope", StringComparison.Ordinal) => (TensorRole.RelativePosition, TensorKind.OtherParameter, TensorPart.Embeddings),
                _ => (TensorRole.EmbeddingProjection, TensorKind.OtherParameter, TensorPart.Head),
            };
        }

        if (stem.EndsWith("norm", StringComparison.Ordinal) || stem.Contains("_norm", StringComparison.Ordinal))
        {
            return (TensorRole.Normalization, TensorKind.NormalizationParameter, TensorPart.Blocks);
        }

        TensorRole? role = stem switch
        {
            "attn_q" => TensorRole.AttentionQuery,
            "attn_k" => TensorRole.AttentionKey,
            "attn_v" => TensorRole.AttentionValue,
            "attn_qkv" => TensorRole.AttentionQueryKeyValue,
            "attn_output" => TensorRole.AttentionOutput,
            "ffn_up" or "ffn_up_shexp" => TensorRole.FeedForwardUp,
            "ffn_gate" or "ffn_gate_shexp" => TensorRole.FeedForwardGate,
            "ffn_down" or "ffn_down_shexp" => TensorRole.FeedForwardDown,
            "ffn_gate_inp" or "ffn_gate_inp_shexp" => TensorRole.Router,
            "ffn_up_exps" => TensorRole.ExpertUp,
            "ffn_gate_exps" => TensorRole.ExpertGate,
            "ffn_down_exps" => TensorRole.ExpertDown,
            _ => null,
        };
        return role is { } r
            ? (r, bias ? TensorKind.LinearBias : TensorKind.LinearWeight, TensorPart.Blocks)
            : (TensorRole.RelativePosition, TensorKind.OtherParameter, TensorPart.Blocks);
    }
}
