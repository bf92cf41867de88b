using ServerlessReco.Core.Content;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Training;

/// <summary>
/// Content as a challenger: each hold-out user's top K as the product would serve it, through serving's own stages
/// (<see cref="PersonalListStages"/>, the hosts' serving rules, exploration 0), from the chosen model kind fitted on the
/// training part, once with the catalogue's content vectors in the model and once without, scored on nDCG@K paired per
/// user; content is kept only when it is not worse beyond noise, by the gate's own rule (<see cref="RetrainGate.Compare"/>:
/// the upper end of with − without, at <see cref="RetrainOptions.StandardErrors"/> standard errors, reaches −tolerance × the
/// without figure). Whatever serving does with content (which items it may score, where they go in a list), the
/// challenger measures that, because it is that code.
/// </summary>
/// <remarks>
/// Served as of the training part's newest event, with no recent events for trending (the model's popularity alone),
/// to at most <see cref="MaxUsers"/> hold-out users (ordinal order of their pseudonymous ids). Exploration is left out:
/// its draws are random, and what they earn is measured online and by off-policy evaluation, not here.
/// </remarks>
internal static class ContentChallenge
{
    /// <summary>How many hold-out users are served: enough to tell 0.01 of nDCG apart, cheap beside training (as <see cref="BlendSelection.MaxPoints"/>).</summary>
    public const int MaxUsers = 2000;

    /// <summary>The hold-out users the challenger serves.</summary>
    public static IReadOnlyCollection<string> Users(HoldOut holdOut) => [.. holdOut.HeldOut.Keys.Order(StringComparer.Ordinal).Take(MaxUsers)];

    /// <param name="fitted">The challenger's kind fitted on <paramref name="holdOut"/>'s training part.</param>
    /// <param name="histories">Each served user's training events, oldest first (<see cref="HoldOutHistories"/>).</param>
    /// <param name="blend">The candidate families' weights the published model will carry, or null: the model alone.</param>
    public static ContentDecision Decide(
        HoldOut holdOut, ModelArtifact fitted, ContentBuild built, IReadOnlyDictionary<string, IReadOnlyList<BehaviorEvent>> histories, BlendChoice? blend,
        RetrainOptions options, CancellationToken cancellationToken)
    {
        var now = holdOut.Train.Summary.To ?? DateTimeOffset.UnixEpoch;
        var catalog = new CatalogSnapshot(built.Catalogue, now);
        var recommender = new Recommender(fitted);
        var sessions = blend is { Weights.Neighbors: > 0 } ? SessionIndex.Build(holdOut.Train, blend.Neighbors.MaxSessions) : null;
        ServingState State(ContentEmbeddings? content) => new(
            new ServingModel(HoldOutPointer(now), "", recommender, now) { Content = content, Sessions = sessions, Blend = blend },
            catalog, TrendingEvents.Empty, options.Serving.PopularityPrior);

        var (without, with) = Serve(new PersonalListStages(options.Serving, new LiveExposure()), State(null), State(built.Embeddings), histories, holdOut.HeldOut, now, options.K, cancellationToken);
        var withScored = new ScoredModel(Summary(with, options.K), with);
        var withoutScored = new ScoredModel(Summary(without, options.K), without);
        var comparison = RetrainGate.Compare(withScored, withoutScored, options.Tolerance, options.StandardErrors);
        var reason = comparison.NotWorse
            ? $"{RetrainReasons.ContentUsed(built.Items, built.Pending)}; on the hold-out nDCG@{options.K} {withScored.Scores.Ndcg:F4} with content, {withoutScored.Scores.Ndcg:F4} without ({RetrainReasons.Interval(comparison, options.StandardErrors)})"
            : $"content lowered nDCG@{options.K} on the hold-out: {comparison.Difference:+0.0000;-0.0000;0.0000} ± {options.StandardErrors * comparison.StandardError:F4} ({withScored.Scores.Ndcg:F4} with content, {withoutScored.Scores.Ndcg:F4} without, {options.StandardErrors:0.##} s.e., {comparison.Users:N0} users)";
        return new ContentDecision(comparison.NotWorse, reason)
        {
            NdcgWithContent = withScored.Scores.Ndcg,
            NdcgWithoutContent = withoutScored.Scores.Ndcg,
            Comparison = comparison,
        };
    }

    /// <summary>
    /// Each user's nDCG@K of the list served from their history without exploration, without content and with it. Users
    /// are served in parallel, as serving serves requests (the stages are thread-safe): a retrain has the cores to itself.
    /// </summary>
    private static (Dictionary<string, double> Without, Dictionary<string, double> With) Serve(
        PersonalListStages stages, ServingState without, ServingState with, IReadOnlyDictionary<string, IReadOnlyList<BehaviorEvent>> histories,
        Dictionary<string, IReadOnlySet<string>> heldOut, DateTimeOffset now, int k, CancellationToken cancellationToken)
    {
        var users = histories.ToArray();
        var scores = new (double Without, double With)[users.Length];
        double Ndcg(ServingState state, string user, IReadOnlyList<BehaviorEvent> history) =>
            RankingMetrics.Ndcg([.. stages.Serve(state, new RecommendationRequest(user, k, Explore: 0), history, now).List.Items.Select(i => i.ItemId)], heldOut[user], k);

        Parallel.For(0, users.Length, new ParallelOptions { CancellationToken = cancellationToken }, u =>
        {
            var (user, history) = users[u];
            scores[u] = (Ndcg(without, user, history), Ndcg(with, user, history));
        });

        var comparer = StringComparer.Ordinal;
        return (
            users.Select((p, u) => (p.Key, scores[u].Without)).ToDictionary(p => p.Key, p => p.Without, comparer),
            users.Select((p, u) => (p.Key, scores[u].With)).ToDictionary(p => p.Key, p => p.With, comparer));
    }

    /// <summary>The pointer of a model no store holds: serving reads only its version, for the lists' <c>modelVersion</c>.</summary>
    private static ModelPointer HoldOutPointer(DateTimeOffset now) => new() { Version = "hold-out", ArtifactBlob = "", PromotedAt = now };

    private static ModelScores Summary(Dictionary<string, double> perUser, int k) =>
        new(k, perUser.Count, perUser.Count == 0 ? 0 : perUser.Values.Average(), 0, 0, 0, 0);
}
