using ServerlessReco.Core.Catalog;
using ServerlessReco.Lab.Benchmarks.Sessions;

namespace ServerlessReco.Lab.Benchmarks.CategoryShop;

/// <summary>
/// The product on a category shop in this process (<see cref="SessionServing"/>: the embedded store, one retrain through
/// <see cref="Core.Training.RetrainService"/>, the <see cref="Core.Serving.RecommendationService"/>), each returning shopper
/// served from their window's events with exploration off and no new-arrival slot: the ranking alone, beside the HTTP
/// run's lists as a new shop gets them.
/// </summary>
public static class CategoryShopInProcess
{
    public const string Method = "ServerlessReco (in process, explore 0)";

    /// <summary>The ranking's scores and what the retrain did, the lists served at <paramref name="now"/>.</summary>
    public static async Task<(MethodScores Scores, string Retrain)> RunAsync(CategoryShopWorld world, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        using var serving = new SessionServing();
        var catalogue = world.Items.Select(i => new CatalogItem { ItemId = i.Id, Category = i.Category, Title = i.Title }).ToList();
        await serving.TrainAsync(world.Events, catalogue, cancellationToken, now).ConfigureAwait(false);
        var history = world.Events.GroupBy(e => e.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var scores = CategoryShopRun.Score(Method, world, shopper => serving.Recommend(history[shopper], CategoryShopRun.K));
        return (scores, serving.Retrain);
    }
}
