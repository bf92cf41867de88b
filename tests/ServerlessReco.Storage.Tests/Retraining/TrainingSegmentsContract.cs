using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>The stores one segments test runs on: events (behind the pseudonymising door), served lists, items and the model store.</summary>
public sealed record SegmentStores(PseudonymisingEventStore Events, IServedListStore ServedLists, IItemStore Items, IModelBlobStore Models);

/// <summary>
/// Retraining from training segments, on the embedded store (SQLite, a folder) and on the emulators (the Cosmos test
/// server, Azurite): an erasure reaches every segment, serving traffic alone never trains, a run reads only what is
/// new, a crash between a segment and its manifest loses and repeats nothing, and expired rows leave at compaction.
/// </summary>
public abstract partial class TrainingSegmentsContract
{
    private static readonly UserPseudonymiser Pseudonyms = new(Enumerable.Repeat((byte)0x7E, 32).ToArray());
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    /// <summary>Fresh, empty stores; <paramref name="pseudonyms"/> is the door the events pass.</summary>
    protected abstract Task<SegmentStores> CreateStoresAsync(UserPseudonymiser pseudonyms);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(SegmentStores Stores, SampleShopData Shop)> LoadShopAsync(int events = 2000)
    {
        var stores = await CreateStoresAsync(Pseudonyms);
        var shop = SampleShop.Generate(42, _now, items: 120, users: 150, events: events);
        await shop.StoreAsync(stores.Items, stores.Events, Cancel);
        return (stores, shop);
    }

    private static RetrainService Retrain(
        SegmentStores stores, IEventChangeFeed? feed = null, RetrainOptions? options = null, IModelBlobStore? models = null, ListLogger? log = null) =>
        new(feed ?? stores.Events, stores.ServedLists, new ModelRegistry(models ?? stores.Models, TimeProvider.System), options ?? new RetrainOptions(), TimeProvider.System,
            log ?? new ListLogger());

    /// <summary>Every row of every segment blob in the store, whether the manifest names it or not.</summary>
    private static async Task<List<BehaviorEvent>> EverySegmentRowAsync(IModelBlobStore models)
    {
        var rows = new List<BehaviorEvent>();
        await foreach (var name in models.ListAsync(SegmentBlobNames.SegmentsPrefix, Cancel))
        {
            using var download = (await models.GetAsync(name, Cancel))!;
            using var buffer = new MemoryStream();
            await download.Content.CopyToAsync(buffer, Cancel);
            buffer.Position = 0;
            rows.AddRange(SegmentFile.Read(buffer));
        }

        return rows;
    }

    [Fact]
    public async Task AfterAnErasureAndARetrainTheUsersRowsAreInNoSegment()
    {
        var (stores, shop) = await LoadShopAsync();
        var first = await Retrain(stores).RunAsync(Cancel);
        var erased = shop.Events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).First();
        var pseudonym = Pseudonyms.Pseudonymise(erased.Key);
        Assert.Contains(await EverySegmentRowAsync(stores.Models), r => r.UserId == pseudonym);

        await new UserErasure(stores.Events, Pseudonyms, new ErasureLog(stores.Models, TimeProvider.System)).EraseAsync(erased.Key, Cancel);
        var second = await Retrain(stores).RunAsync(Cancel);

        Assert.NotEqual(RetrainOutcome.Skipped, second.Outcome);
        Assert.Equal(first.Record!.Events - erased.Count(), second.Record!.Events);
        var rows = await EverySegmentRowAsync(stores.Models);
        Assert.Equal(shop.Events.Count - erased.Count(), rows.Count);
        Assert.DoesNotContain(rows, r => r.UserId == pseudonym);
        Assert.DoesNotContain(rows, r => r.UserId == erased.Key);
        Assert.Empty(await stores.Models.ListAsync(SegmentBlobNames.ErasuresPrefix, Cancel).ToListAsync(Cancel)); // applied entries are removed
    }

    [Fact]
    public async Task ServingTrafficAloneNeverMakesTheNextRunTrain()
    {
        var (stores, shop) = await LoadShopAsync();
        var first = await Retrain(stores).RunAsync(Cancel);
        var shown = shop.Events.Take(50).Select((e, i) => e with { EventId = $"shown-{i}", Type = EventType.Impression, Timestamp = _now }).ToList();
        await stores.Events.AppendAsync(shown, Cancel);

        var second = await Retrain(stores).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Promoted, first.Outcome);
        Assert.Equal(RetrainOutcome.Skipped, second.Outcome);
        Assert.DoesNotContain(await EverySegmentRowAsync(stores.Models), r => r.Type == EventType.Impression);
    }

    [Fact]
    public async Task ImpressionsAreTrainingRowsOnlyWhenTrainingWeighsThem()
    {
        var (stores, shop) = await LoadShopAsync();
        await stores.Events.AppendAsync([shop.Events[0] with { EventId = "shown", Type = EventType.Impression }], Cancel);
        var weighed = new RetrainOptions { Trainer = new TrainerOptions { Data = new TrainingOptions { Weights = new EventWeights { Impression = 0.5 } } } };

        await Retrain(stores).RunAsync(Cancel);
        var without = await EverySegmentRowAsync(stores.Models);
        await Retrain(stores, options: weighed).RunAsync(Cancel); // other settings: the segments are rebuilt with them

        Assert.DoesNotContain(without, r => r.Type == EventType.Impression);
        Assert.Single(await EverySegmentRowAsync(stores.Models), r => r.Type == EventType.Impression);
    }

    [Fact]
    public async Task ARunReadsFromTheStoreOnlyWhatWasStoredSinceTheLastRun()
    {
        var (stores, shop) = await LoadShopAsync();
        var feed = new CountingFeed(stores.Events);
        await Retrain(stores, feed).RunAsync(Cancel);
        var firstRead = feed.Events;
        var late = shop.Events.Take(20).Select((e, i) => e with { EventId = $"late-{i}", Timestamp = _now }).ToList();
        await stores.Events.AppendAsync(late, Cancel);

        var second = await Retrain(stores, feed).RunAsync(Cancel);

        Assert.Equal(shop.Events.Count, firstRead);
        Assert.Equal(late.Count, feed.Events - firstRead);
        Assert.Equal(shop.Events.Count + late.Count, second.Record!.Events);
    }

    [Fact]
    public async Task ACrashBetweenASegmentAndItsManifestRepeatsAndLosesNothing()
    {
        var (stores, shop) = await LoadShopAsync();
        await Retrain(stores).RunAsync(Cancel);
        await stores.Events.AppendAsync(shop.Events.Take(30).Select((e, i) => e with { EventId = $"late-{i}", Timestamp = _now }).ToList(), Cancel);
        var crashing = new FailingManifestStore(stores.Models);

        await Assert.ThrowsAsync<IOException>(() => Retrain(stores, models: crashing).RunAsync(Cancel));
        var rerun = await Retrain(stores).RunAsync(Cancel);

        Assert.NotEqual(RetrainOutcome.Skipped, rerun.Outcome);
        Assert.Equal(shop.Events.Count + 30, rerun.Record!.Events); // the 30 once: the orphan segment is not named
        var manifest = await new TrainingSegments(stores.Events, stores.Models, new SegmentOptions(), TimeProvider.System).UpdateAsync(Cancel);
        Assert.Equal(shop.Events.Count + 30, manifest.Events);
    }

    [Fact]
    public async Task RowsOlderThanTheWindowLeaveTheSegmentsAtCompaction()
    {
        var (stores, shop) = await LoadShopAsync();
        var old = shop.Events.Take(40).Select((e, i) => e with { EventId = $"old-{i}", Timestamp = _now.AddDays(-45) }).ToList();
        await stores.Events.AppendAsync(old, Cancel);
        var segments = new TrainingSegments(stores.Events, stores.Models, new SegmentOptions { WindowDays = 40 }, TimeProvider.System);

        var manifest = await segments.UpdateAsync(Cancel);

        var rows = await EverySegmentRowAsync(stores.Models);
        Assert.Equal(shop.Events.Count(e => e.Timestamp >= _now.AddDays(-40)), rows.Count);
        Assert.Equal(rows.Count, manifest.Events);
        Assert.DoesNotContain(rows, r => r.EventId.StartsWith("old-", StringComparison.Ordinal));
    }

    /// <summary>Counts the events the change feed hands out.</summary>
    private sealed class CountingFeed(IEventChangeFeed inner) : IEventChangeFeed
    {
        public long Events { get; private set; }

        public async Task<ChangeFeedPage> ReadChangesAsync(string? position, int maxEvents, CancellationToken cancellationToken = default)
        {
            var page = await inner.ReadChangesAsync(position, maxEvents, cancellationToken);
            Events += page.Events.Count;
            return page;
        }
    }

    /// <summary>A model store whose instance dies when it commits the segment manifest (the segment itself is written).</summary>
    private sealed class FailingManifestStore(IModelBlobStore inner) : IModelBlobStore
    {
        public Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) =>
            name == SegmentBlobNames.Manifest ? throw new IOException("the instance died") : inner.PutAsync(name, content, condition, cancellationToken);

        public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

        public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) => inner.GetETagAsync(name, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
    }
}
