using System.Globalization;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Datasets;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Ranking;

/// <summary>
/// EASE candidates re-ranked by LightGBM LambdaRank with SAR's score as a second opinion. Training carves a
/// hold-out from the training rows with the same per-item stratified split as the benchmark, fits EASE and
/// SAR on the rest, learns the ranker on their candidates, then refits EASE and SAR on all training rows.
/// </summary>
public sealed class RerankedModel
{
    private RerankedModel(EaseModel ease, SarModel sar, InteractionMatrix data, ItemSide items, LambdaRankReranker reranker)
    {
        Ease = ease;
        Sar = sar;
        Data = data;
        Items = items;
        Reranker = reranker;
    }

    public EaseModel Ease { get; }
    public SarModel Sar { get; }
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
            SarModel.Train(innerData, cancellationToken: cancellationToken),
            innerData,
            ItemSide.From(innerData, catalog),
            holdoutByUser,
            options);

        var full = await InteractionMatrixBuilder.BuildAsync(MovieLens.AsEvents(train, cancellationToken), data, cancellationToken: cancellationToken);
        return new RerankedModel(
            EaseModel.Train(full, cancellationToken: cancellationToken),
            SarModel.Train(full, cancellationToken: cancellationToken),
            full,
            ItemSide.From(full, catalog),
            reranker);
    }

    public EvaluationResult Evaluate(IReadOnlyDictionary<string, IReadOnlySet<string>> test, int k = 10) =>
        Reranker.Evaluate(Ease, Sar, Data, Items, test, k);
}
