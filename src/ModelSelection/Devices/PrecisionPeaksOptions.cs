namespace ModelSelection.Devices;

/// <summary>Bindable peaks per precision in FLOP/s (<c>appsettings.json</c>); unset entries keep the base profile's value.</summary>
public sealed class PrecisionPeaksOptions
{
    /// <summary>Gets or sets the fp32 peak in FLOP/s.</summary>
    public double? Fp32 { get; set; }

    /// <summary>Gets or sets the tf32 peak in FLOP/s.</summary>
    public double? Tf32 { get; set; }

    /// <summary>Gets or sets the fp16 peak in FLOP/s.</summary>
    public double? Fp16 { get; set; }

    /// <summary>Gets or sets the bf16 peak in FLOP/s.</summary>
    public double? Bf16 { get; set; }

    /// <summary>Gets or sets the fp8 peak in FLOP/s.</summary>
    public double? Fp8 { get; set; }

    /// <summary>Gets or sets the int8 peak in OP/s.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int8 is the name of the precision, not a type.")]
    public double? Int8 { get; set; }

    /// <summary>Gets or sets the int4 peak in OP/s.</summary>
    public double? Int4 { get; set; }

    /// <summary>Gets or sets whether the precisions left unset here are unsupported, instead of kept from the base profile.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ReplaceAll { get; set; }
}
