using ServerlessReco.Core.Diversity;

namespace ServerlessReco.Core.Serving;

/// <summary>How recommendations are served (section <c>Serving</c>; in Azure app settings <c>Serving__AllowRepeatPurchases</c> and so on).</summary>
public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>How often an instance checks the entity tag of <c>models/current.json</c> (not the model itself).</summary>
    public TimeSpan ModelCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the very first request waits for the first model load before answering from popularity.</summary>
    public TimeSpan FirstLoadWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the in-memory catalogue snapshot (availability, categories, new arrivals) is re-read.</summary>
    public TimeSpan CatalogRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often trending items are recomputed from recent events.</summary>
    public TimeSpan TrendingRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Events this recent count towards trending; at most <see cref="MaxTrendingEvents"/> of them are read.</summary>
    public TimeSpan TrendingWindow { get; set; } = TimeSpan.FromDays(7);

    public int MaxTrendingEvents { get; set; } = 200_000;

    /// <summary>A trending event's weight halves every half-life.</summary>
    public TimeSpan TrendingHalfLife { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Share of the model's (training-window) popularity in the trending score, beside recent events (0..1 each).</summary>
    public double PopularityPrior { get; set; } = 0.5;

    /// <summary>The user's events read per request: one partition, this far back, at most this many (the newest).</summary>
    public TimeSpan RecentEventsWindow { get; set; } = TimeSpan.FromDays(90);

    public int MaxRecentEvents { get; set; } = 500;

    /// <summary>Recommend again items the user already bought (consumables); otherwise purchased items are left out.</summary>
    public bool AllowRepeatPurchases { get; set; }

    /// <summary>Leave out every item the user viewed, clicked, carted or rated (purchases follow <see cref="AllowRepeatPurchases"/>).</summary>
    public bool ExcludeSeen { get; set; } = true;

    /// <summary>Items created this recently that the model does not know yet are "new arrivals".</summary>
    public TimeSpan NewArrivalWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How many slots of a list new arrivals may take (in the user's categories).</summary>
    public int NewArrivalSlots { get; set; } = 1;

    /// <summary>How strongly the session's (or recent history's) categories lift trending items: score × (1 + boost × share).</summary>
    public double CategoryBoost { get; set; } = 4;

    /// <summary>
    /// Re-ranking for diversity: MMR over categories, a cap on one category's share, a popularity penalty
    /// (<c>Serving:Diversity:MmrLambda</c>, <c>:MaxCategoryShare</c>, <c>:PopularityPenalty</c>, <c>:Candidates</c>). Off by default.
    /// </summary>
    public DiversityOptions Diversity { get; set; } = new();

    public const int MaxCount = 100;

    public void Validate()
    {
        if (ModelCheckInterval <= TimeSpan.Zero || CatalogRefreshInterval <= TimeSpan.Zero || TrendingRefreshInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Serving refresh intervals must be positive.");
        }

        if (MaxRecentEvents < 1 || MaxTrendingEvents < 0 || NewArrivalSlots < 0 || CategoryBoost < 0 || PopularityPrior < 0)
        {
            throw new ArgumentException("Serving:MaxRecentEvents must be at least 1; counts and weights must not be negative.");
        }

        Diversity.Validate();
    }
}
