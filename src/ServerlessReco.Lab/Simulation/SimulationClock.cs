namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The simulated shop's clock: it stands still until the loop moves it on, so every store, the retrain and serving
/// see the same simulated time and nothing depends on how fast the machine runs.
/// </summary>
public sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
