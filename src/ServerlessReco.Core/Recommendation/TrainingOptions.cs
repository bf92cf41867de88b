using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// How much each kind of event says about a user's interest. A rating carries its own value (times
/// <see cref="RatingScale"/>); the rest are fixed weights. Zero means "ignore this event type".
/// </summary>
public sealed record EventWeights
{
    public double View { get; init; } = 1;
    public double Click { get; init; } = 2;

    /// <summary>A favourite or wishlist entry: more than a click (the shopper wants to come back), less than a cart.</summary>
    public double Favorite { get; init; } = 3;
    public double AddToCart { get; init; } = 4;
    public double Purchase { get; init; } = 8;
    public double RatingScale { get; init; } = 1;

    /// <summary>Impressions are what we showed, not what the user chose: no signal by default.</summary>
    public double Impression { get; init; }

    /// <summary>Dismissals are negative feedback; they are left out of training unless given a weight.</summary>
    public double Dismiss { get; init; }

    public double WeightOf(EventType type, double? value) => type switch
    {
        EventType.View => View,
        EventType.Click => Click,
        EventType.Favorite => Favorite,
        EventType.AddToCart => AddToCart,
        EventType.Purchase => Purchase,
        EventType.Rating => (value ?? 0) * RatingScale,
        EventType.Impression => Impression,
        EventType.Dismiss => Dismiss,
        _ => 0,
    };
}

/// <summary>How events become the user × item affinities that models train on.</summary>
public sealed record TrainingOptions
{
    public EventWeights Weights { get; init; } = new();

    /// <summary>An event's weight halves every half-life before "now"; null: no decay.</summary>
    public TimeSpan? HalfLife { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Recency by position in the shopper's own history: the newest item weighs 1, the item k places back 0.5^(k/h), so
    /// what a shopper did last counts most whatever the clock says (a shopper back after months is not all decayed
    /// away). Applied to the affinities in training, in serving and in offline evaluation alike (<see cref="HistoryOrder"/>);
    /// null: every item of a history weighs the same (what models saved without it were trained with). EASE trains and
    /// scores on 0/1 and ignores it; SAR and the sequence model weigh by it.
    /// </summary>
    public double? HistoryHalfLife { get; init; }

    /// <summary>The instant decay is measured from; null: the newest training event (as SAR does).</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Items with fewer distinct users are left out of the model (cold items: served by fallback).</summary>
    public int MinUsersPerItem { get; init; } = 1;

    /// <summary>
    /// Users with fewer distinct items (after dropping cold items) are left out of training; they are still
    /// served, from their recent events, by every item-based model.
    /// </summary>
    public int MinItemsPerUser { get; init; } = 1;

    /// <summary>The settings Microsoft Recommenders' SAR benchmark uses: rating × 30-day half-life decay.</summary>
    public static TrainingOptions SarBenchmark { get; } = new() { HalfLife = TimeSpan.FromDays(30) };

    /// <summary>
    /// The history half-life (items) that retraining uses by default: chosen on the second-to-last item of each user of
    /// MovieLens-100k (never the last), see docs/engine.md.
    /// </summary>
    public const double ValidatedHistoryHalfLife = 10;

    /// <summary>The weight of the item <paramref name="rank"/> places back from the newest (0: the newest).</summary>
    public double PositionWeight(int rank) => HistoryHalfLife is { } h and > 0 ? Math.Pow(0.5, rank / h) : 1;

    /// <summary>Decay factor 0.5^((now − t) / half-life), with t and now in Unix seconds.</summary>
    public double Decay(long timestampSeconds, long nowSeconds) =>
        HalfLife is { } halfLife ? Math.Pow(0.5, (nowSeconds - timestampSeconds) / halfLife.TotalSeconds) : 1;
}
