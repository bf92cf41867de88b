using System.Globalization;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Ranking;

/// <summary>
/// EASE candidates re-ranked by LightGBM LambdaRank. Training carves a hold-out from the training rows with the
/// same per-item stratified split as the benchmark, fits EASE on the rest, learns the ranker on its candidates,
/// then refits EASE on all training rows. <see cref="ToArtifact"/> packs EASE, the ranker and the item features
/// into one model artifact that <see cref="RerankingRecommender"/> serves.
/// </summary>
public sealed class RerankedModel
{
    private RerankedModel(ModelArtifact artifact, InteractionMatrix data, ItemSide items, LambdaRankReranker reranker)
    {
        Artifact = artifact;
        Data = data;
        Items = items;
        Reranker = reranker;
    }

    /// <summary>The EASE model trained on all rows, as a servable artifact (without the ranker attached).</summary>
    public ModelArtifact Artifact { get; }
    public IItemScorer Ease => Artifact.Model;
    public InteractionMatrix Data { get; }
    public ItemSide Items { get; }
    public LambdaRankReranker Reranker { get; }

    public static async Task<RerankedModel> TrainAsync(
        IReadOnlyList<RatingRow> train,
        TrainingOptions data,
        IReadOnlyDictionary<string, CatalogItem>? catalog = null,
        RerankerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (inner, holdout) = StratifiedSplit.ByItem(train);
        var holdoutByUser = OfflineEvaluation.GroupByUser(holdout.Select(r =>
            (r.User.ToString(CultureInfo.InvariantCulture), r.Item.ToString(CultureInfo.InvariantCulture))));
        var innerData = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(inner, cancellationToken), data, cancellationToken: cancellationToken);
        var reranker = LambdaRankReranker.Train(
            EaseModel.Train(innerData, cancellationToken: cancellationToken),
            null,
            innerData,
            ItemSide.From(innerData, catalog),
            holdoutByUser,
            options);

        var full = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(train, cancellationToken), data, cancellationToken: cancellationToken);
        var artifact = Trainer.Train(full, new TrainerOptions { Model = ModelKind.Ease, Data = data }, cancellationToken: cancellationToken);
        return new RerankedModel(artifact, full, ItemSide.From(full, catalog), reranker);
    }

    /// <summary>
    /// Trains from behaviour events, whichever store they come from: the ranker learns from each user's latest
    /// interactions held out of the training matrix (<see cref="InteractionMatrix.HoldOutLatest"/>), then EASE is
    /// refitted on everything.
    /// </summary>
    public static async Task<RerankedModel> TrainAsync(
        IAsyncEnumerable<BehaviorEvent> events,
        TrainingOptions data,
        IReadOnlyDictionary<string, CatalogItem>? catalog = null,
        RerankerOptions? options = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var full = await InteractionMatrixBuilder.BuildAsync(events, data, progress, cancellationToken);
        var (inner, holdout) = full.HoldOutLatest();
        progress?.Report($"re-ranker: {holdout.Count:N0} users with held-out latest items");
        var reranker = LambdaRankReranker.Train(
            EaseModel.Train(inner, cancellationToken: cancellationToken),
            null,
            inner,
            ItemSide.From(inner, catalog),
            holdout,
            options);
        progress?.Report("re-ranker: trained; refitting EASE on all interactions");
        var artifact = Trainer.Train(full, new TrainerOptions { Model = ModelKind.Ease, Data = data }, progress, cancellationToken: cancellationToken);
        return new RerankedModel(artifact, full, ItemSide.From(full, catalog), reranker);
    }

    public EvaluationResult Evaluate(IReadOnlyDictionary<string, IReadOnlySet<string>> test, int k = 10) =>
        Reranker.Evaluate(Ease, null, Data, Items, test, k);

    /// <summary>The EASE artifact with the ranker and the item features attached.</summary>
    public ModelArtifact ToArtifact()
    {
        Artifact.Attach(LambdaRankReranker.AttachmentName, Reranker.Save());
        Artifact.Attach(ItemSide.AttachmentName, Items.Save());
        return Artifact;
    }
}
