namespace ServerlessReco.Core.Activity;

/// <summary>The catalogue's size and how many of its items are unavailable (kept for history, never recommended).</summary>
public sealed record CatalogueSize(int Items, int Unavailable);

/// <summary>
/// The shop's activity over the last <see cref="Days"/> UTC days, today included and oldest first: each day's figures,
/// and the shoppers and items active at least once in the window.
/// </summary>
public sealed record ActivityWindow(
    IReadOnlyList<DayActivity> Days, int ActiveShoppers, int ActiveItems, CatalogueSize Catalogue, DateTimeOffset ReadAt);

/// <summary>One day of an item's trend: its behaviour events and those of every item of its category.</summary>
public sealed record ItemDay(DateOnly Day, int Item, int Category);

/// <summary>An item's behaviour events per day beside its category's, oldest first (the category is null when the item has none).</summary>
public sealed record ItemTrend(string ItemId, string? Category, IReadOnlyList<ItemDay> Days);
