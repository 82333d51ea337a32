namespace ModelSelection.Samples.WebApi.Validation;

/// <summary>What a <see cref="KnownNameAttribute"/> checks a name (or each name of an array) against.</summary>
public enum NameKind
{
    /// <summary>A configured selection profile (<see cref="ISelectionProfiles.Names"/>).</summary>
    Profile,

    /// <summary>A device of the catalogs in force, or <c>local</c>.</summary>
    Device,

    /// <summary>A model of the catalogs in force.</summary>
    Model,

    /// <summary>A runtime (inference engine) of the catalogs in force.</summary>
    Runtime,

    /// <summary>A registered benchmark (an alias or retired id gets the registry's own message).</summary>
    Benchmark,

    /// <summary>A numeric precision or weight format name (<c>fp16</c>, <c>int8</c>, <c>q4_k_m</c>, …).</summary>
    Precision,

    /// <summary>A task name (<c>classification</c>, <c>text-generation</c>, …).</summary>
    Task,

    /// <summary>A <see cref="SelectionObjective"/> name, ignoring case.</summary>
    Objective,
}
