namespace ServerlessReco.Lab.Simulation;

/// <summary>The simulated shop and how long the loop runs. A round is one simulated day.</summary>
public sealed record ServingSimulationOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Rounds served (T), after the warm-up.</summary>
    public int Rounds { get; init; } = 40;

    /// <summary>Recommendation requests per round, each from a shopper drawn from the seed.</summary>
    public int RequestsPerRound { get; init; } = 40;

    /// <summary>Items per list (the request's count).</summary>
    public int ListSize { get; init; } = 10;

    /// <summary>The model is retrained (through the retrain service and its promotion gate) every this many rounds.</summary>
    public int RetrainEvery { get; init; } = 5;

    /// <summary>Days of organic browsing only before the first model is trained: every policy starts from that model.</summary>
    public int WarmUpRounds { get; init; } = 7;

    public int Users { get; init; } = 200;
    public int Categories { get; init; } = 8;
    public int InitialItems { get; init; } = 300;
    public int NewItemsPerRound { get; init; } = 3;

    /// <summary>Shoppers who find an item on their own each round (search, category pages): views, carts, purchases.</summary>
    public int OrganicVisitsPerRound { get; init; } = 60;

    /// <summary>
    /// Hand-built world: on this served day (0 = the first after the warm-up) every shopper's category interests are drawn
    /// afresh, a change of taste the model learnt before cannot know; null: tastes only drift.
    /// </summary>
    public int? TasteShiftDay { get; init; }

    /// <summary>Standard deviation of each user's daily random walk of log-interest per category.</summary>
    public double Drift { get; init; } = 0.1;

    /// <summary>Item appeal is u^skew, u uniform: larger means a few very appealing items.</summary>
    public double AppealSkew { get; init; } = 3;

    /// <summary>How prominently the shop places an item (search rank, category page) is u^skew: organic visits follow it.</summary>
    public double VisibilitySkew { get; init; } = 4;

    /// <summary>A new item's placement relative to an established one: new items are hard to find on one's own.</summary>
    public double NewItemVisibility { get; init; } = 0.1;

    /// <summary>
    /// Whether the product runs its click model, as it ships (trained at each retrain, serving once its gate lets it);
    /// false: neither trained nor served, the lists keep the candidate sources' order (<c>simulate --no-click-model</c>).
    /// </summary>
    public bool ClickModel { get; init; } = true;

    /// <summary>
    /// Whether each retrain chooses the exploration rate, as the product ships (<c>AdaptiveRateOptions</c>); false: the
    /// policy's configured rate serves throughout (<c>simulate --fixed-rate</c>).
    /// </summary>
    public bool AdaptiveRate { get; init; } = true;

    public DateTimeOffset Start { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeSpan RoundLength { get; init; } = TimeSpan.FromDays(1);

    public void Validate()
    {
        if (Rounds < 1 || RequestsPerRound < 1 || ListSize is < 1 or > 100 || RetrainEvery < 1 || WarmUpRounds < 1
            || Users < 1 || Categories < 1 || InitialItems < 1 || NewItemsPerRound < 0 || OrganicVisitsPerRound < 0 || TasteShiftDay < 0)
        {
            throw new ArgumentException("Simulation: rounds, requests, list size (1-100), retrain cadence, warm-up, users, categories and items must be positive.");
        }
    }
}
