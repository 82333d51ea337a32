using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ModelSelection.Internal;
using UnitsNet;

namespace ModelSelection;

/// <summary>
/// A compute budget: the total floating-point operations a training or fine-tuning run may spend.
/// </summary>
/// <remarks>
/// <para>
/// Build it from FLOPs directly (<c>1e21</c>), from a rate × a duration × a utilisation (model-FLOPs utilisation,
/// MFU, in (0, 1]), from devices × count × hours × utilisation, or from money ÷ price per device-hour. Scaling
/// laws are stated in these units: Chinchilla's compute-optimal 70 B model used about 5.76e23 FLOPs
/// (Hoffmann et al. 2022), and training costs about 6 FLOPs per parameter per token.
/// </para>
/// <para>
/// Values are finite and not negative; the default value is <see cref="Zero"/>. This type is immutable and thread-safe.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.ComputeBudgetJsonConverter))]
public readonly struct ComputeBudget : IEquatable<ComputeBudget>, IComparable<ComputeBudget>, IComparable, System.Numerics.IComparisonOperators<ComputeBudget, ComputeBudget, bool>, ISpanFormattable, IParsable<ComputeBudget>
{
    private const double SecondsPerHour = 3600;

    private static readonly string[] UnitWords = ["FLOPs", "FLOP"];

    private readonly double _flops;

    private ComputeBudget(double flops) => _flops = flops;

    /// <summary>Gets an empty budget.</summary>
    public static ComputeBudget Zero => default;

    /// <summary>Gets the budget in FLOPs.</summary>
    public double Flops => _flops;

    /// <summary>Creates a budget of a number of FLOPs.</summary>
    /// <param name="flops">The FLOPs; finite, 0 or more.</param>
    /// <returns>The budget.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="flops"/> is NaN, infinite or negative.</exception>
    public static ComputeBudget FromFlops(double flops) => new(Guard.FiniteNonNegative(flops, "Compute budget in FLOPs"));

    /// <summary>Creates a budget of a FLOP count.</summary>
    /// <param name="flops">The FLOPs.</param>
    /// <returns>The budget.</returns>
    public static ComputeBudget FromFlopCount(FlopCount flops) => new(flops.Flops);

    /// <summary>Creates the budget that a rate delivers over a time at a utilisation: <c>rate × seconds × utilization</c>.</summary>
    /// <param name="peak">The peak rate (one device, or all devices together).</param>
    /// <param name="duration">The wall-clock time; finite, 0 or more.</param>
    /// <param name="utilization">The fraction of the peak actually achieved (MFU), in (0, 1]; 0.3–0.5 is typical of large training runs.</param>
    /// <returns>The budget.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative or not finite, <paramref name="utilization"/> is outside (0, 1], or the product is not finite.</exception>
    public static ComputeBudget FromThroughput(FlopRate peak, Duration duration, double utilization)
    {
        var seconds = Guard.FiniteNonNegative(duration.Seconds, "Duration in seconds", nameof(duration));
        Guard.Utilization(utilization);
        return new(Guard.FiniteNonNegative(peak.FlopsPerSecond * seconds * utilization, "Compute budget in FLOPs", nameof(duration)));
    }

    /// <summary>Creates the budget of a number of identical devices running for a time: <c>peak × count × seconds × utilization</c>.</summary>
    /// <param name="peakPerDevice">The peak rate of one device at the training precision.</param>
    /// <param name="deviceCount">The number of devices, 1 or more.</param>
    /// <param name="duration">The wall-clock time; finite, 0 or more.</param>
    /// <param name="utilization">The model-FLOPs utilisation, in (0, 1].</param>
    /// <returns>The budget.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the product is not finite.</exception>
    public static ComputeBudget FromDevices(FlopRate peakPerDevice, int deviceCount, Duration duration, double utilization)
    {
        Guard.Positive(deviceCount, "Device count");
        return FromThroughput(peakPerDevice * deviceCount, duration, utilization);
    }

    /// <summary>Creates the budget that money buys at a price per device-hour: <c>(usd ÷ price) × 3600 × peak × utilization</c>.</summary>
    /// <param name="budgetUsd">The money to spend, in US dollars; 0 or more.</param>
    /// <param name="pricePerDeviceHourUsd">The price of one device for one hour, in US dollars; greater than 0.</param>
    /// <param name="peakPerDevice">The peak rate of one device at the training precision.</param>
    /// <param name="utilization">The model-FLOPs utilisation, in (0, 1].</param>
    /// <returns>The budget.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the product is not finite.</exception>
    public static ComputeBudget FromSpend(decimal budgetUsd, decimal pricePerDeviceHourUsd, FlopRate peakPerDevice, double utilization)
    {
        if (budgetUsd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(budgetUsd), budgetUsd, $"Budget in USD must be 0 or more; was {budgetUsd.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (pricePerDeviceHourUsd <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pricePerDeviceHourUsd), pricePerDeviceHourUsd, $"Price per device-hour in USD must be greater than 0; was {pricePerDeviceHourUsd.ToString(CultureInfo.InvariantCulture)}.");
        }

        var deviceHours = (double)budgetUsd / (double)pricePerDeviceHourUsd;
        return FromThroughput(peakPerDevice, Duration.FromHours(deviceHours), utilization);
    }

    /// <summary>Gets the budget as a FLOP count.</summary>
    /// <returns>The FLOPs.</returns>
    public FlopCount ToFlopCount() => FlopCount.FromFlops(_flops);

    /// <summary>Gets the wall-clock time to spend the budget at a peak rate and utilisation.</summary>
    /// <param name="peak">The peak rate (all devices together); greater than zero.</param>
    /// <param name="utilization">The model-FLOPs utilisation, in (0, 1].</param>
    /// <returns>The time.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="peak"/> is zero or <paramref name="utilization"/> is outside (0, 1].</exception>
    public Duration ToDuration(FlopRate peak, double utilization)
    {
        Guard.FinitePositive(peak.FlopsPerSecond, "Peak FLOP rate", nameof(peak));
        Guard.Utilization(utilization);
        return Duration.FromSeconds(_flops / (peak.FlopsPerSecond * utilization));
    }

    /// <summary>Gets the device-hours needed to spend the budget on devices of a peak rate at a utilisation.</summary>
    /// <param name="peakPerDevice">The peak rate of one device; greater than zero.</param>
    /// <param name="utilization">The model-FLOPs utilisation, in (0, 1].</param>
    /// <returns>The device-hours.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="peakPerDevice"/> is zero or <paramref name="utilization"/> is outside (0, 1].</exception>
    public double ToDeviceHours(FlopRate peakPerDevice, double utilization) =>
        ToDuration(peakPerDevice, utilization).Seconds / SecondsPerHour;

    /// <summary>Adds two budgets.</summary>
    /// <param name="other">The budget to add.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum is not finite.</exception>
    public ComputeBudget Add(ComputeBudget other) => new(Guard.FiniteNonNegative(_flops + other._flops, "The sum of compute budgets", nameof(other)));

    /// <inheritdoc/>
    public bool Equals(ComputeBudget other) => _flops.Equals(other._flops);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ComputeBudget other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _flops.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(ComputeBudget other) => _flops.CompareTo(other._flops);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="ComputeBudget"/>.</exception>
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        ComputeBudget other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(ComputeBudget)}; was {obj.GetType()}.", nameof(obj)),
    };

    /// <summary>Formats the budget, e.g. <c>1e21 FLOP</c> or <c>3.2 PFLOP</c>, in the current culture.</summary>
    /// <returns>The text (format <c>G</c>).</returns>
    public override string ToString() => ToString(null, null);

    /// <summary>Formats the budget, as <see cref="FlopCount.ToString(string?, IFormatProvider?)"/> does.</summary>
    /// <param name="format"><c>G</c> (default), <c>G1</c>…<c>G15</c> or <c>R</c>.</param>
    /// <param name="formatProvider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The formatted budget.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not one of the formats above.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        SiFormatting.Format(_flops, format, "FLOP", "Compute budget", formatProvider);

    /// <inheritdoc cref="ToString(string?, IFormatProvider?)"/>
    /// <param name="destination">The span to write to.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">The format; see <see cref="ToString(string?, IFormatProvider?)"/>.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns><see langword="true"/> when the text fitted in <paramref name="destination"/>.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        SpanFormatting.TryCopy(ToString(format.IsEmpty ? null : format.ToString(), provider), destination, out charsWritten);

    /// <summary>Parses a budget as <see cref="FlopCount.Parse(string, IFormatProvider?)"/> does: <c>1e21</c>, <c>5.76e23 FLOPs</c>, <c>3 PFLOP</c>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <returns>The budget.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a finite, non-negative FLOP count.</exception>
    public static ComputeBudget Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return SiFormatting.TryParse(s, UnitWords, provider, out var flops, out var error)
            ? new ComputeBudget(flops)
            : throw new FormatException($"'{s}' is not a valid compute budget: {error}.");
    }

    /// <summary>Parses a budget in the current culture, as <see cref="ToString()"/> formats it.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The budget.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a finite, non-negative FLOP count.</exception>
    public static ComputeBudget Parse(string s) => Parse(s, CultureInfo.CurrentCulture);

    /// <summary>Tries to parse a budget; see <see cref="Parse(string, IFormatProvider?)"/>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">The culture; <see langword="null"/> for the current culture.</param>
    /// <param name="result">The budget, or <see cref="Zero"/> when parsing failed.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> was a valid budget.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ComputeBudget result)
    {
        var ok = SiFormatting.TryParse(s, UnitWords, provider, out var flops, out _);
        result = ok ? new ComputeBudget(flops) : Zero;
        return ok;
    }

    /// <summary>Adds two budgets.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sum is not finite.</exception>
    public static ComputeBudget operator +(ComputeBudget left, ComputeBudget right) => left.Add(right);

    /// <summary>Compares two budgets for equality.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(ComputeBudget left, ComputeBudget right) => left.Equals(right);

    /// <summary>Compares two budgets for inequality.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(ComputeBudget left, ComputeBudget right) => !left.Equals(right);

    /// <summary>Tells whether the first budget is smaller.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(ComputeBudget left, ComputeBudget right) => left.CompareTo(right) < 0;

    /// <summary>Tells whether the first budget is larger.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    public static bool operator >(ComputeBudget left, ComputeBudget right) => left.CompareTo(right) > 0;

    /// <summary>Tells whether the first budget is smaller or equal.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(ComputeBudget left, ComputeBudget right) => left.CompareTo(right) <= 0;

    /// <summary>Tells whether the first budget is larger or equal.</summary>
    /// <param name="left">The first budget.</param>
    /// <param name="right">The second budget.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger or equal.</returns>
    public static bool operator >=(ComputeBudget left, ComputeBudget right) => left.CompareTo(right) >= 0;
}
