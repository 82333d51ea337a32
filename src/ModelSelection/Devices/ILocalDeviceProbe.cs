namespace ModelSelection.Devices;

/// <summary>Measures the machine the application runs on and describes it as a <see cref="DeviceProfile"/> (id <c>local</c>).</summary>
public interface ILocalDeviceProbe
{
    /// <summary>Probes this machine's CPU: memory available to the process, cores, instruction sets, sustained fp32 FLOP/s, int8 OP/s where the CPU has an int8 dot product, and memory bandwidth.</summary>
    /// <param name="options">The time budget, repeats, progress sink and cache; <see langword="null"/> for the probe's defaults (and the per-process cached result).</param>
    /// <param name="cancellationToken">Cancels the measurement.</param>
    /// <returns>The profile; its <see cref="DeviceProfile.Measurement"/> says how each measured field was measured.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The implementation cannot measure faithfully here (e.g. <see cref="LocalDeviceProbe"/> in a Debug build with nothing cached).</exception>
    Task<DeviceProfile> ProbeAsync(LocalProbeOptions? options = null, CancellationToken cancellationToken = default);
}
