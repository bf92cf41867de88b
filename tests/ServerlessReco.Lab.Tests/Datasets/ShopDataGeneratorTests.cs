using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Tests.Datasets;

public class ShopDataGeneratorTests
{
    private static readonly ShopDataOptions Small = new() { Users = 2_000, Items = 1_000, Events = 20_000, Categories = 20 };

    [Fact]
    public async Task GeneratesExactlyTheRequestedEventsDeterministically()
    {
        var first = await ShopDataGenerator.GenerateAsync(Small, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        var second = await ShopDataGenerator.GenerateAsync(Small, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(20_000, first.Count);
        Assert.Equal(first.Select(e => (e.UserId, e.ItemId, e.Type, e.Timestamp)), second.Select(e => (e.UserId, e.ItemId, e.Type, e.Timestamp)));
    }

    [Fact]
    public async Task SarWithBoundedNeighboursStoresAtMostItemsTimesNeighbours()
    {
        var options = new TrainerOptions { Model = ModelKind.Sar, Sar = new SarOptions { MaxNeighbors = 10 } };
        var artifact = await Trainer.TrainAsync(ShopDataGenerator.GenerateAsync(Small, TestContext.Current.CancellationToken), options, cancellationToken: TestContext.Current.CancellationToken);

        var sar = Assert.IsType<SarModel>(artifact.Model);
        Assert.True(sar.StoredPairs <= artifact.Model.Items.Count * 10);
        Assert.True(artifact.Manifest.Data!.Interactions > 0);
    }

    [Fact]
    public async Task PopularItemsAreMuchMorePopularThanTheTail()
    {
        var events = await ShopDataGenerator.GenerateAsync(Small, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        var counts = events.GroupBy(e => e.ItemId).Select(g => g.Count()).OrderDescending().ToList();

        Assert.True(counts[0] > 20 * counts[counts.Count / 2]);
    }
}
