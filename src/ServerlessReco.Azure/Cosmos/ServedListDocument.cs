using System.Text.Json.Serialization;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>
/// One served list as stored in the `servedLists` container (partition key /userId, the shopper's pseudonym): the whole
/// list in one document, so serving pays one write per list.
/// </summary>
internal sealed record ServedListDocument
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("userId")] public required string UserId { get; init; }
    [JsonPropertyName("listId")] public required string ListId { get; init; }

    /// <summary>When the list was served, in Unix milliseconds: the indexed path window reads filter on.</summary>
    [JsonPropertyName("ts")] public required long EpochMs { get; init; }

    [JsonPropertyName("servedAt")] public required DateTimeOffset ServedAt { get; init; }
    [JsonPropertyName("policy")] public required string Policy { get; init; }
    [JsonPropertyName("explore")] public double Explore { get; init; }
    [JsonPropertyName("head")] public int Head { get; init; }
    [JsonPropertyName("pool")] public int Pool { get; init; }
    [JsonPropertyName("poolNew")] public int PoolNew { get; init; }
    [JsonPropertyName("sessionId")] public string? SessionId { get; init; }
    [JsonPropertyName("modelVersion")] public string? ModelVersion { get; init; }
    [JsonPropertyName("anonymous")] public bool Anonymous { get; init; }
    [JsonPropertyName("slots")] public required IReadOnlyList<ServedListSlot> Slots { get; init; }

    /// <summary>Seconds left to live from the write (the list's own age counts, as for events); null: the container default.</summary>
    [JsonPropertyName("ttl")] public int? Ttl { get; init; }

    public static ServedListDocument From(ServedListRecord list, int? secondsToLive) => new()
    {
        Id = CosmosIds.ToDocumentId(list.ListId),
        UserId = list.UserId,
        ListId = list.ListId,
        EpochMs = list.ServedAt.ToUnixTimeMilliseconds(),
        ServedAt = list.ServedAt,
        Policy = list.Policy,
        Explore = list.Explore,
        Head = list.Head,
        Pool = list.Pool,
        PoolNew = list.PoolNew,
        SessionId = list.SessionId,
        ModelVersion = list.ModelVersion,
        Anonymous = list.Anonymous,
        Slots = list.Slots,
        Ttl = secondsToLive,
    };

    public ServedListRecord ToRecord() =>
        new(ListId, UserId, ServedAt, Policy, Explore, Head, Pool, PoolNew, Slots, SessionId, ModelVersion, Anonymous);
}
