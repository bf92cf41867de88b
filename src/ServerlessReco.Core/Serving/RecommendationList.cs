using System.Text.Json.Serialization;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A served list. <see cref="Source"/> says whether a model made it (with <see cref="ModelVersion"/>) or popularity
/// because no model is loaded. Events that follow from it cite <see cref="RecommendationId"/>.
/// </summary>
public sealed record RecommendationList(
    string RecommendationId,
    ServingSource Source,
    string? ModelVersion,
    IReadOnlyList<RecommendedItem> Items)
{
    /// <summary>The exploration policy of a personal list, e.g. "epsilon-greedy(0.1)"; null for similar and trending lists.</summary>
    public string? Policy { get; init; }

    /// <summary>
    /// What ordered a personal list's candidates: the version whose click model re-ranked them, or "none" (no click
    /// model serves, it is off, or the shopper has no history); null for similar and trending lists.
    /// </summary>
    public string? Ranker { get; init; }
}

/// <summary>
/// One recommended item with a score (comparable within one list), a reason a shopper can read, and its
/// <see cref="ServerlessReco.Core.Serving.ReasonKind"/>. <see cref="SlotKind"/> says whether the exploration policy put
/// it there to exploit what is known or to learn; <see cref="Propensity"/> is the probability that the policy would
/// have shown this item at this position (1 for deterministic lists), logged with the impression for off-policy evaluation.
/// </summary>
public sealed record RecommendedItem(
    string ItemId,
    double Score,
    string Reason,
    ReasonKind ReasonKind,
    string? BasedOn = null,
    string? Title = null,
    string? Category = null,
    SlotKind SlotKind = SlotKind.Exploit,
    double Propensity = 1);

/// <summary>A list as it would be served now, and the user's recent events (oldest first) it was made from.</summary>
public sealed record ServingPreview(IReadOnlyList<ServerlessReco.Core.Events.BehaviorEvent> RecentEvents, RecommendationList List);

/// <summary>
/// What a user asks for: count 1..100, optionally one category, optionally the current session, optionally an
/// exploration rate 0..1 for this list (null: the configured default), and who asks (<see cref="Caller"/>; null: a server
/// caller). The caller's rules are <see cref="Access.Caller"/>'s: an anonymous caller (the <c>public/</c> routes) may know
/// nothing but the user id, so its reasons never name the user's history (no "because you bought X", no
/// <see cref="RecommendedItem.BasedOn"/>), <see cref="Explore"/> is ignored (the configured rate serves), and its list is
/// not stored: anyone could otherwise skew the exploration figures by asking for lists they never show.
/// </summary>
public sealed record RecommendationRequest(
    string UserId, int Count = 10, string? Category = null, string? SessionId = null, double? Explore = null, Access.Caller? Caller = null)
{
    /// <summary>Who asks: <see cref="Caller"/>, or a server caller when none was given.</summary>
    public Access.Caller Who => Caller ?? Access.Caller.Server();
}

/// <summary>Why an item is in a list; in JSON the names in quotes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReasonKind>))]
public enum ReasonKind
{
    /// <summary>"history": the model, because of the user's item named in <see cref="RecommendedItem.BasedOn"/>.</summary>
    [JsonStringEnumMemberName("history")]
    History,

    /// <summary>"similar": like the item a similar-items list was asked for.</summary>
    [JsonStringEnumMemberName("similar")]
    Similar,

    /// <summary>"trending": recent activity backs it.</summary>
    [JsonStringEnumMemberName("trending")]
    Trending,

    /// <summary>"popular": popular in the model's training window only, or (no model, no recent event) in the stored events.</summary>
    [JsonStringEnumMemberName("popular")]
    Popular,

    /// <summary>"new-arrival": new in the catalogue, not known to the model yet.</summary>
    [JsonStringEnumMemberName("new-arrival")]
    NewArrival,

    /// <summary>"discovery": an explore slot's item from the long tail, with no history reason to name.</summary>
    [JsonStringEnumMemberName("discovery")]
    Discovery,

    /// <summary>
    /// "content": an item the model cannot score yet (no or few interactions), picked by the content model because its text
    /// is like that of the item named in <see cref="RecommendedItem.BasedOn"/> ("similar to X you viewed").
    /// </summary>
    [JsonStringEnumMemberName("content")]
    Content,

    /// <summary>
    /// "catalogue": no event backs it and no model scores it; one of the catalogue's newest available items, the last
    /// fill of a list when trending and popularity have too few ("new in the catalogue").
    /// </summary>
    [JsonStringEnumMemberName("catalogue")]
    Catalogue,
}

/// <summary>What made a list (<see cref="RecommendationList.Source"/>); in JSON the names in quotes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServingSource>))]
public enum ServingSource
{
    /// <summary>"model": the model in memory, with the user's recent events.</summary>
    [JsonStringEnumMemberName("model")]
    Model,

    /// <summary>"popularity-fallback": no model is loaded; trending, the stored events' popularity, then the catalogue's newest items answer.</summary>
    [JsonStringEnumMemberName("popularity-fallback")]
    PopularityFallback,
}
