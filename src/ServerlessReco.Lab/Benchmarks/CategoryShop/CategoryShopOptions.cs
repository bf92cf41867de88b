namespace ServerlessReco.Lab.Benchmarks.CategoryShop;

/// <summary>
/// The shape of a generated category shop (<see cref="CategoryShopWorld"/>). The defaults are issue 21's real log: about
/// 110,000 events of 66,000 shoppers over two hours on 85,000 items, 3,000 of the shoppers coming back later. The
/// behaviour settings (<see cref="ItemSkew"/>, <see cref="Focus"/>, <see cref="Stay"/>) were set once, on seeds 1 and 2,
/// by the baselines alone, to the real log's figures (nDCG@20 popularity 0.0013, category popularity 0.0047,
/// co-occurrence 0.0011: a flat tail within each category, visits that stray, shoppers who come back mostly for other
/// categories), never by how the product scores.
/// </summary>
public sealed record CategoryShopOptions
{
    public int Shoppers { get; init; } = 66_000;
    public int Items { get; init; } = 85_000;
    public int Categories { get; init; } = 3_000;

    /// <summary>About how many training events (views, favourites, carts, purchases) the shoppers make together.</summary>
    public int Events { get; init; } = 110_000;

    /// <summary>How many of the shoppers come back after the window; their later views are the truth.</summary>
    public int Returning { get; init; } = 3_000;

    public int Seed { get; init; } = 1;

    /// <summary>How long the training window lasts.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Zipf exponent of category traffic (and of how many items a category holds).</summary>
    public double CategorySkew { get; init; } = 1.0;

    /// <summary>Zipf exponent of item popularity within a category: a long tail in each.</summary>
    public double ItemSkew { get; init; } = 0.45;

    /// <summary>The share of shoppers interested in a second category besides their first.</summary>
    public double SecondCategory { get; init; } = 0.35;

    /// <summary>The share of shoppers who make a second visit within the window.</summary>
    public double SecondVisit { get; init; } = 0.2;

    /// <summary>The share of a visit's views in the visit's category; the rest stray anywhere in the shop, by popularity.</summary>
    public double Focus { get; init; } = 0.5;

    /// <summary>The share of a returning shopper's later views in their own categories; the rest go to a category new to them.</summary>
    public double Stay { get; init; } = 0.07;

    /// <summary>The mean number of views a returning shopper makes later (at least one).</summary>
    public double LaterViews { get; init; } = 3;

    /// <summary>The share of items whose title is a placeholder ("item 123456"); the others have no title at all.</summary>
    public double PlaceholderTitles { get; init; } = 0.5;

    /// <summary>Per view, the chance of a favourite, of an add-to-cart, and of a purchase after a cart (Taobao's shares: 89.5 % views, 2.9 % favourites, 5.5 % carts, 2 % purchases).</summary>
    public double FavoriteRate { get; init; } = 0.032;
    public double CartRate { get; init; } = 0.061;
    public double PurchaseAfterCart { get; init; } = 0.36;

    /// <summary>A small shop of the same kind for tests: 3,000 shoppers, 3,000 items in 150 categories, 5,000 events, 400 returning.</summary>
    public static CategoryShopOptions Small { get; } = new() { Shoppers = 3_000, Items = 3_000, Categories = 150, Events = 5_000, Returning = 400 };

    /// <summary>The scale named on the command line: <c>issue</c> (the defaults) or <c>small</c>.</summary>
    public static CategoryShopOptions ForScale(string scale) => scale switch
    {
        "issue" => new CategoryShopOptions(),
        "small" => Small,
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "issue or small"),
    };

    /// <summary>Refuses settings no shop could have, naming the setting.</summary>
    public void Validate()
    {
        if (Shoppers < 1 || Items < Categories || Categories < 1 || Events < Shoppers || Returning < 1 || Returning > Shoppers)
        {
            throw new ArgumentException($"A category shop needs shoppers ≥ 1, items ≥ categories ≥ 1, events ≥ shoppers and 1 ≤ returning ≤ shoppers (got {this}).");
        }

        foreach (var (name, share) in new[] { (nameof(SecondCategory), SecondCategory), (nameof(SecondVisit), SecondVisit), (nameof(Focus), Focus), (nameof(Stay), Stay), (nameof(PlaceholderTitles), PlaceholderTitles) })
        {
            if (share is < 0 or > 1)
            {
                throw new ArgumentException($"{name} is a share between 0 and 1, not {share}.");
            }
        }
    }
}
