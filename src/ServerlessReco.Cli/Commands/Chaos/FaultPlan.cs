using System.Collections.Concurrent;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// What <c>reco chaos</c> injects into the real SDK clients and how often: a share of the store calls (10-30 %) meets a
/// fault, half of them as the store's own answer (429 throttled, 503 unavailable, 408 timed out: the SDK's retries are
/// below the hooks, so these are what a caller sees after them), a quarter as a connection dropped before the request
/// left, a quarter as a connection dropped after the store applied it (the write happened, the answer was lost: the
/// case that makes a retry a duplicate). Seeded, so that a run can be repeated; switched off for the checks at the end.
/// </summary>
internal sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, long> _injected = new(StringComparer.Ordinal);
    private long _calls;

    public FaultPlan(double rate, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 0.5);
        Rate = rate;
        _random = new Random(seed);
    }

    /// <summary>The share of store calls that meets a fault while <see cref="Enabled"/>.</summary>
    public double Rate { get; }

    public bool Enabled { get; set; }

    /// <summary>Store calls seen while enabled (Cosmos DB requests and Blob requests).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public long Injected => _injected.Values.Sum();

    /// <summary>Faults injected by kind ("cosmos 429", "blob dropped after" ...).</summary>
    public IReadOnlyDictionary<string, long> InjectedByKind => new SortedDictionary<string, long>(_injected, StringComparer.Ordinal);

    /// <summary>Counts one store call when faults are on, and says whether they are.</summary>
    public ValueTask<bool> CountCallAsync()
    {
        if (Enabled)
        {
            Interlocked.Increment(ref _calls);
        }

        return ValueTask.FromResult(Enabled);
    }

    public void Record(string kind) => _injected.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>A number in [0, 1) from the run's seeded generator (Polly's randomizer; calls come from many threads).</summary>
    public double Next()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>
    /// The pipeline that, after a call went through, drops its answer at a quarter of <see cref="Rate"/>: the store applied
    /// the request, the caller sees a connection reset.
    /// </summary>
    public ResiliencePipeline DroppedAfter(string store) => new ResiliencePipelineBuilder()
        .AddChaosFault(new ChaosFaultStrategyOptions
        {
            InjectionRate = Rate / 4,
            Randomizer = Next,
            EnabledGenerator = _ => ValueTask.FromResult(Enabled),
            FaultGenerator = new FaultGenerator().AddException(() => new HttpRequestException(
                "The connection was reset after the request was sent (injected)", new IOException("Connection reset by peer"))),
            OnFaultInjected = _ =>
            {
                Record($"{store} dropped after");
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>A connection dropped before the request left, at a quarter of <see cref="Rate"/>.</summary>
    public ChaosFaultStrategyOptions DroppedBefore(string store) => new()
    {
        InjectionRate = Rate / 4,
        Randomizer = Next,
        EnabledGenerator = _ => CountCallAsync(),
        FaultGenerator = new FaultGenerator().AddException(() => new HttpRequestException(
            "The connection was refused before the request was sent (injected)", new IOException("Connection refused"))),
        OnFaultInjected = _ =>
        {
            Record($"{store} dropped before");
            return ValueTask.CompletedTask;
        },
    };
}
