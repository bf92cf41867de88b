using System.Net;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>The two containers the stores use, once they are known to exist.</summary>
public sealed record CosmosContainers(Container Events, Container Items);

/// <summary>
/// The database layout: `events` partitioned by /userId with a time-to-live from the retention setting,
/// `items` partitioned by /id; each indexes only the paths its queries use, which keeps writes cheap.
/// </summary>
public static class CosmosSchema
{
    /// <summary>Seconds in a day: the container's default time-to-live is retention days times this.</summary>
    public const int SecondsPerDay = 86_400;

    /// <summary>
    /// Creates the database and containers when <see cref="CosmosStoreOptions.CreateIfMissing"/> is set and they
    /// are missing, and brings the events container's default time-to-live in line with <paramref name="retention"/>.
    /// </summary>
    public static async Task<CosmosContainers> EnsureAsync(
        CosmosClient client, CosmosStoreOptions options, RetentionPolicy retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retention);
        options.Validate();

        if (!options.CreateIfMissing)
        {
            var existing = client.GetDatabase(options.DatabaseName);
            return new CosmosContainers(existing.GetContainer(options.EventsContainer), existing.GetContainer(options.ItemsContainer));
        }

        Database database = await client.CreateDatabaseIfNotExistsAsync(options.DatabaseName, cancellationToken: cancellationToken)
            .ConfigureAwait(false);

        var events = await EnsureContainerAsync(database, EventsContainerProperties(options.EventsContainer, retention), cancellationToken)
            .ConfigureAwait(false);
        var items = await EnsureContainerAsync(database, ItemsContainerProperties(options.ItemsContainer), cancellationToken)
            .ConfigureAwait(false);
        return new CosmosContainers(events, items);
    }

    /// <summary>The container's default time-to-live for a retention policy: null (off) when events are kept forever.</summary>
    public static int? DefaultTimeToLive(RetentionPolicy retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        return retention.KeepsForever ? null : (int)Math.Min((long)retention.Days * SecondsPerDay, int.MaxValue);
    }

    internal static ContainerProperties EventsContainerProperties(string name, RetentionPolicy retention)
    {
        var properties = new ContainerProperties(name, "/userId") { DefaultTimeToLive = DefaultTimeToLive(retention) };

        // Queries filter on the user (the partition key) and filter and sort on the numeric timestamp;
        // nothing else is ever queried, so nothing else is indexed.
        properties.IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true };
        properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/userId/?" });
        properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/ts/?" });
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    internal static ContainerProperties ItemsContainerProperties(string name)
    {
        // Items are read by id (a point read) or all at once; no query needs a secondary index.
        var properties = new ContainerProperties(name, "/id")
        {
            IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true },
        };
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    private static async Task<Container> EnsureContainerAsync(Database database, ContainerProperties wanted, CancellationToken cancellationToken)
    {
        var response = await database.CreateContainerIfNotExistsAsync(wanted, throughput: (int?)null, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var container = response.Container;
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return container;
        }

        // The container was there already: the retention setting may have changed since it was created.
        var current = response.Resource;
        if (current.DefaultTimeToLive != wanted.DefaultTimeToLive)
        {
            current.DefaultTimeToLive = wanted.DefaultTimeToLive;
            await container.ReplaceContainerAsync(current, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return container;
    }
}
