using System.Net;
using Microsoft.Azure.Cosmos;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>The containers the stores use, once they are known to exist.</summary>
public sealed record CosmosContainers(Container Events, Container Items, Container ServedLists);

/// <summary>
/// The database layout: `events` partitioned by /userId with a time-to-live from the retention setting, `servedLists`
/// partitioned by /userId with a time-to-live of its own (30 days by default), `items` partitioned by /id; each indexes
/// only the paths its queries use, which keeps writes cheap.
/// </summary>
public static class CosmosSchema
{
    /// <summary>Seconds in a day: the container's default time-to-live is retention days times this.</summary>
    public const int SecondsPerDay = 86_400;

    /// <summary>How long served lists are kept unless a setting says otherwise: long enough for a month of figures.</summary>
    public static RetentionPolicy DefaultServedListRetention { get; } = new(30);

    /// <summary>
    /// Creates the database and containers when <see cref="CosmosStoreOptions.CreateIfMissing"/> is set and they are
    /// missing, and brings the default time-to-live of events and served lists in line with their retention settings.
    /// </summary>
    public static async Task<CosmosContainers> EnsureAsync(
        CosmosClient client, CosmosStoreOptions options, RetentionPolicy retention, CancellationToken cancellationToken = default,
        RetentionPolicy? servedListRetention = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retention);
        options.Validate();

        await EnsureContainerAsync(client, options, EventsContainerProperties(options.EventsContainer, retention), cancellationToken)
            .ConfigureAwait(false);
        await EnsureContainerAsync(client, options, ItemsContainerProperties(options.ItemsContainer), cancellationToken)
            .ConfigureAwait(false);
        await EnsureContainerAsync(
            client, options, ServedListsContainerProperties(options.ServedListsContainer, servedListRetention ?? DefaultServedListRetention), cancellationToken)
            .ConfigureAwait(false);
        return Containers(client, options);
    }

    /// <summary>
    /// The containers' handles, without a call to the account: they work once <see cref="EnsureAsync"/> has run (the hosts
    /// run it at start).
    /// </summary>
    public static CosmosContainers Containers(CosmosClient client, CosmosStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        return new CosmosContainers(
            client.GetContainer(options.Database, options.EventsContainer),
            client.GetContainer(options.Database, options.ItemsContainer),
            client.GetContainer(options.Database, options.ServedListsContainer));
    }

    /// <summary>"Time-to-live on, no default expiry": what the container gets when events are kept forever.</summary>
    public const int NoDefaultExpiry = -1;

    /// <summary>
    /// The container's default time-to-live for a retention policy. Kept forever is -1, not off: with TTL on, an
    /// item's own `ttl` still counts, and a later retention setting needs no change of kind (as infra/app/database.bicep).
    /// </summary>
    public static int DefaultTimeToLive(RetentionPolicy retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        return retention.KeepsForever ? NoDefaultExpiry : (int)Math.Min((long)retention.Days * SecondsPerDay, int.MaxValue);
    }

    /// <summary>
    /// The only indexed paths of `events` (everything else is excluded with "/*"): queries filter on the user (the
    /// partition key) and the type (a history leaves impressions out), and filter and sort on the numeric timestamp.
    /// `items` indexes nothing: point reads and a full scan need no index. infra/app/database.bicep declares the same policies.
    /// </summary>
    public static IReadOnlyList<string> EventsIndexedPaths { get; } = ["/userId/?", "/type/?", "/ts/?"];

    /// <summary>The only indexed paths of `servedLists`: the user (erasure) and the time (window reads).</summary>
    public static IReadOnlyList<string> ServedListsIndexedPaths { get; } = ["/userId/?", "/ts/?"];

    internal static ContainerProperties EventsContainerProperties(string name, RetentionPolicy retention) =>
        UserPartitioned(name, retention, EventsIndexedPaths);

    internal static ContainerProperties ServedListsContainerProperties(string name, RetentionPolicy retention) =>
        UserPartitioned(name, retention, ServedListsIndexedPaths);

    private static ContainerProperties UserPartitioned(string name, RetentionPolicy retention, IReadOnlyList<string> indexedPaths)
    {
        var properties = new ContainerProperties(name, "/userId") { DefaultTimeToLive = DefaultTimeToLive(retention) };

        properties.IndexingPolicy = new IndexingPolicy { IndexingMode = IndexingMode.Consistent, Automatic = true };
        foreach (var path in indexedPaths)
        {
            properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = path });
        }

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

    /// <summary>
    /// Reads the container first: with Entra ID (data-plane RBAC) reading metadata is allowed but creating
    /// databases and containers is not, so where infrastructure created them nothing more is asked.
    /// </summary>
    private static async Task<Container> EnsureContainerAsync(
        CosmosClient client, CosmosStoreOptions options, ContainerProperties wanted, CancellationToken cancellationToken)
    {
        var container = client.GetContainer(options.Database, wanted.Id);
        ContainerProperties current;
        try
        {
            current = (await container.ReadContainerAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound && options.CreateIfMissing)
        {
            Database database = await client.CreateDatabaseIfNotExistsAsync(options.Database, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var created = await database.CreateContainerIfNotExistsAsync(wanted, throughput: (int?)null, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (created.StatusCode == HttpStatusCode.Created)
            {
                return container;
            }

            current = created.Resource; // created meanwhile by another instance
        }

        // The container was there already: the retention setting may have changed since it was created.
        var currentTtl = current.DefaultTimeToLive;
        if (currentTtl != wanted.DefaultTimeToLive)
        {
            current.DefaultTimeToLive = wanted.DefaultTimeToLive;
            try
            {
                await container.ReplaceContainerAsync(current, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
            {
                // Expiry that disagrees with the retention setting keeps events too long (or drops them too soon):
                // refuse to start rather than run against it.
                throw new InvalidOperationException(
                    $"Container '{wanted.Id}' has a default time-to-live of {Describe(currentTtl)} seconds while the retention "
                    + $"setting asks for {Describe(wanted.DefaultTimeToLive)}, and this identity may not change it: set defaultTtl in the "
                    + "infrastructure (or give the identity control-plane rights).",
                    ex);
            }
        }

        return container;
    }

    private static string Describe(int? ttl) => ttl?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off";
}
