using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Azure.Cosmos;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// The requests both Cosmos stores make on their container (queries page by page, erasing a user's partition), with
/// the request units they were charged added up, so each store can report what it cost.
/// </summary>
internal sealed class CosmosRequests(Container container, int maxParallelWrites)
{
    private long _requestChargeMilli;

    public Container Container => container;

    /// <summary>Request units charged so far (as the service reported them).</summary>
    public double RequestCharge => Interlocked.Read(ref _requestChargeMilli) / 1000.0;

    public void AddCharge(double requestUnits) =>
        Interlocked.Add(ref _requestChargeMilli, (long)Math.Round(requestUnits * 1000));

    public async IAsyncEnumerable<T> QueryAsync<T>(
        QueryDefinition query, QueryRequestOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            AddCharge(page.RequestCharge);
            foreach (var item in page)
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// Deletes every document of one user's partition and returns how many. No transactional batch: one delete per
    /// document, a few at a time; a retry after a failure finishes the job.
    /// </summary>
    public async Task<int> DeletePartitionAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var partition = new PartitionKey(userId);
        var ids = new List<string>();
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.userId = @userId").WithParameter("@userId", userId);
        await foreach (var id in QueryAsync<string>(query, new QueryRequestOptions { PartitionKey = partition }, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }

        var deleted = 0;
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelWrites, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                using var response = await container.DeleteItemStreamAsync(id, partition, cancellationToken: ct).ConfigureAwait(false);
                AddCharge(response.Headers.RequestCharge);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return; // expired or deleted by a concurrent request meanwhile
                }

                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref deleted);
            }).ConfigureAwait(false);

        return deleted;
    }

    /// <summary>Creates the document; false when one with that id already exists in the partition.</summary>
    public async Task<bool> TryCreateAsync<T>(T document, string userId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.CreateItemAsync(
                document, new PartitionKey(userId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken).ConfigureAwait(false);
            AddCharge(response.RequestCharge);
            return true;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            AddCharge(ex.RequestCharge);
            return false;
        }
    }

    public static long FloorMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static long CeilingMs(DateTimeOffset t)
    {
        var ms = t.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < t ? ms + 1 : ms;
    }
}
