using System.Collections.Immutable;

namespace ModelSelection.Planning;

/// <summary>A size under a budget: parameters, the tokens the budget lets it see, and its predicted loss.</summary>
/// <param name="Parameters">Parameters.</param>
/// <param name="Tokens">Tokens seen: budget ÷ (6 · parameters).</param>
/// <param name="Epochs">Passes over the data set, when one was given; else <see langword="null"/>.</param>
/// <param name="PredictedLoss">Chinchilla's L(N, D′) with D′ the effective tokens of repeated data.</param>
public sealed record SizeOption(double Parameters, double Tokens, double? Epochs, double PredictedLoss);

/// <summary>
/// A pre-training plan: the compute-optimal size and tokens for a budget, the predicted loss, the data-limited
/// recommendation when the data set is smaller, a comparison of sizes under the same budget, and time and cost on
/// devices when they were given.
/// </summary>
/// <param name="Budget">The compute budget.</param>
/// <param name="OptimalParameters">Compute-optimal parameters, √(C / 120).</param>
/// <param name="OptimalTokens">Compute-optimal tokens, 20 × parameters.</param>
/// <param name="PredictedLoss">Predicted loss at the optimum.</param>
/// <param name="Dataset">The unique tokens available, or <see langword="null"/>.</param>
/// <param name="DataLimited">The recommendation when the data set is smaller than the optimal tokens, else <see langword="null"/>.</param>
/// <param name="Comparison">Sizes from a quarter to four times the optimum under the same budget.</param>
/// <param name="Hours">Wall-clock hours on the given devices at the given utilisation, or <see langword="null"/>.</param>
/// <param name="CostUsd">Their cost, or <see langword="null"/>.</param>
/// <param name="Advice">Sentences with their sources.</param>
public sealed record PretrainingPlan(
    ComputeBudget Budget,
    double OptimalParameters,
    double OptimalTokens,
    double PredictedLoss,
    DatasetSize? Dataset,
    SizeOption? DataLimited,
    ImmutableArray<SizeOption> Comparison,
    double? Hours,
    double? CostUsd,
    ImmutableArray<string> Advice);
