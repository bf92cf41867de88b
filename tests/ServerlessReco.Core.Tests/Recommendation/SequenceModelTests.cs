using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Training;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>Order and recency: the history order rule, the sequence model, serving and the retrain through one path.</summary>
public class SequenceModelTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.Date.AddDays(-300);

    /// <summary>
    /// Shoppers walking a ring of 60 items, each 12 steps on from a random start, an hour apart (all within 250 days): what comes next is the
    /// next item on the ring, while co-occurrence alone cannot tell the next item from the one before the start.
    /// </summary>
    private static List<BehaviorEvent> RingWalks(int users = 300, int items = 60, int steps = 12, int seed = 5)
    {
        var random = new Random(seed);
        var events = new List<BehaviorEvent>();
        for (var u = 0; u < users; u++)
        {
            var first = random.Next(items);
            for (var s = 0; s < steps; s++)
            {
                events.Add(View($"u{u}", $"i{(first + s) % items}", Start.AddHours((u * 20) + s)));
            }
        }

        return events;
    }

    private static BehaviorEvent View(string user, string item, DateTimeOffset at) =>
        new() { EventId = $"{user}:{item}:{at.ToUnixTimeSeconds()}", UserId = user, ItemId = item, Type = EventType.View, Timestamp = at };

    private static async Task<ModelArtifact> TrainAsync(IEnumerable<BehaviorEvent> events, ModelKind kind) =>
        await Trainer.TrainAsync(events.ToAsyncEnumerable(), new TrainerOptions { Model = kind }, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public void EventsAtTheSameSecondAreOrderedAsTheyArrivedInTrainingAndInServing()
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HalfLife = null, HistoryHalfLife = 1 });
        builder.Add(View("u", "b", Start));
        builder.Add(View("u", "a", Start));
        var data = builder.Build();

        // Items are numbered as first seen (b, a); "a" arrived last: it is the newest (rank 0, weight 1), "b" one place
        // back (weight 0.5).
        Assert.Equal([1, 0], data.RowRanks(0).ToArray());
        Assert.Equal([0.5, 1.0], data.RowValues(0).ToArray());

        var artifact = Trainer.Train(data, new TrainerOptions { Model = ModelKind.Sequence, Data = data.Options }, cancellationToken: TestContext.Current.CancellationToken);
        var (items, affinities) = new Recommender(artifact).Affinities([View("u", "b", Start), View("u", "a", Start)], Start);
        Assert.Equal(data.RowItems(0).ToArray(), items);
        Assert.Equal(data.RowValues(0).ToArray(), affinities);
    }

    [Fact]
    public async Task TheNewestEventsMoveTheServedList()
    {
        var recommender = new Recommender(await TrainAsync(RingWalks(), ModelKind.Sequence));
        var later = Start.AddDays(260);

        // The same two items, in either order: the list starts after whichever came last.
        var afterTen = recommender.Recommend([View("x", "i30", later), View("x", "i10", later.AddMinutes(1))], 3, later.AddHours(1));
        var afterThirty = recommender.Recommend([View("x", "i10", later), View("x", "i30", later.AddMinutes(1))], 3, later.AddHours(1));

        Assert.Equal("i11", afterTen[0].ItemId);
        Assert.Equal("i31", afterThirty[0].ItemId);
    }

    [Fact]
    public async Task TheHoldOutReweighsTheHistoryThatStaysAsServingWould()
    {
        var events = RingWalks(users: 1, steps: 10);
        var data = await InteractionMatrixBuilder.BuildAsync(events.ToAsyncEnumerable(), new TrainingOptions { HalfLife = null, HistoryHalfLife = 2 }, cancellationToken: TestContext.Current.CancellationToken);

        var (train, _) = data.HoldOutLatest(0.2, 5);

        var artifact = Trainer.Train(train, new TrainerOptions { Model = ModelKind.Sequence, Data = data.Options }, cancellationToken: TestContext.Current.CancellationToken);
        var (_, served) = new Recommender(artifact).Affinities(events.Take(8), Start.AddDays(260));
        Assert.Equal(served, train.RowValues(0).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1.0, train.RowValues(0).ToArray().Max());
    }

    [Fact]
    public async Task AutoRetrainPromotesTheSequenceModelWhenItWinsTheHoldOut()
    {
        using var stores = new EmbeddedStores();
        var cancel = TestContext.Current.CancellationToken;
        await stores.Events.AppendAsync(RingWalks(), cancel);
        var registry = new ModelRegistry(stores.Models, TimeProvider.System);
        var service = new RetrainService(stores.Events, stores.ServedLists, registry, new RetrainOptions(), TimeProvider.System, NullLogger<RetrainService>.Instance);

        var result = await service.RunAsync(cancel);

        Assert.Equal(RetrainOutcome.Promoted, result.Outcome);
        Assert.Equal("sequence", result.Record!.ModelKind);
        var served = await registry.LoadAsync(result.Version!, cancel);
        Assert.IsType<SequenceModel>(served!.Model);
        Assert.Equal(TrainingOptions.ValidatedHistoryHalfLife, served.Training.HistoryHalfLife);
    }

    [Fact]
    public async Task AnEaseChampionIsReplacedByASequenceChallengerThatBeatsItOnTheHoldOut()
    {
        using var stores = new EmbeddedStores();
        var cancel = TestContext.Current.CancellationToken;
        await stores.Events.AppendAsync(RingWalks(), cancel);
        var registry = new ModelRegistry(stores.Models, TimeProvider.System);
        RetrainService Service(ModelKind kind) => new(
            stores.Events, stores.ServedLists, registry, new RetrainOptions { Trainer = new TrainerOptions { Model = kind } }, TimeProvider.System, NullLogger<RetrainService>.Instance);
        var champion = await Service(ModelKind.Ease).RunAsync(cancel);
        await stores.Events.AppendAsync([View("late", "i1", Start.AddDays(260)), View("late", "i2", Start.AddDays(260).AddHours(1))], cancel);

        var result = await Service(ModelKind.Auto).RunAsync(cancel);

        Assert.Equal(RetrainOutcome.Promoted, result.Outcome);
        Assert.Equal("sequence", result.Record!.ModelKind);
        Assert.Equal(champion.Version, result.ChampionVersion);
        Assert.True(result.Record.Scores!.Ndcg > result.Record.Champion!.Ndcg);
    }
}
