namespace ServerlessReco.Core.Catalog;

/// <summary>An item of the shop's catalogue.</summary>
public sealed record CatalogItem
{
    public required string ItemId { get; init; }
    public string? Title { get; init; }
    public string? Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Free text about the item (at most <c>IngestionLimits.MaxDescriptionLength</c> characters); the content model reads it.</summary>
    public string? Description { get; init; }

    public decimal? Price { get; init; }

    /// <summary>Unavailable items are kept (history refers to them) but never recommended.</summary>
    public bool Available { get; init; } = true;

    public DateTimeOffset? CreatedAt { get; init; }
}
