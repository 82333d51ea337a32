using Microsoft.ML.OnnxRuntime;
using ModelSelection.OnnxRuntime;
using ModelSelection.OnnxRuntime.Internal;

namespace ModelSelection.Tests.OnnxRuntime;

/// <summary><see cref="InputBinder"/>: how each input of a session is shaped and filled, on small graphs written with <see cref="OnnxGraphWriter"/>.</summary>
[Collection(OnnxRuntimeSerial.Name)]
public sealed class InputBinderTests
{
    private const int Float16Type = 10;

    [Fact]
    public void Bind_GeneratedEncoder_FillsIdsMaskAndTokenTypes()
    {
        using var session = new InferenceSession(GeneratedEncoder.Create(new EncoderShape(1, 32, 2, 64) { VocabularySize = 5000 }));

        using var inputs = InputBinder.Bind(session, new ShapeToMeasure(2, 5), 5000, "encoder");

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], inputs.Names);
        Assert.Equal(3 * 2 * 5 * 8, inputs.Bytes);
        var values = inputs.Values.ToArray();
        Assert.All(values, v => Assert.Equal([2L, 5], v.GetTensorTypeAndShape().Shape));
        Assert.All(values[0].GetTensorDataAsSpan<long>().ToArray(), id => Assert.InRange(id, 1000, 4999));
        Assert.All(values[1].GetTensorDataAsSpan<long>().ToArray(), m => Assert.Equal(1, m));
        Assert.All(values[2].GetTensorDataAsSpan<long>().ToArray(), t => Assert.Equal(0, t));

        // Deterministic per shape and name.
        using var again = InputBinder.Bind(session, new ShapeToMeasure(2, 5), 5000, "encoder");
        Assert.Equal(values[0].GetTensorDataAsSpan<long>().ToArray(), again.Values.First().GetTensorDataAsSpan<long>().ToArray());
    }

    [Fact]
    public void Bind_PositionsAndUnnamedDimensions_BindByPositionAndCountAlongTheSequence()
    {
        var g = new OnnxGraphWriter();
        g.Input("position_ids", OnnxGraphWriter.Int64Type, null, null);
        g.Input("features", OnnxGraphWriter.FloatType, "N", "T", 3L);
        g.Node("Identity", ["position_ids"], "positions_out");
        g.Node("Identity", ["features"], "features_out");
        g.Output("positions_out", OnnxGraphWriter.Int64Type, null, null);
        g.Output("features_out", OnnxGraphWriter.FloatType, "N", "T", 3L);
        using var session = new InferenceSession(g.Model("test", 8, 13, "tests", "1").ToArray());

        using var inputs = InputBinder.Bind(session, new ShapeToMeasure(2, 4), null, "test");

        var values = inputs.Values.ToArray();
        Assert.Equal([0L, 1, 2, 3, 0, 1, 2, 3], values[0].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal([2L, 4, 3], values[1].GetTensorTypeAndShape().Shape);
        Assert.Contains(values[1].GetTensorDataAsSpan<float>().ToArray(), f => f != 0);
    }

    [Fact]
    public void Check_UnfillableType_NamesTheInputItsTypeAndShape()
    {
        var g = new OnnxGraphWriter();
        g.Input("pixels", Float16Type, "batch", 3L);
        g.Node("Cast", ["pixels"], "out", OnnxGraphWriter.IntAttribute("to", OnnxGraphWriter.FloatType));
        g.Output("out", OnnxGraphWriter.FloatType, "batch", 3L);
        using var session = new InferenceSession(g.Model("test", 8, 13, "tests", "1").ToArray());

        var error = Assert.Throws<ArgumentException>(() => InputBinder.Check(session, new ShapeToMeasure(1, 8), "model.onnx"));

        Assert.Equal("model.onnx: input 'pixels' (Float16[batch, 3]) cannot be filled: the measurer fills int64, int32 and float tensors only. (Parameter 'onnxPath')", error.Message);
    }

    [Fact]
    public void Check_ThreeFreeDimensions_IsRefused()
    {
        var g = new OnnxGraphWriter();
        g.Input("x", OnnxGraphWriter.FloatType, "batch", "sequence", "width");
        g.Node("Identity", ["x"], "y");
        g.Output("y", OnnxGraphWriter.FloatType, "batch", "sequence", "width");
        using var session = new InferenceSession(g.Model("test", 8, 13, "tests", "1").ToArray());

        var error = Assert.Throws<ArgumentException>(() => InputBinder.Check(session, new ShapeToMeasure(1, 8), "model.onnx"));

        Assert.Contains("input 'x' (Float[batch, sequence, width]) cannot be filled: it has more free dimensions than a batch and a sequence (dimension 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FixedSequenceContradicted_NamesTheDimension()
    {
        var g = new OnnxGraphWriter();
        g.Input("input_ids", OnnxGraphWriter.Int64Type, "batch", 16L);
        g.Node("Identity", ["input_ids"], "y");
        g.Output("y", OnnxGraphWriter.Int64Type, "batch", 16L);
        using var session = new InferenceSession(g.Model("test", 8, 13, "tests", "1").ToArray());

        Assert.Equal([[3L, 16]], InputBinder.Check(session, new ShapeToMeasure(3, 16), "m"));
        var error = Assert.Throws<ArgumentException>(() => InputBinder.Check(session, new ShapeToMeasure(3, 8), "m"));

        Assert.Contains("input 'input_ids' (Int64[batch, 16]) fixes dimension 1, where the sequence goes, at 16; the shape 3x8 asks for sequence length 8. This model runs only at sequence length 16.", error.Message, StringComparison.Ordinal);
    }
}
