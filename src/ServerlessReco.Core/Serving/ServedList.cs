namespace ServerlessReco.Core.Serving;

/// <summary>
/// A served slot's place in the ranked candidates (−1: a fixed slot), whether the item counted as new, and the
/// probability that it was among the candidates at all (below 1 for the long-tail sample).
/// </summary>
internal readonly record struct ServedSlot(int Rank, bool IsNew, double Inclusion);

/// <summary>What the policy saw: its name and rate, the list length it filled, the pool beyond it and the new items in the pool.</summary>
internal sealed record ListShape(string Policy, double Explore, int Head, int Pool, int PoolNew);

internal sealed record ServedList(RecommendationList List, IReadOnlyList<ServedSlot> Slots, ListShape Shape);
