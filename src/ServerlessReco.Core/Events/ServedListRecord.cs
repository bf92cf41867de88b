using System.Text.Json.Serialization;

namespace ServerlessReco.Core.Events;

/// <summary>
/// A personal list as it was served, stored as one record (not one event per slot) in the served-list store: which
/// shopper (pseudonymised before it is stored), when, under which exploration policy and rate, and each slot in list
/// order. <see cref="Head"/> (the list length the policy filled), <see cref="Pool"/> (candidates beyond it) and
/// <see cref="PoolNew"/> (new items among those) are all an epsilon-greedy policy's propensities depend on, so
/// off-policy evaluation can recompute the propensity of any other rate without storing the candidates. An
/// <see cref="Anonymous"/> list was served on a public route and feeds no learning: anyone who knows a shopper's id can
/// request it, so its impressions prove nothing about what the shop showed them. Such lists are no longer stored at all
/// (<see cref="Access.Caller.StoresServedLists"/>); the flag stays so that records stored before are still read as such.
/// </summary>
public sealed record ServedListRecord(
    string ListId,
    string UserId,
    DateTimeOffset ServedAt,
    string Policy,
    double Explore,
    int Head,
    int Pool,
    int PoolNew,
    IReadOnlyList<ServedListSlot> Slots,
    string? SessionId = null,
    string? ModelVersion = null,
    bool Anonymous = false);

/// <summary>
/// One slot of a served list: the item, why it is there, the probability the policy put it there, its place in the
/// ranked candidates (−1: a fixed slot outside the policy, such as a new arrival), whether it counted as new, and the
/// probability that it was a candidate at all (below 1 for the sampled long tail; the propensity includes it).
/// <see cref="PropensityStandardError"/> is the standard error of a propensity the policy estimated by Monte Carlo
/// (inclusion included); 0 means exact, and is what a record stored before the field existed reads as. Left out of
/// the stored JSON when 0, so an exact slot is stored as it always was. <see cref="Score"/> and <see cref="Source"/>
/// are the item's score as served and the kind of reason (the candidate source) behind it: what the click model learns
/// from as it was at serving time, not as a later model would score it (null and 0 in records stored before them).
/// </summary>
public sealed record ServedListSlot(
    string ItemId,
    SlotKind Kind,
    double Propensity,
    int Rank,
    bool IsNew,
    double Inclusion = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double PropensityStandardError = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double Score = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Serving.ReasonKind? Source = null);
