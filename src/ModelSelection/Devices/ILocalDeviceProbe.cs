namespace ModelSelection.Devices;

/// <summary>Measures the machine the application runs on and describes it as a <see cref="DeviceProfile"/> (id <c>local</c>).</summary>
public interface ILocalDeviceProbe
{
    /// <summary>Probes this machine's CPU: memory available to the process, cores, instruction sets, sustained fp32 FLOP/s and memory bandwidth.</summary>
    /// <param name="options">The time budget and progress sink; <see langword="null"/> for the defaults (and the per-process cached result).</param>
    /// <param name="cancellationToken">Cancels the measurement.</param>
    /// <returns>The profile; its <see cref="DeviceProfile.Measurement"/> says how each measured field was measured.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<DeviceProfile> ProbeAsync(LocalProbeOptions? options = null, CancellationToken cancellationToken = default);
}
