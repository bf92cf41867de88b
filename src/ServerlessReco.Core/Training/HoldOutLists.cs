using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Training;

/// <summary>
/// The hold-out as serving would serve it: each hold-out user's top K through serving's own stages
/// (<see cref="PersonalListStages"/>, the hosts' serving rules, exploration 0) from the model fitted on the training part,
/// once as the published version would serve without a component and once with it, scored on nDCG@K paired per user and
/// compared by the gate's own rule (<see cref="RetrainGate.Compare"/>). The challengers that change what a list holds
/// (content vectors, the click model's re-ranking) are judged by it: whatever serving does with them, this measures,
/// because it is that code.
/// </summary>
/// <remarks>
/// Served as of the training part's newest event, with no recent events for trending (the model's popularity alone), to
/// at most <see cref="MaxUsers"/> hold-out users (ordinal order of their pseudonymous ids). Exploration is left out: its
/// draws are random, and what they earn is measured online and by off-policy evaluation, not here.
/// </remarks>
internal sealed class HoldOutLists
{
    /// <summary>How many hold-out users are served: enough to tell 0.01 of nDCG apart, cheap beside training (as <see cref="BlendSelection.MaxPoints"/>).</summary>
    public const int MaxUsers = 2000;

    private readonly HoldOut _holdOut;
    private readonly Recommender _recommender;
    private readonly SessionIndex? _sessions;
    private readonly BlendChoice? _blend;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<BehaviorEvent>> _histories;
    private readonly RetrainOptions _options;

    /// <param name="fitted">The published kind fitted on <paramref name="holdOut"/>'s training part.</param>
    /// <param name="histories">Each served user's training events, oldest first (<see cref="HoldOutHistories"/>, of <see cref="Users"/>).</param>
    /// <param name="blend">The candidate families' weights the published model will carry, or null: the model alone.</param>
    public HoldOutLists(HoldOut holdOut, ModelArtifact fitted, IReadOnlyDictionary<string, IReadOnlyList<BehaviorEvent>> histories, BlendChoice? blend, RetrainOptions options)
    {
        _holdOut = holdOut;
        _recommender = new Recommender(fitted);
        _sessions = blend is { Weights.Neighbors: > 0 } ? SessionIndex.Build(holdOut.Train, blend.Neighbors.MaxSessions) : null;
        _blend = blend;
        _histories = histories;
        _options = options;
        Now = holdOut.Train.Summary.To ?? DateTimeOffset.UnixEpoch;
    }

    /// <summary>The moment the hold-out is served at: the training part's newest event.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>How many users are served.</summary>
    public int Users => _histories.Count;

    /// <summary>The hold-out users the challengers serve.</summary>
    public static IReadOnlyCollection<string> UsersOf(HoldOut holdOut) => [.. holdOut.HeldOut.Keys.Order(StringComparer.Ordinal).Take(MaxUsers)];

    /// <summary>The catalogue as the hold-out is served against it: read into a snapshot once for both lists of a comparison.</summary>
    public CatalogSnapshot Catalog(IEnumerable<CatalogItem> catalogue) => new(catalogue, Now);

    /// <summary>The serving state of the hold-out's model over <paramref name="catalog"/>, with what <paramref name="with"/> adds to the model.</summary>
    public ServingState State(CatalogSnapshot catalog, Func<ServingModel, ServingModel> with) => new(
        with(new ServingModel(Pointer(Now), "", _recommender, Now) { Content = null, Sessions = _sessions, Blend = _blend, Clicks = null, ExplorationRate = null }),
        catalog, TrendingEvents.Empty, _options.Serving.PopularityPrior);

    /// <summary>
    /// Each user's nDCG@K served from <paramref name="challenger"/> against <paramref name="baseline"/>, and the gate's
    /// comparison of the two. Users are served in parallel, as serving serves requests (the stages are thread-safe): a
    /// retrain has the cores to itself.
    /// </summary>
    public HoldOutListComparison Compare(ServingState baseline, ServingState challenger, CancellationToken cancellationToken)
    {
        var stages = new PersonalListStages(_options.Serving, new LiveExposure());
        var k = _options.K;
        var users = _histories.ToArray();
        var scores = new (double Baseline, double Challenger)[users.Length];
        double Ndcg(ServingState state, string user, IReadOnlyList<BehaviorEvent> history) =>
            RankingMetrics.Ndcg([.. stages.Serve(state, new RecommendationRequest(user, k, Explore: 0), history, Now).List.Items.Select(i => i.ItemId)], _holdOut.HeldOut[user], k);

        Parallel.For(0, users.Length, new ParallelOptions { CancellationToken = cancellationToken }, u =>
        {
            var (user, history) = users[u];
            scores[u] = (Ndcg(baseline, user, history), Ndcg(challenger, user, history));
        });

        var withScored = Scored(users.Select((p, u) => (p.Key, scores[u].Challenger)));
        var withoutScored = Scored(users.Select((p, u) => (p.Key, scores[u].Baseline)));
        var comparison = RetrainGate.Compare(withScored, withoutScored, _options.Tolerance, _options.StandardErrors);
        return new HoldOutListComparison(withScored.Scores.Ndcg, withoutScored.Scores.Ndcg, comparison);
    }

    private ScoredModel Scored(IEnumerable<(string User, double Ndcg)> perUser)
    {
        var byUser = perUser.ToDictionary(p => p.User, p => p.Ndcg, StringComparer.Ordinal);
        return new ScoredModel(new ModelScores(_options.K, byUser.Count, byUser.Count == 0 ? 0 : byUser.Values.Average(), 0, 0, 0, 0), byUser);
    }

    /// <summary>The pointer of a model no store holds: serving reads only its version, for the lists' <c>modelVersion</c>.</summary>
    private static ModelPointer Pointer(DateTimeOffset now) => new() { Version = "hold-out", ArtifactBlob = "", PromotedAt = now };
}

/// <summary>nDCG@K of the hold-out lists with a challenger component and without, and the gate's paired comparison (with − without).</summary>
internal sealed record HoldOutListComparison(double NdcgWith, double NdcgWithout, GateComparison Comparison);
