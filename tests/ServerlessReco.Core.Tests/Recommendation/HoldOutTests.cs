using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

public class HoldOutTests
{
    [Fact]
    public void LatestItemsOfUsersWithEnoughHistoryAreHeldOut()
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HalfLife = null });
        for (var i = 0; i < 10; i++)
        {
            builder.Add("busy", $"i{i}", 1, 1000 + i);
        }

        builder.Add("light", "i0", 1, 5);
        builder.Add("light", "i1", 1, 6);
        var full = builder.Build();

        var (train, heldOut) = full.HoldOutLatest(fraction: 0.2, minItems: 5);

        Assert.Equal(["i8", "i9"], heldOut["busy"].Order());
        Assert.False(heldOut.ContainsKey("light"));
        Assert.Equal(full.NonZeros - 2, train.NonZeros);
        Assert.Equal(1007, train.Times.UserLastSeen[0]);
        Assert.Equal(full.Items.Ids, train.Items.Ids);
    }
}
