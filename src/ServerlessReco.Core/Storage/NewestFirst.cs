namespace ServerlessReco.Core.Storage;

/// <summary>The in-memory "newest first, at most N" of the stores' default read, for stores that hold everything in memory anyway.</summary>
internal static class NewestFirst
{
    public static async IAsyncEnumerable<T> TakeAsync<T>(
        IAsyncEnumerable<T> source, Func<T, bool> keep, Func<T, DateTimeOffset> time, int limit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var all = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (keep(item))
            {
                all.Add(item);
            }
        }

        foreach (var item in all.OrderByDescending(time).Take(limit))
        {
            yield return item;
        }
    }
}
