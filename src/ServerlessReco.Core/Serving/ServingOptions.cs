using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Exploration;

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

    /// <summary>
    /// How often a refresh reads the whole catalogue although the ones between read only its changes: it repairs anything
    /// a cursor could miss (a store's clock that stepped back, a database restored from a backup) at the cost of one
    /// full read each time. A shop whose catalogue is huge reads it less often; one that restores databases, more.
    /// </summary>
    public TimeSpan CatalogFullReadInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often trending items are recomputed from recent events.</summary>
    public TimeSpan TrendingRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Events this recent count towards trending; at most <see cref="MaxTrendingEvents"/> of them are read.</summary>
    public TimeSpan TrendingWindow { get; set; } = TimeSpan.FromDays(7);

    public int MaxTrendingEvents { get; set; } = 200_000;

    /// <summary>A trending event's weight halves every half-life.</summary>
    public TimeSpan TrendingHalfLife { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Share of the model's (training-window) popularity in the trending score, beside recent events (0..1 each).</summary>
    public double PopularityPrior { get; set; } = 0.5;

    /// <summary>The user's history read per request: one partition, the newest this many behaviour events, however old.</summary>
    public int MaxRecentEvents { get; set; } = 500;

    /// <summary>Recommend again items the user already bought (consumables); otherwise purchased items are left out.</summary>
    public bool AllowRepeatPurchases { get; set; }

    /// <summary>
    /// Leave out every item the user viewed, clicked, carted or rated (true), or never (false); unset: as the retrain
    /// learned for this shop, left out unless the model's blend gives repeat interest a weight. Purchases follow
    /// <see cref="AllowRepeatPurchases"/> either way.
    /// </summary>
    public bool? ExcludeSeen { get; set; }

    /// <summary>Items created this recently that the model does not know yet are "new arrivals".</summary>
    public TimeSpan NewArrivalWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How many slots of a list new arrivals may take (in the user's categories).</summary>
    public int NewArrivalSlots { get; set; } = 1;

    /// <summary>How strongly the session's (or recent history's) categories lift trending items: score × (1 + boost × share).</summary>
    public double CategoryBoost { get; set; } = 4;

    /// <summary>
    /// The exploration policy of personal lists: "epsilon-greedy" (default: exact propensities), "thompson" (Thompson
    /// sampling on the items' recent click feedback; Monte Carlo propensities) or "uniform" (random lists, for tests of
    /// the logging itself). Requests may override <see cref="Explore"/>, never the policy.
    /// </summary>
    public string ExplorationPolicy { get; set; } = ExplorationPolicies.Uncertainty;

    /// <summary>The default exploration rate, 0 (pure exploitation) to 1; a request's <c>explore</c> parameter overrides it.</summary>
    public double Explore { get; set; } = 0.1;

    /// <summary>At most this many explore slots in one list, so a list never turns into a random one.</summary>
    public int ExplorationBudget { get; set; } = 2;

    /// <summary>Candidates beyond the list's length that explore slots draw from (the next best of the model's order).</summary>
    public int ExplorationPool { get; set; } = 40;

    /// <summary>
    /// Items sampled uniformly from the rest of what the model could serve (the long tail) and added to the explore
    /// pool, so exploration does not only circle the near-best: each comes with its inclusion probability in its propensity.
    /// </summary>
    public int ExplorationTailSample { get; set; } = 10;

    /// <summary>Extra weight of a new item (created within <see cref="NewArrivalWindow"/>) when an explore slot is drawn: 1 doubles its chance.</summary>
    public double NewItemBoost { get; set; } = 1;

    /// <summary>Monte Carlo runs behind each Thompson-sampling propensity (standard error ≤ 0.5/√runs).</summary>
    public int ThompsonSamples { get; set; } = 500;

    /// <summary>Seed of the exploration draws: set it for reproducible lists (tests, simulations); unset in production.</summary>
    public int? ExplorationSeed { get; set; }

    /// <summary>
    /// Store every personal list as one record in the served-list store (slots with position, slot kind, propensity) for
    /// attribution, online figures, off-policy evaluation and Thompson feedback.
    /// </summary>
    public bool LogServedLists { get; set; } = true;

    /// <summary>
    /// Re-ranking for diversity: MMR over categories, a cap on one category's share, a popularity penalty
    /// (<c>Serving:Diversity:MmrLambda</c>, <c>:MaxCategoryShare</c>, <c>:PopularityPenalty</c>, <c>:Candidates</c>). Off by default.
    /// </summary>
    public DiversityOptions Diversity { get; set; } = new();

    /// <summary>
    /// Whether the click model re-ranks personal lists when the serving version carries one (the retrain's gate let it
    /// serve); off, every list keeps the candidate sources' order.
    /// </summary>
    public bool ClickModel { get; set; } = true;

    /// <summary>How many candidates the click model re-ranks into a list's head and explore pool (at least those the list needs).</summary>
    public int ClickModelCandidates { get; set; } = 100;

    /// <summary>
    /// Impression fatigue's floor: an item shown to a shopper on this many visits within <see cref="FatigueWindow"/> without
    /// their doing anything with it since is left out of their lists (0: off). The click model learns fatigue as well;
    /// this rule reads the shopper's own newest lists per request (<see cref="ImpressionFatigue"/>), so it holds between
    /// retrains and where no click model serves.
    /// </summary>
    public int FatigueShowings { get; set; } = 5;

    /// <summary>How far back the showings <see cref="FatigueShowings"/> counts go: an ignored item comes back once its showings are older.</summary>
    public TimeSpan FatigueWindow { get; set; } = TimeSpan.FromDays(7);

    public const int MaxCount = 100;

    /// <summary>
    /// Whether this host serves the exploration rate a retrain chose: a configured rate above 0 (0 is no exploration,
    /// which no choice overrides) of a policy whose rate is valued off-policy (uncertainty, epsilon-greedy).
    /// </summary>
    public bool FollowsChosenRate => Explore > 0 && AdaptiveExplorationRate.IsAdapted(ExplorationPolicy);

    /// <summary>
    /// The exploration rate the serving version's retrain chose, when this host follows it and the choice was made under
    /// the rate configured now (<see cref="ExplorationRateChoice.HoldsUnder"/>); null: the configured rate serves.
    /// </summary>
    public ExplorationRateChoice? ChosenRate(ServingModel? model) => ChosenRate(model?.ExplorationRate);

    /// <summary><see cref="ChosenRate(ServingModel?)"/> of a version's stored choice.</summary>
    public ExplorationRateChoice? ChosenRate(ExplorationRateChoice? choice) =>
        FollowsChosenRate && choice is not null && choice.HoldsUnder(Explore) ? choice : null;

    /// <summary>The exploration part of these settings, as the exploration policies and their offline evaluation take it.</summary>
    public ExplorationSettings ToExplorationSettings() => new(ExplorationPolicy, Explore, ExplorationBudget, NewItemBoost, ThompsonSamples);

    public void Validate()
    {
        if (ModelCheckInterval <= TimeSpan.Zero || CatalogRefreshInterval <= TimeSpan.Zero || TrendingRefreshInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("Serving refresh intervals must be positive.");
        }

        // Shorter than the refresh interval is allowed: every refresh then reads the whole catalogue, as before cursors.
        if (CatalogFullReadInterval <= TimeSpan.Zero || CatalogFullReadInterval > TimeSpan.FromDays(7))
        {
            throw new ArgumentException($"Serving:CatalogFullReadInterval must be positive and at most 7 days (it is {CatalogFullReadInterval}).");
        }

        if (MaxRecentEvents < 1 || MaxTrendingEvents < 0 || NewArrivalSlots < 0 || CategoryBoost < 0 || PopularityPrior < 0)
        {
            throw new ArgumentException("Serving:MaxRecentEvents must be at least 1; counts and weights must not be negative.");
        }

        if (!ExplorationPolicies.IsKnown(ExplorationPolicy))
        {
            throw new ArgumentException($"Serving:ExplorationPolicy must be one of {string.Join(", ", ExplorationPolicies.Names)} (it is '{ExplorationPolicy}').");
        }

        if (Explore is < 0 or > 1 || double.IsNaN(Explore) || ExplorationBudget < 0 || ExplorationPool < 0 || ExplorationTailSample < 0 || NewItemBoost < 0 || ThompsonSamples < 1)
        {
            throw new ArgumentException("Serving:Explore must be 0 to 1; the exploration budget, pool and new-item boost must not be negative; ThompsonSamples at least 1.");
        }

        if (ClickModelCandidates is < 1 or > 1000)
        {
            throw new ArgumentException($"Serving:ClickModelCandidates must be 1 to 1000 (it is {ClickModelCandidates}).");
        }

        if (FatigueShowings is < 0 or > 1000 || FatigueWindow <= TimeSpan.Zero || FatigueWindow > TimeSpan.FromDays(90))
        {
            throw new ArgumentException(
                $"Serving:FatigueShowings must be 0 (off) to 1000 (it is {FatigueShowings}) and Serving:FatigueWindow positive and at most 90 days (it is {FatigueWindow}).");
        }

        Diversity.Validate();
    }
}
