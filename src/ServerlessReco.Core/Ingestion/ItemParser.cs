using System.Text.Json;
using ServerlessReco.Core.Catalog;

namespace ServerlessReco.Core.Ingestion;

/// <summary>Turns one JSON object into a <see cref="CatalogItem"/>, or records why it cannot.</summary>
public sealed class ItemParser(TimeProvider clock)
{
    private static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "itemId", "title", "description", "category", "tags", "price", "available", "createdAt",
    };

    public BatchParseResult<CatalogItem> ParseBatch(ReadOnlyMemory<byte> body)
    {
        var now = clock.GetUtcNow();
        return JsonBatch.Parse(body, (element, index, errors) => Parse(element, index, now, errors));
    }

    public CatalogItem? Parse(JsonElement element, int index, DateTimeOffset now, List<ValidationError> errors)
    {
        var before = errors.Count;
        var reader = new FieldReader(element, index, errors, Fields);
        var itemId = reader.Id("itemId", required: true);
        var title = reader.String("title", IngestionLimits.MaxTitleLength, required: false);
        var description = reader.String("description", IngestionLimits.MaxDescriptionLength, required: false);
        var category = reader.Id("category", required: false);
        var tags = reader.StringList("tags", IngestionLimits.MaxTags, IngestionLimits.MaxIdLength);
        var price = reader.Number("price", required: false);
        if (price is < 0 or > 1e12)
        {
            reader.Fail("price", "must be between 0 and 10^12.");
        }

        var available = reader.Boolean("available");
        var createdAt = reader.Timestamp("createdAt");
        if (createdAt > now + IngestionLimits.MaxClockSkew)
        {
            reader.Fail("createdAt", "is in the future.");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new CatalogItem
        {
            ItemId = itemId!,
            Title = title,
            Description = description,
            Category = category,
            Tags = tags ?? [],
            Price = price is { } p ? (decimal)p : null,
            Available = available ?? true,
            CreatedAt = createdAt,
        };
    }
}
