using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Lab.Simulation;

/// <summary>What the simulated shop learnt from one list request: the list as served and, in process only, what the policy drew it from.</summary>
/// <param name="Candidates">The ranked candidates the exploration policy drew from, or null when the shop cannot see them (over HTTP).</param>
public sealed record ShopListResponse(string RecommendationId, IReadOnlyList<RecommendedItem> Items, IReadOnlyList<Candidate>? Candidates)
{
    /// <summary>The model version that made the list (null when popularity served it).</summary>
    public string? ModelVersion { get; init; }
}

/// <summary>How a retrain went, as the simulation counts it.</summary>
public sealed record ShopRetrain(bool Trained, bool Promoted, string Summary)
{
    /// <summary>The trained version's exploration-rate choice and click-model decision, as its record stores them (null when none).</summary>
    public ExplorationRateChoice? Rate { get; init; }

    public ClickModelDecision? ClickModel { get; init; }
}

/// <summary>
/// The product as the simulated shop talks to it: what a real shop does (upsert items, post events, ask for lists)
/// and what its operator does (retrain). In process (<see cref="InProcessShopApi"/>) it calls the services directly
/// with a clock the loop moves; over HTTP a driver calls the local host's routes the same way a shop's code would.
/// </summary>
public interface IShopApi
{
    /// <summary>The shop's time now: what events are stamped with.</summary>
    DateTimeOffset Now { get; }

    /// <summary>A new simulated day begins at <paramref name="day"/> (in process the clock moves there; over HTTP time is the host's).</summary>
    Task BeginDayAsync(DateTimeOffset day, CancellationToken cancellationToken);

    /// <summary>Upserts items into the catalogue, created at <paramref name="createdAt"/>.</summary>
    Task UpsertItemsAsync(IReadOnlyList<WorldItem> items, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>Posts behaviour events (views, clicks, carts, purchases), in batches the API accepts.</summary>
    Task RecordEventsAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken);

    /// <summary>Retrains now, through the promotion gate.</summary>
    Task<ShopRetrain> RetrainAsync(CancellationToken cancellationToken);

    /// <summary>Makes serving pick up what changed (model, catalogue, trending) before the day's first list.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>One shopper's list of <paramref name="count"/> items, with the policy's settings as served.</summary>
    Task<ShopListResponse> RecommendAsync(string userId, int count, CancellationToken cancellationToken);
}
