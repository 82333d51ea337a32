using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ModelSelection.Devices;

namespace ModelSelection.Internal;

/// <summary>
/// The local probe's on-disk cache: one small JSON file per machine key (CPU model, logical cores, memory, runtime,
/// architecture, probe version and the probe's settings) under the user's cache directory. Best effort: an unreadable,
/// mismatched or unwritable file is ignored and the probe measures.
/// </summary>
internal static class ProbeCache
{
    /// <summary>Gets the default cache directory: <c>$XDG_CACHE_HOME/ModelSelection</c> or <c>~/.cache/ModelSelection</c> on Linux, the local application data folder elsewhere.</summary>
    public static string DefaultDirectory
    {
        get
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                return Path.Combine(root, "ModelSelection");
            }

            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "ModelSelection");
        }
    }

    /// <summary>The file for <paramref name="key"/> in <paramref name="directory"/>: <c>local-probe-{first 16 hex digits of SHA-256(key)}.json</c>.</summary>
    public static string PathFor(string directory, string key)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(directory, "local-probe-" + hash[..16].ToLowerInvariant() + ".json");
    }

    /// <summary>Reads the cached profile for <paramref name="key"/>, or <see langword="null"/> when there is none, it is unreadable or it was written for another key.</summary>
    public static DeviceProfile? TryRead(string path, string key)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (JsonText.TryGetString(root.GetProperty("key")) != key)
            {
                return null;
            }

            var peaks = root.GetProperty("peakFlops");
            var measuredUtc = JsonText.TryGetString(root.GetProperty("measuredUtc")) ?? "an unknown time";
            var notes = JsonText.TryGetString(root.GetProperty("notes"));
            var origin = string.Create(CultureInfo.InvariantCulture, $"Read from the probe cache {path}, measured {measuredUtc} UTC; re-measure with LocalProbeOptions.Refresh (modelselect devices --probe --refresh).");
            return new DeviceProfile
            {
                Id = "local",
                DisplayName = JsonText.TryGetString(root.GetProperty("displayName")) ?? "This machine",
                Class = Enum.Parse<DeviceClass>(JsonText.TryGetString(root.GetProperty("class")) ?? nameof(DeviceClass.ServerCpu)),
                MemoryBytes = root.GetProperty("memoryBytes").GetInt64(),
                IsUnifiedMemory = true,
                MemoryBandwidthBytesPerSecond = root.GetProperty("memoryBandwidthBytesPerSecond").GetDouble(),
                PeakFlops = new PrecisionPeaks
                {
                    Fp32 = Optional(peaks, "fp32"),
                    Int8 = Optional(peaks, "int8"),
                    Bf16 = Optional(peaks, "bf16"),
                },
                ComputeEfficiency = 1,
                MemoryEfficiency = 1,
                Sources = ["measured on this machine by ModelSelection.Devices.LocalDeviceProbe", path],
                Measurement = JsonText.TryGetString(root.GetProperty("measurement")),
                Notes = notes is null ? origin : notes + " " + origin,
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="profile"/> for <paramref name="key"/> atomically (temporary file, then move); returns false when the directory is not writable.</summary>
    public static bool TryWrite(string path, string key, DeviceProfile profile, DateTime measuredUtc)
    {
        var temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = File.Create(temporary))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("key", key);
                writer.WriteString("measuredUtc", measuredUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                writer.WriteString("displayName", profile.DisplayName);
                writer.WriteString("class", profile.Class.ToString());
                writer.WriteNumber("memoryBytes", profile.MemoryBytes);
                writer.WriteNumber("memoryBandwidthBytesPerSecond", profile.MemoryBandwidthBytesPerSecond);
                writer.WriteStartObject("peakFlops");
                Write(writer, "fp32", profile.PeakFlops.Fp32);
                Write(writer, "int8", profile.PeakFlops.Int8);
                Write(writer, "bf16", profile.PeakFlops.Bf16);
                writer.WriteEndObject();
                writer.WriteString("measurement", profile.Measurement);
                writer.WriteString("notes", profile.Notes);
                writer.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // best effort: a stray temporary file is harmless
            }

            return false;
        }
    }

    private static double? Optional(JsonElement peaks, string name) =>
        peaks.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static void Write(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
