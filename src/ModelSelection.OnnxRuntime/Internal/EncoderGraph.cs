using System.Globalization;

namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>
/// Builds the graph of a BERT encoder (Hugging Face <c>BertModel</c>) the way PyTorch's <c>torch.onnx.export</c> writes it
/// at opset 13, as in the all-MiniLM-L6-v2 export: the extended attention mask (1 − mask) × −10000 computed once;
/// position ids sliced from a <c>[1, positions]</c> int64 buffer to the sequence length; word, token-type and position
/// embeddings added and normalised; per layer Q, K and V as <c>MatMul</c> + bias, split into heads by
/// <c>Reshape</c>/<c>Transpose</c>, scores Q·Kᵀ ÷ √d plus the mask, <c>Softmax</c>, the weighted sum of V, the output
/// projection, residual and LayerNorm, then the erf GELU feed-forward, residual and LayerNorm. LayerNorm is decomposed
/// as the opset-13 export writes it (ReduceMean, Sub, Pow, ReduceMean, Add ε, Sqrt, Div, Mul, Add); literals are
/// <c>Constant</c> nodes, not initializers. The pooler (<c>Gemm</c> with <c>transB</c> on the first token, then
/// <c>Tanh</c>) is included, as <c>BertModel</c> has one and the export keeps it.
/// </summary>
internal static class EncoderGraph
{
    /// <summary>The opset the graph uses.</summary>
    public const long Opset = 13;

    /// <summary>The IR version the graph declares (PyTorch 1.10's for opset 13).</summary>
    public const long IrVersion = 7;

    /// <summary>The standard deviation of the random weights, BERT's <c>initializer_range</c>.</summary>
    public const double WeightDeviation = 0.02;

    /// <summary>Builds the model; <paramref name="fixedBatch"/> fixes the inputs' batch dimension instead of leaving it symbolic.</summary>
    public static ProtoMessage Build(EncoderShape shape, int seed, int? fixedBatch = null)
    {
        long h = shape.HiddenSize, ff = shape.FeedForwardSize, heads = shape.AttentionHeads, d = shape.HeadDimension;
        var g = new OnnxGraphWriter();
        object batch = fixedBatch is { } b ? (long)b : "batch";
        g.Input("input_ids", OnnxGraphWriter.Int64Type, batch, "sequence");
        g.Input("attention_mask", OnnxGraphWriter.Int64Type, batch, "sequence");
        g.Input("token_type_ids", OnnxGraphWriter.Int64Type, batch, "sequence");

        Func<FloatFill> Normal(string name) => () =>
        {
            var random = DeterministicRandom.For(seed, name);
            return values =>
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(random.NextNormal() * WeightDeviation);
                }
            };
        };
        static Func<FloatFill> Constant(float value) => () => values => values.Fill(value);
        string Weight(string name, params long[] dims) => g.FloatInitializer(name, dims, Normal(name));
        string Bias(string name, long size) => g.FloatInitializer(name, [size], Constant(0f));

        // Shape constants (int64 initializers, not parameters).
        var one = g.Int64Initializer("const_axes_1", [1], [1]);
        var two = g.Int64Initializer("const_axes_2", [1], [2]);
        var zeroAxis = g.Int64Initializer("const_axes_0", [1], [0]);
        var zeroList = g.Int64Initializer("const_starts_0", [1], [0]);
        var stepOne = g.Int64Initializer("const_steps_1", [1], [1]);
        var sequenceIndex = g.Int64Initializer("const_index_1", [], [1]);
        var firstToken = g.Int64Initializer("const_index_0", [], [0]);
        var splitHeads = g.Int64Initializer("const_shape_split_heads", [4], [0, 0, heads, d]);
        var mergeHeads = g.Int64Initializer("const_shape_merge_heads", [3], [0, 0, h]);
        var positionIds = g.Int64Initializer("embeddings.position_ids", [1, shape.MaxPositions], [.. Enumerable.Range(0, shape.MaxPositions).Select(i => (long)i)]);

        // The extended attention mask, once: (1 − mask[:, None, None, :]) × −10000.
        var mask = g.Node("Unsqueeze", ["attention_mask", one]);
        mask = g.Node("Unsqueeze", [mask, two]);
        mask = g.Node("Cast", [mask], null, OnnxGraphWriter.IntAttribute("to", OnnxGraphWriter.FloatType));
        mask = g.Node("Sub", [g.Scalar(1f), mask]);
        mask = g.Node("Mul", [mask, g.Scalar(-10000f)]);

        // Position ids: position_ids[:, 0:sequence].
        var sequence = g.Node("Gather", [g.Node("Shape", ["input_ids"]), sequenceIndex], null, OnnxGraphWriter.IntAttribute("axis", 0));
        var positions = g.Node("Slice", [positionIds, zeroList, g.Node("Unsqueeze", [sequence, zeroAxis]), one, stepOne]);

        // Embeddings.
        var words = g.Node("Gather", [Weight("embeddings.word_embeddings.weight", shape.VocabularySize, h), "input_ids"]);
        var types = g.Node("Gather", [Weight("embeddings.token_type_embeddings.weight", shape.TypeVocabularySize, h), "token_type_ids"]);
        var x = g.Node("Add", [words, types]);
        x = g.Node("Add", [x, g.Node("Gather", [Weight("embeddings.position_embeddings.weight", shape.MaxPositions, h), positions])]);
        x = LayerNorm(g, x, "embeddings.LayerNorm", h, null);

        var scale = (float)Math.Sqrt(d);
        for (var layer = 0; layer < shape.Layers; layer++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"encoder.layer.{layer}");
            string Linear(string input, string name, long inSize, long outSize) =>
                g.Node("Add", [Bias($"{prefix}.{name}.bias", outSize), g.Node("MatMul", [input, Weight($"{prefix}.{name}.weight", inSize, outSize)])]);

            var q = Linear(x, "attention.self.query", h, h);
            var k = Linear(x, "attention.self.key", h, h);
            var v = Linear(x, "attention.self.value", h, h);
            var keys = g.Node("Transpose", [g.Node("Reshape", [k, splitHeads])], null, OnnxGraphWriter.IntsAttribute("perm", 0, 2, 3, 1));
            var values = g.Node("Transpose", [g.Node("Reshape", [v, splitHeads])], null, OnnxGraphWriter.IntsAttribute("perm", 0, 2, 1, 3));
            var queries = g.Node("Transpose", [g.Node("Reshape", [q, splitHeads])], null, OnnxGraphWriter.IntsAttribute("perm", 0, 2, 1, 3));
            var scores = g.Node("MatMul", [queries, keys]);
            scores = g.Node("Div", [scores, g.Scalar(scale)]);
            scores = g.Node("Add", [scores, mask]);
            var weights = g.Node("Softmax", [scores], null, OnnxGraphWriter.IntAttribute("axis", -1));
            var context = g.Node("MatMul", [weights, values]);
            context = g.Node("Transpose", [context], null, OnnxGraphWriter.IntsAttribute("perm", 0, 2, 1, 3));
            context = g.Node("Reshape", [context, mergeHeads]);
            var attention = Linear(context, "attention.output.dense", h, h);
            x = LayerNorm(g, g.Node("Add", [attention, x]), $"{prefix}.attention.output.LayerNorm", h, null);

            // Feed-forward with the exact (erf) GELU: x · ½ · (1 + erf(x / √2)).
            var up = Linear(x, "intermediate.dense", h, ff);
            var gelu = g.Node("Erf", [g.Node("Div", [up, g.Scalar((float)Math.Sqrt(2))])]);
            gelu = g.Node("Add", [gelu, g.Scalar(1f)]);
            gelu = g.Node("Mul", [up, gelu]);
            gelu = g.Node("Mul", [gelu, g.Scalar(0.5f)]);
            var down = Linear(gelu, "output.dense", ff, h);
            x = LayerNorm(g, g.Node("Add", [down, x]), $"{prefix}.output.LayerNorm", h, layer == shape.Layers - 1 ? "last_hidden_state" : null);
        }

        // The pooler: tanh(first token · Wᵀ + b), a Gemm with transB as nn.Linear on a 2-D input exports.
        var first = g.Node("Gather", ["last_hidden_state", firstToken], null, OnnxGraphWriter.IntAttribute("axis", 1));
        var pooled = g.Node("Gemm", [first, Weight("pooler.dense.weight", h, h), Bias("pooler.dense.bias", h)], null,
            OnnxGraphWriter.FloatAttribute("alpha", 1f), OnnxGraphWriter.FloatAttribute("beta", 1f), OnnxGraphWriter.IntAttribute("transB", 1));
        g.Node("Tanh", [pooled], "pooler_output");

        g.Output("last_hidden_state", OnnxGraphWriter.FloatType, batch, "sequence", h);
        g.Output("pooler_output", OnnxGraphWriter.FloatType, batch, h);
        var version = typeof(EncoderGraph).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return g.Model("generated-bert-encoder", IrVersion, Opset, "ModelSelection.OnnxRuntime.GeneratedEncoder", version);

        string LayerNorm(OnnxGraphWriter w, string input, string name, long size, string? output)
        {
            var mean = w.Node("ReduceMean", [input], null, OnnxGraphWriter.IntsAttribute("axes", -1));
            var centred = w.Node("Sub", [input, mean]);
            var variance = w.Node("ReduceMean", [w.Node("Pow", [centred, w.Scalar(2f)])], null, OnnxGraphWriter.IntsAttribute("axes", -1));
            var deviation = w.Node("Sqrt", [w.Node("Add", [variance, w.Scalar(1e-12f)])]);
            var normalised = w.Node("Div", [centred, deviation]);
            var scaled = w.Node("Mul", [normalised, w.FloatInitializer($"{name}.weight", [size], Constant(1f))]);
            return w.Node("Add", [scaled, w.FloatInitializer($"{name}.bias", [size], Constant(0f))], output);
        }
    }
}
