using ServerlessReco.Core.Diversity;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>The diversity settings applied to served lists (measured offline on MovieLens in the benchmark).</summary>
public sealed class DiversityServingTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private async Task<IReadOnlyList<RecommendedItem>> ListAsync(DiversityOptions diversity, string user, double explore = 0)
    {
        var service = _shop.Service(new ServingOptions { Diversity = diversity, NewArrivalSlots = 0, LogServedLists = false });
        return (await service.RecommendAsync(new RecommendationRequest(user, Explore: explore), Cancel)).Items;
    }

    [Fact]
    public async Task TheCategoryCapHoldsInServedListsAndMmrSpreadsCategories()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        int plainCategories = 0, mmrCategories = 0;
        for (var rank = 0; rank < 10; rank++)
        {
            var user = _shop.ActiveUser(rank);
            var plain = await ListAsync(new DiversityOptions(), user);
            var capped = await ListAsync(new DiversityOptions { MaxCategoryShare = 0.3 }, user, explore: 0.5);
            var mmr = await ListAsync(new DiversityOptions { MmrLambda = 0.5 }, user);

            Assert.All(capped.Where(i => i.SlotKind == SlotKind.Exploit).GroupBy(i => i.Category), g => Assert.True(g.Count() <= 3, $"{g.Key}: {g.Count()} of 10"));
            Assert.Equal(10, capped.Count);
            plainCategories += plain.Select(i => i.Category).Distinct().Count();
            mmrCategories += mmr.Select(i => i.Category).Distinct().Count();
        }

        Assert.True(mmrCategories > plainCategories, $"MMR lists span {mmrCategories} categories in all, plain lists {plainCategories}");
    }

    [Fact]
    public async Task ThePopularityPenaltyServesLessPopularItems()
    {
        await _shop.StoreAsync();
        var artifact = await _shop.PublishAsync("v1");
        double MeanPopularity(IEnumerable<RecommendedItem> items) => items.Average(i =>
            artifact.Model.Items.TryGetIndex(i.ItemId, out var j) ? artifact.ItemPopularity[j] : 0);

        double plain = 0, penalised = 0;
        for (var rank = 0; rank < 10; rank++)
        {
            var user = _shop.ActiveUser(rank);
            plain += MeanPopularity(await ListAsync(new DiversityOptions(), user));
            penalised += MeanPopularity(await ListAsync(new DiversityOptions { PopularityPenalty = 1 }, user));
        }

        Assert.True(penalised < 0.9 * plain, $"mean popularity of served items: {penalised / 10:F1} penalised vs {plain / 10:F1}");
    }
}
