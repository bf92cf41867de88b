using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Serving;

/// <summary>
/// A served slot's place in the ranked candidates (−1: a fixed slot), whether the item counted as new, and the
/// probability that it was among the candidates at all (below 1 for the long-tail sample), and the standard error of the
/// served propensity when the policy estimated it by Monte Carlo (0: exact).
/// </summary>
public readonly record struct ServedSlot(int Rank, bool IsNew, double Inclusion, double PropensityStandardError = 0);

/// <summary>What the policy saw: its name and rate, the list length it filled, the pool beyond it and the new items in the pool.</summary>
public sealed record ListShape(string Policy, double Explore, int Head, int Pool, int PoolNew)
{
    /// <summary>The shape of a list no policy drew (an unknown category).</summary>
    public static ListShape None { get; } = new("", 0, 0, 0, 0);
}

/// <summary>
/// A personal list as served, with everything needed to log or replay it: the request, the list, each slot's place in
/// <see cref="Candidates"/> (the ranked pool the exploration policy drew from, best first, the long-tail sample last),
/// the policy's view of the list, and when it was served.
/// </summary>
public sealed record ServedList(
    RecommendationRequest Request,
    RecommendationList List,
    IReadOnlyList<ServedSlot> Slots,
    ListShape Shape,
    IReadOnlyList<Candidate> Candidates,
    DateTimeOffset ServedAt);

/// <summary>
/// Where every personal list goes once it is drawn, before <see cref="RecommendationService.RecommendAsync"/> returns it:
/// the served-list store (<see cref="ServedListLog"/>, on when <see cref="ServingOptions.LogServedLists"/> is), and an
/// observer the caller passes to the service (the closed-loop simulation values other policies on exactly the
/// candidates each list was drawn from). A sink must not throw for a store failure: the shopper still gets the list.
/// </summary>
public interface IServedListSink
{
    Task ServedAsync(ServedList served, CancellationToken cancellationToken);
}
