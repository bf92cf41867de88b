namespace ServerlessReco.Core.Serving;

/// <summary>
/// A served list. <see cref="Source"/> is "model" (with <see cref="ModelVersion"/>) or "popularity-fallback"
/// when no model is loaded. Events that follow from it cite <see cref="RecommendationId"/>.
/// </summary>
public sealed record RecommendationList(
    string RecommendationId,
    string Source,
    string? ModelVersion,
    IReadOnlyList<RecommendedItem> Items)
{
    /// <summary>The exploration policy of a personal list, e.g. "epsilon-greedy(0.1)"; null for similar and trending lists.</summary>
    public string? Policy { get; init; }
}

/// <summary>
/// One recommended item with a score (comparable within one list), a reason a shopper can read, and its kind:
/// "history" (because of <see cref="BasedOn"/>), "similar", "trending", "popular" or "new-arrival".
/// <see cref="SlotKind"/> says whether the exploration policy put it there to exploit what is known ("exploit") or to
/// learn ("explore"); <see cref="Propensity"/> is the probability that the policy would have shown this item at this
/// position (1 for deterministic lists), logged with the impression for off-policy evaluation.
/// </summary>
public sealed record RecommendedItem(
    string ItemId,
    double Score,
    string Reason,
    string ReasonKind,
    string? BasedOn = null,
    string? Title = null,
    string? Category = null,
    string SlotKind = "exploit",
    double Propensity = 1);

/// <summary>
/// What a user asks for: count 1..100, optionally one category, optionally the current session, optionally an
/// exploration rate 0..1 for this list (null: the configured default).
/// </summary>
public sealed record RecommendationRequest(string UserId, int Count = 10, string? Category = null, string? SessionId = null, double? Explore = null);

/// <summary>The reason kinds of <see cref="RecommendedItem.ReasonKind"/>.</summary>
public static class ReasonKinds
{
    public const string History = "history";
    public const string Similar = "similar";
    public const string Trending = "trending";
    public const string Popular = "popular";
    public const string NewArrival = "new-arrival";

    /// <summary>An explore slot's item from the long tail, with no history reason to name.</summary>
    public const string Discovery = "discovery";
}

/// <summary>The values of <see cref="RecommendationList.Source"/>.</summary>
public static class ServingSources
{
    public const string Model = "model";
    public const string PopularityFallback = "popularity-fallback";
}
