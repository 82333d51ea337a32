using System.Globalization;

namespace ModelSelection.Planning;

/// <summary>
/// The scaling laws planning rests on: Chinchilla's compute-optimal allocation and parametric loss (Hoffmann et al.
/// 2022) and the value of repeated data (Muennighoff et al. 2023).
/// </summary>
/// <remarks>
/// <para>
/// Compute-optimal: D ≈ 20·N tokens for N parameters, with training compute C ≈ 6·N·D, so N = √(C / 120) and
/// D = √(20·C / 6) (Hoffmann et al. 2022, the paper's summary of Table 3; C = 5.76e23 gives 69 B parameters and
/// 1.39 T tokens, Chinchilla's own 70 B / 1.4 T).
/// </para>
/// <para>
/// Loss: L(N, D) = E + A / N^α + B / D^β with E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28 (Hoffmann et al.
/// 2022, Approach 3, Equation 10). In nats per token on the paper's MassiveText distribution: compare sizes, do not
/// read it as the loss of another data set.
/// </para>
/// <para>
/// Repeated data: U unique tokens seen for E epochs are worth D′ = U + U·R*·(1 − e^(−(E − 1)/R*)) unique tokens, with
/// R* = 15.4 (Muennighoff et al. 2023, Equation 5 and the fitted R*_D): about 4 epochs cost little, beyond about 16
/// extra epochs add almost nothing.
/// </para>
/// </remarks>
public static class ScalingLaws
{
    /// <summary>Tokens per parameter at the compute-optimal point (Chinchilla).</summary>
    public const double TokensPerParameter = 20;

    /// <summary>Training FLOPs per parameter per token (forward + backward).</summary>
    public const double FlopsPerParameterPerToken = 6;

    /// <summary>Chinchilla's irreducible loss E.</summary>
    public const double E = 1.69;

    /// <summary>Chinchilla's parameter coefficient A.</summary>
    public const double A = 406.4;

    /// <summary>Chinchilla's data coefficient B.</summary>
    public const double B = 410.7;

    /// <summary>Chinchilla's parameter exponent α.</summary>
    public const double Alpha = 0.34;

    /// <summary>Chinchilla's data exponent β.</summary>
    public const double Beta = 0.28;

    /// <summary>Muennighoff et al.'s decay constant R*_D for repeated data.</summary>
    public const double RepeatedDataDecay = 15.4;

    /// <summary>Epochs up to which repeating data costs little (Muennighoff et al. 2023).</summary>
    public const double CheapEpochs = 4;

    /// <summary>Gets the compute-optimal parameters and tokens for a budget: N = √(C / 120), D = 20·N.</summary>
    /// <param name="budget">The training compute.</param>
    /// <returns>Parameters and tokens (as doubles: the law is continuous).</returns>
    public static (double Parameters, double Tokens) ComputeOptimal(ComputeBudget budget)
    {
        var n = Math.Sqrt(budget.Flops / (FlopsPerParameterPerToken * TokensPerParameter));
        return (n, TokensPerParameter * n);
    }

    /// <summary>Gets Chinchilla's predicted loss L(N, D) = E + A/N^α + B/D^β.</summary>
    /// <param name="parameters">Parameters, greater than 0.</param>
    /// <param name="tokens">Training tokens (effective, for repeated data), greater than 0.</param>
    /// <returns>The loss in nats per token.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not a finite positive number.</exception>
    public static double PredictedLoss(double parameters, double tokens)
    {
        Internal.Guard.FinitePositive(parameters, "Parameters");
        Internal.Guard.FinitePositive(tokens, "Tokens");
        return E + (A / Math.Pow(parameters, Alpha)) + (B / Math.Pow(tokens, Beta));
    }

    /// <summary>Gets the unique-token value of repeated data: U + U·R*·(1 − e^(−(epochs − 1)/R*)).</summary>
    /// <param name="uniqueTokens">Unique tokens, 0 or more.</param>
    /// <param name="epochs">Passes over them, 1 or more.</param>
    /// <returns>The effective tokens.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double EffectiveTokens(double uniqueTokens, double epochs)
    {
        Internal.Guard.FiniteNonNegative(uniqueTokens, "Unique tokens");
        if (!double.IsFinite(epochs) || epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, string.Create(CultureInfo.InvariantCulture, $"Epochs must be a finite number of 1 or more; was {epochs}."));
        }

        var repetitions = epochs - 1;
        return uniqueTokens + (uniqueTokens * RepeatedDataDecay * (1 - Math.Exp(-repetitions / RepeatedDataDecay)));
    }
}
