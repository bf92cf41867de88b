using System.Runtime.CompilerServices;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Training;

/// <summary>Counts events and keeps the newest timestamp while they stream into the trainer.</summary>
internal sealed class EventTally
{
    public long Events { get; private set; }
    public DateTimeOffset? Newest { get; private set; }

    public async IAsyncEnumerable<BehaviorEvent> Count(IAsyncEnumerable<BehaviorEvent> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Events++;
            if (Newest is null || e.Timestamp > Newest)
            {
                Newest = e.Timestamp;
            }

            yield return e;
        }
    }
}
