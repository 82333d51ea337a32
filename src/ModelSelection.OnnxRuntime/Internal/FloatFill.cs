namespace ModelSelection.OnnxRuntime.Internal;

/// <summary>Fills a span with the next values of a tensor (see <see cref="OnnxGraphWriter.FloatInitializer"/>).</summary>
/// <param name="values">The span to fill.</param>
internal delegate void FloatFill(Span<float> values);
