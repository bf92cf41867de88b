using System.Text.Json.Serialization;
using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Azure.Cosmos;

/// <summary>One catalogue item as stored in the `items` container (partition key /id).</summary>
internal sealed record ItemDocument
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("itemId")] public required string ItemId { get; init; }
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("category")] public string? Category { get; init; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; init; }
    [JsonPropertyName("price")] public decimal? Price { get; init; }
    [JsonPropertyName("available")] public bool Available { get; init; } = true;
    [JsonPropertyName("createdAt")] public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the server last wrote the document, in Unix seconds (set by Cosmos DB, never by us): the incremental read's order.</summary>
    [JsonPropertyName("_ts")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long Timestamp { get; init; }

    public static ItemDocument From(CatalogItem item) => new()
    {
        Id = CosmosIds.ToDocumentId(item.ItemId),
        ItemId = item.ItemId,
        Title = item.Title,
        Description = item.Description,
        Category = item.Category,
        Tags = [.. item.Tags],
        Price = item.Price,
        Available = item.Available,
        CreatedAt = item.CreatedAt,
    };

    public CatalogItem ToItem() => new()
    {
        ItemId = ItemId,
        Title = Title,
        Description = Description,
        Category = Category,
        Tags = Tags ?? [],
        Price = Price,
        Available = Available,
        CreatedAt = CreatedAt,
    };
}
