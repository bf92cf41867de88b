using System.Globalization;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// One slot of a served personal list as it is logged: where the item was, why (slot kind) and with what probability
/// the policy put it there. <see cref="Rank"/> (the item's place in the ranked candidates), <see cref="Head"/> (the
/// list's length the policy filled), <see cref="Pool"/> (candidates beyond it) and <see cref="PoolNew"/> (new items
/// among those) are all an epsilon-greedy policy's propensities depend on, so off-policy evaluation can recompute the
/// propensity of any other exploration rate exactly without storing the candidate lists. A slot outside the policy
/// (a new-arrival slot every list has) has rank −1 and propensity 1. <see cref="Inclusion"/> is the probability that
/// the item was a candidate at all (below 1 for the uniformly sampled long tail); the propensity includes it.
/// <see cref="Anonymous"/> marks a slot of a list served to a caller without a key (see
/// <see cref="Serving.RecommendationRequest.Anonymous"/>).
/// </summary>
public sealed record LoggedImpression(
    string UserId,
    string RecommendationId,
    string ItemId,
    int Position,
    SlotKind Kind,
    double Propensity,
    string Policy,
    double Explore,
    int Rank,
    int Head,
    int Pool,
    int PoolNew,
    bool IsNew,
    DateTimeOffset Timestamp,
    string? SessionId = null,
    string? ModelVersion = null,
    double Inclusion = 1,
    bool Anonymous = false)
{
    /// <summary>A slot the policy did not decide (fixed new-arrival slots): rank −1, propensity 1 under any policy.</summary>
    public bool IsFixed => Rank < 0;
}

/// <summary>
/// Impressions travel as ordinary <see cref="EventType.Impression"/> events through the event store (so they are
/// partitioned by user, expire with the retention period and are erased with the user), with the slot's details in
/// <see cref="BehaviorEvent.Properties"/> under the keys below. The event id is the list's id and the position, so a
/// retried write stores each slot once.
/// </summary>
public static class ImpressionEvents
{
    public const string Position = "position";
    public const string SlotKindKey = "slotKind";
    public const string Propensity = "propensity";
    public const string Policy = "policy";
    public const string Explore = "explore";
    public const string Rank = "rank";
    public const string Head = "head";
    public const string Pool = "pool";
    public const string PoolNew = "poolNew";
    public const string IsNew = "isNew";
    public const string ModelVersion = "modelVersion";
    public const string Inclusion = "inclusion";
    public const string AnonymousKey = "anonymous";

    public static string WireName(this SlotKind kind) => kind == SlotKind.Explore ? "explore" : "exploit";

    public static BehaviorEvent ToEvent(LoggedImpression impression)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Position] = Text(impression.Position),
            [SlotKindKey] = impression.Kind.WireName(),
            [Propensity] = impression.Propensity.ToString("R", CultureInfo.InvariantCulture),
            [Policy] = impression.Policy,
            [Explore] = impression.Explore.ToString("R", CultureInfo.InvariantCulture),
            [Rank] = Text(impression.Rank),
            [Head] = Text(impression.Head),
            [Pool] = Text(impression.Pool),
            [PoolNew] = Text(impression.PoolNew),
            [IsNew] = impression.IsNew ? "true" : "false",
        };
        if (impression.Inclusion < 1)
        {
            properties[Inclusion] = impression.Inclusion.ToString("R", CultureInfo.InvariantCulture);
        }

        if (impression.Anonymous)
        {
            properties[AnonymousKey] = "true";
        }

        if (impression.ModelVersion is { } version)
        {
            properties[ModelVersion] = version;
        }

        return new BehaviorEvent
        {
            EventId = $"{impression.RecommendationId}.{Text(impression.Position)}",
            UserId = impression.UserId,
            ItemId = impression.ItemId,
            Type = EventType.Impression,
            Timestamp = impression.Timestamp,
            SessionId = impression.SessionId,
            RecommendationId = impression.RecommendationId,
            Properties = properties,
        };
    }

    /// <summary>Whether <paramref name="e"/> is a slot of a list served anonymously (see <see cref="LoggedImpression.Anonymous"/>).</summary>
    public static bool IsAnonymous(BehaviorEvent e) =>
        e.Type == EventType.Impression && e.Properties.TryGetValue(AnonymousKey, out var anonymous) && anonymous == "true";

    /// <summary>
    /// The logged slot of an impression event this service wrote; false for other impressions (a client's own, or one
    /// whose properties are missing or malformed): those count in no exploration figure rather than a wrong one. False
    /// too for a slot of an anonymous list: whoever knows a user id can ask for such lists without ever showing them, so
    /// they would skew online figures and off-policy estimates.
    /// </summary>
    public static bool TryRead(BehaviorEvent e, out LoggedImpression impression)
    {
        impression = null!;
        if (e.Type != EventType.Impression || e.RecommendationId is not { } recommendationId || IsAnonymous(e))
        {
            return false;
        }

        var p = e.Properties;
        if (!Int(p, Position, out var position) || position < 0
            || !p.TryGetValue(SlotKindKey, out var kind) || kind is not ("explore" or "exploit")
            || !Number(p, Propensity, out var propensity) || propensity is not (> 0 and <= 1)
            || !p.TryGetValue(Policy, out var policy)
            || !Number(p, Explore, out var explore) || explore is < 0 or > 1
            || !Int(p, Rank, out var rank) || !Int(p, Head, out var head) || !Int(p, Pool, out var pool) || !Int(p, PoolNew, out var poolNew)
            || head < 0 || pool < 0 || poolNew < 0 || poolNew > pool || rank >= head + pool)
        {
            return false;
        }

        var inclusion = 1.0;
        if (p.ContainsKey(Inclusion) && (!Number(p, Inclusion, out inclusion) || inclusion is not (> 0 and <= 1)))
        {
            return false;
        }

        impression = new LoggedImpression(
            e.UserId, recommendationId, e.ItemId, position, kind == "explore" ? SlotKind.Explore : SlotKind.Exploit, propensity,
            policy, explore, rank, head, pool, poolNew, p.TryGetValue(IsNew, out var isNew) && isNew == "true", e.Timestamp, e.SessionId,
            p.GetValueOrDefault(ModelVersion), inclusion);
        return true;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool Int(IReadOnlyDictionary<string, string> p, string key, out int value)
    {
        value = 0;
        return p.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool Number(IReadOnlyDictionary<string, string> p, string key, out double value)
    {
        value = 0;
        return p.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
