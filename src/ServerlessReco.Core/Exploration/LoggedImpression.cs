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
/// <see cref="PropensityStandardError"/> is above 0 for a propensity the policy estimated by Monte Carlo, 0 for an exact one.
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
    double PropensityStandardError = 0)
{
    /// <summary>A slot the policy did not decide (fixed new-arrival slots): rank −1, propensity 1 under any policy.</summary>
    public bool IsFixed => Rank < 0;
}

/// <summary>The slots of a stored served list as logged impressions, the unit attribution and off-policy evaluation count in.</summary>
public static class LoggedImpressions
{
    public static IEnumerable<LoggedImpression> Of(ServedListRecord list)
    {
        ArgumentNullException.ThrowIfNull(list);
        for (var p = 0; p < list.Slots.Count; p++)
        {
            var slot = list.Slots[p];
            yield return new LoggedImpression(
                list.UserId, list.ListId, slot.ItemId, p, slot.Kind, slot.Propensity, list.Policy, list.Explore, slot.Rank,
                list.Head, list.Pool, list.PoolNew, slot.IsNew, list.ServedAt, list.SessionId, list.ModelVersion, slot.Inclusion,
                slot.PropensityStandardError);
        }
    }
}
