using System.Text.Json;

namespace ServerlessReco.Core.Exploration;

/// <summary>How the exploration rate adapts at a retrain: on or off, its bounds, the price in clicks exploring may cost, how much evidence it needs.</summary>
public sealed record AdaptiveRateOptions
{
    /// <summary>Each step multiplies or divides the rate by this (0.1 → 0.15 or 0.07): one wrong step costs little.</summary>
    public const double Step = 1.5;

    /// <summary>A move needs the interval of its paired difference, this many standard errors each side (95%), clear of the bar.</summary>
    public const double StandardErrors = 1.96;

    /// <summary>Whether retrains choose the rate (off: every version serves the configured rate).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The lowest rate it may choose; above 0, so that every list keeps its new-arrival slot (shown only by exploring lists).</summary>
    public double Minimum { get; init; } = 0.02;

    /// <summary>The highest rate it may choose.</summary>
    public double Maximum { get; init; } = 0.3;

    /// <summary>
    /// The share of the next list's clicks exploring may cost against explore=0's estimate (0.05: 5%) for what it
    /// teaches the next model, which no estimate of the next list can see: the rate goes down only when it costs more.
    /// </summary>
    public double Cost { get; init; } = 0.05;

    /// <summary>Fewer logged slots the policy decided since the rate was last chosen: the rate stays as it is.</summary>
    public int MinimumSlots { get; init; } = 1_000;

    /// <summary>The problem with these settings, or null (the hosts check it at start).</summary>
    public string? Problem() =>
        Minimum is <= 0 or > 1 || double.IsNaN(Minimum) ? "Reco:ExploreMinimum must be above 0 and at most 1 (0 would drop the new-arrival slot every new item relies on)."
        : Maximum < Minimum || Maximum > 1 || double.IsNaN(Maximum) ? "Reco:ExploreMaximum must be at least Reco:ExploreMinimum and at most 1."
        : Cost is < 0 or >= 1 || double.IsNaN(Cost) ? "Reco:ExplorationCost must be at least 0 and below 1 (0.05: exploring may cost 5% of the next list's clicks)."
        : MinimumSlots < 1 ? "The adaptive rate needs at least 1 logged slot."
        : null;
}

/// <summary>
/// What self-normalised IPS estimated for one rate on the slots logged since the rate was last chosen: clicks per slot
/// the policy decided (plain IPS beside it), and its difference from the current rate with the standard error of that
/// paired difference (both valued on the same slots, so the difference is far less noisy than either value).
/// </summary>
public sealed record RateEvidence(double Explore, double Value, double Ips, double Gain, double GainStandardError, double EffectiveSampleSize);

/// <summary>
/// The promise that every new item reaches a list within its first day: of the items created in the period whose first
/// day is over, how many a logged list showed within a day of their creation.
/// </summary>
public sealed record NewItemPromise(int Items, int ShownWithinADay)
{
    /// <summary>How soon after its creation a new item is promised a list.</summary>
    public static readonly TimeSpan FirstDay = TimeSpan.FromDays(1);

    public double Share => Items == 0 ? 1 : Math.Round((double)ShownWithinADay / Items, 4);

    /// <summary>
    /// The items of <paramref name="catalogue"/> created in [<paramref name="from"/>, <paramref name="now"/> − 1 day),
    /// and how many of them <paramref name="slots"/> (the window's logged personal lists) showed within a day of creation.
    /// </summary>
    public static NewItemPromise Measure(IEnumerable<Catalog.CatalogItem> catalogue, IReadOnlyList<AttributedImpression> slots, DateTimeOffset from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(slots);
        var created = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var item in catalogue)
        {
            if (item.CreatedAt is { } at && at >= from && at < now - FirstDay)
            {
                created[item.ItemId] = at;
            }
        }

        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in slots)
        {
            var s = slot.Impression;
            if (created.TryGetValue(s.ItemId, out var at) && s.Timestamp >= at && s.Timestamp < at + FirstDay)
            {
                shown.Add(s.ItemId);
            }
        }

        return new NewItemPromise(created.Count, shown.Count);
    }
}

/// <summary>The rate a retrain chose for the next period, the rate before it, why, and the estimates it rests on.</summary>
/// <param name="Slots">Logged slots the policy decided since <see cref="Since"/> (the evidence).</param>
public sealed record ExplorationRateChoice(double Rate, double PreviousRate, string Reason, int Slots)
{
    /// <summary>The name of the attachment that carries the choice with the version's artifact, for serving to read.</summary>
    public const string AttachmentName = "exploration-rate.json";

    /// <summary>
    /// The configured rate (<c>Serving__Explore</c>) in force when the retrain chose: the choice serves, and the next
    /// retrain starts from it, only while that is still the configured rate (<see cref="HoldsUnder"/>). Null for a
    /// choice stored before it was recorded, which therefore never holds.
    /// </summary>
    public double? ConfiguredRate { get; init; }

    /// <summary>The slots counted were served from this time on (the champion's promotion); null: the whole window.</summary>
    public DateTimeOffset? Since { get; init; }

    public double Minimum { get; init; }

    public double Maximum { get; init; }

    /// <summary>The share of the next list's clicks exploring may cost against explore=0.</summary>
    public double Cost { get; init; }

    /// <summary>Explore=0 on the same slots: the bar the cost is measured against (null when there were too few slots to judge).</summary>
    public RateEvidence? Exploitation { get; init; }

    /// <summary>The current rate and its neighbours, in rising order (empty when there were too few slots to judge).</summary>
    public IReadOnlyList<RateEvidence> Evidence { get; init; } = [];

    /// <summary>New items of the period shown within their first day (null without a catalogue to tell their creation).</summary>
    public NewItemPromise? NewItems { get; init; }

    /// <summary>
    /// Whether this choice still serves while <paramref name="configured"/> is the configured rate: only when it was
    /// chosen under that same rate. A choice is the retrain's answer to the rate the operator had set; when the operator
    /// sets another (lowers the rate to save clicks, raises it to learn faster), they mean that rate now, so it serves,
    /// stays or moved alike, until the next retrain chooses from it. Exact equality: both are the same setting's value,
    /// and JSON gives a double back to the bit.
    /// </summary>
    public bool HoldsUnder(double configured) => ConfiguredRate == configured;

    /// <summary>
    /// The rate a retrain starts from: the champion's choice while it holds under <paramref name="configured"/>
    /// (<see cref="HoldsUnder"/>), so a chain of moves goes on; else (a first version, a champion without a choice or one
    /// chosen under another configured rate) the configured rate.
    /// </summary>
    public static double StartingRate(ExplorationRateChoice? champion, double configured) =>
        champion is { } choice && choice.HoldsUnder(configured) ? choice.Rate : configured;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Recommendation.ModelArtifact.Json);

    public static ExplorationRateChoice? From(Recommendation.ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return artifact.Attachments.TryGetValue(AttachmentName, out var payload) ? JsonSerializer.Deserialize<ExplorationRateChoice>(payload, Recommendation.ModelArtifact.Json) : null;
    }
}
