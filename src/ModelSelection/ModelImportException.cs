namespace ModelSelection;

/// <summary>
/// A model description could not be read: a <c>config.json</c>, a safetensors header or index, or a catalog entry is
/// malformed, inconsistent or of an unsupported architecture. The message names the source, the location (a JSON
/// path such as <c>$.num_attention_heads</c>, or a place in the file) and what was expected.
/// </summary>
public sealed class ModelImportException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ModelImportException()
        : this("A model description could not be read.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelImportException(string message)
        : base(message)
    {
        SourceName = string.Empty;
        Location = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelImportException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
        Location = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception that names the source, the location and the problem.</summary>
    /// <param name="sourceName">The file path or catalog entry that was being read.</param>
    /// <param name="location">Where in it: a JSON path (<c>$.hidden_size</c>) or a place in the file (<c>header length</c>).</param>
    /// <param name="problem">What was wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ModelImportException(string sourceName, string location, string problem, Exception? innerException = null)
        : base($"{sourceName}: {location}: {problem}", innerException)
    {
        SourceName = sourceName;
        Location = location;
        Problem = problem;
    }

    /// <summary>Gets the file path or catalog entry that was being read.</summary>
    public string SourceName { get; }

    /// <summary>Gets where in the source the problem is: a JSON path or a place in the file.</summary>
    public string Location { get; }

    /// <summary>Gets what was wrong and what was expected.</summary>
    public string Problem { get; }
}
