using Microsoft.Azure.Cosmos;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// Where the Cosmos DB account is and how to reach it. Give either <see cref="Endpoint"/> (with a managed
/// identity in production, or <see cref="Key"/> locally) or a <see cref="ConnectionString"/>.
/// </summary>
public sealed class CosmosStoreOptions
{
    public const string Section = "Cosmos";

    /// <summary>The account endpoint, e.g. https://myaccount.documents.azure.com:443/.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>An account key: local development and tests only. Without one the client uses an Entra ID credential.</summary>
    public string? Key { get; set; }

    /// <summary>A full connection string (AccountEndpoint=…;AccountKey=…): wins over <see cref="Endpoint"/> and <see cref="Key"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The client id of a user-assigned managed identity; null uses the default credential chain.</summary>
    public string? ClientId { get; set; }

    public string Database { get; set; } = "reco";

    /// <summary>Behaviour events, partitioned by /userId.</summary>
    public string EventsContainer { get; set; } = "events";

    /// <summary>Served personal lists, one document per list, partitioned by /userId, with their own time-to-live.</summary>
    public string ServedListsContainer { get; set; } = "servedLists";

    /// <summary>The item catalogue, partitioned by /id.</summary>
    public string ItemsContainer { get; set; } = "items";

    /// <summary>Direct (TCP, the SDK's default and the cheapest per request) or Gateway (HTTPS only).</summary>
    public ConnectionMode ConnectionMode { get; set; } = ConnectionMode.Direct;

    /// <summary>Talk only to <see cref="Endpoint"/>, never to the regional endpoints the account advertises (emulators).</summary>
    public bool LimitToEndpoint { get; set; }

    /// <summary>How many writes one append or upsert keeps in flight at once.</summary>
    public int MaxParallelWrites { get; set; } = 16;

    /// <summary>
    /// Creates the database and containers when they are missing. With Entra ID this needs control-plane rights that a
    /// data-plane role lacks: in Azure the infrastructure creates them and this is never exercised.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>What is wrong with these settings, in words, or null when nothing is.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && Endpoint is null)
        {
            return "Cosmos DB needs an Endpoint or a ConnectionString.";
        }

        if (MaxParallelWrites < 1)
        {
            return "Cosmos DB MaxParallelWrites must be at least 1.";
        }

        return new[] { Database, EventsContainer, ItemsContainer, ServedListsContainer }.Any(string.IsNullOrWhiteSpace)
            ? "Cosmos DB database and container names must not be empty."
            : null;
    }

    internal void Validate()
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }
}
