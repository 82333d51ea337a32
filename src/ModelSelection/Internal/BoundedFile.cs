namespace ModelSelection.Internal;

/// <summary>
/// The one way the readers open a user's file: a regular file, confined where asked, read up to a cap whatever the file
/// system claims. Special files (devices such as <c>/dev/zero</c>, FIFOs, <c>/proc</c> entries) report a length of 0
/// and are refused before they are opened, so a read can neither run out of memory nor block.
/// </summary>
internal static class BoundedFile
{
    /// <summary>Checks that <paramref name="path"/> is a readable regular file of 1 to <paramref name="maxBytes"/> bytes; returns its length.</summary>
    /// <exception cref="FileNotFoundException">No file is there.</exception>
    /// <exception cref="ModelImportException">It is a directory, empty or special, too large, or a link that cannot be resolved (a loop).</exception>
    public static long Check(string path, long maxBytes, string what)
    {
        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (file.LinkTarget is not null)
            {
                // Resolving a loop throws IOException: name the problem instead.
                _ = file.ResolveLinkTarget(returnFinalTarget: true);
            }
        }
        catch (IOException exception)
        {
            throw new ModelImportException(path, "file", $"expected {what}; the path is a symbolic link that cannot be resolved (a loop or too many levels)", exception);
        }

        if (Directory.Exists(path))
        {
            throw new ModelImportException(path, "file", $"expected {what}; found a directory");
        }

        if (!file.Exists)
        {
            throw new FileNotFoundException($"No {what} at '{path}'.", path);
        }

        var length = file.Length;
        if (length == 0)
        {
            throw new ModelImportException(path, "file", $"expected {what}; the file is empty or not a regular file (a device, FIFO or pseudo-file, which are not read)");
        }

        return length <= maxBytes
            ? length
            : throw new ModelImportException(path, "file", $"expected {what} of at most {maxBytes} bytes; found {length} bytes");
    }

    /// <summary>Reads the whole file after <see cref="Check"/>, never more than <paramref name="maxBytes"/> bytes even if it grows while read.</summary>
    /// <exception cref="FileNotFoundException">No file is there.</exception>
    /// <exception cref="ModelImportException">As <see cref="Check"/>, or the file grew past the cap while it was read.</exception>
    public static byte[] ReadAll(string path, long maxBytes, string what)
    {
        var length = Check(path, maxBytes, what);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
            {
                Array.Resize(ref buffer, read);
                return buffer;
            }

            read += n;
        }

        // Something more than the length said: a file that grows while read is not a config.
        return stream.ReadByte() < 0
            ? buffer
            : throw new ModelImportException(path, "file", $"expected {what} of at most {length} bytes, the length it had when opened; it grew while it was read");
    }

    /// <summary>Reads the whole file asynchronously, as <see cref="ReadAll"/>: the same checks, cap and errors.</summary>
    /// <exception cref="FileNotFoundException">No file is there.</exception>
    /// <exception cref="ModelImportException">As <see cref="ReadAll"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<byte[]> ReadAllAsync(string path, long maxBytes, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var length = Check(path, maxBytes, what);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    Array.Resize(ref buffer, read);
                    return buffer;
                }

                read += n;
            }

            return await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0
                ? buffer
                : throw new ModelImportException(path, "file", $"expected {what} of at most {length} bytes, the length it had when opened; it grew while it was read");
        }
    }

    /// <summary>
    /// Reads a stream to its end, never more than <paramref name="maxBytes"/> bytes: a seekable stream longer than that is
    /// refused unread, with the message <see cref="Check"/> gives a file; any other is refused at the first byte past the cap.
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot read.</exception>
    /// <exception cref="ModelImportException">The stream is empty or longer than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, string what, string sourceName, CancellationToken cancellationToken)
    {
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (stream.CanSeek && stream.Length - stream.Position is var length && length > maxBytes)
        {
            throw new ModelImportException(sourceName, "file", $"expected {what} of at most {maxBytes} bytes; found {length} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[(int)Math.Min(81_920, maxBytes + 1)];
        while (true)
        {
            var n = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, n);
            if (buffer.Length > maxBytes)
            {
                throw new ModelImportException(sourceName, "file", $"expected {what} of at most {maxBytes} bytes; the stream holds more");
            }
        }

        return buffer.Length > 0
            ? buffer.ToArray()
            : throw new ModelImportException(sourceName, "file", $"expected {what}; the stream is empty");
    }

    /// <summary>
    /// Resolves <paramref name="path"/> (following every link) and refuses it unless the final target lies inside
    /// <paramref name="folder"/> — a shard that is a link to a file outside the checkpoint is refused, not followed.
    /// </summary>
    /// <exception cref="ModelImportException">The target is outside the folder, or the link cannot be resolved.</exception>
    public static string Confine(string path, string folder, string source, string location)
    {
        string target;
        try
        {
            target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException exception)
        {
            throw new ModelImportException(source, location, $"the shard '{Path.GetFileName(path)}' is a symbolic link that cannot be resolved (a loop or too many levels)", exception);
        }

        var root = Path.GetFullPath(folder);
        var realRoot = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;
        foreach (var allowed in new[] { root, realRoot })
        {
            var prefix = Path.EndsInDirectorySeparator(allowed) ? allowed : allowed + Path.DirectorySeparatorChar;
            if (target.StartsWith(prefix, StringComparison.Ordinal))
            {
                return path;
            }
        }

        throw new ModelImportException(source, location, $"the shard '{Path.GetFileName(path)}' resolves to a file outside the checkpoint folder {root}; it is not read");
    }
}
