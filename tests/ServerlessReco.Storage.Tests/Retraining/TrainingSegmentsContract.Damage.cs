using System.Text;
using System.Text.Json;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>
/// Segments that cannot get retraining stuck: a damaged manifest or segment is rebuilt from the change feed and the run
/// still publishes; a young unnamed segment (a live run's, not yet committed) survives a compaction while an old orphan
/// goes; an erasure entry applied but not removed is removed by the next run.
/// </summary>
public abstract partial class TrainingSegmentsContract
{
    public static TheoryData<string> Damages => ["manifest not JSON", "segment missing", "segment not gzip", "segment of another size"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task DamagedSegmentsAreRebuiltFromTheChangeFeedAndTheRunStillPublishes(string damage)
    {
        var (stores, shop) = await LoadShopAsync();
        var first = await Retrain(stores).RunAsync(Cancel);
        await DamageAsync(stores.Models, damage);
        await stores.Events.AppendAsync(shop.Events.Take(10).Select((e, i) => e with { EventId = $"late-{i}", Timestamp = _now }).ToList(), Cancel);
        var log = new ListLogger();

        var second = await Retrain(stores, log: log).RunAsync(Cancel);

        Assert.NotEqual(RetrainOutcome.Skipped, second.Outcome);
        Assert.Equal(shop.Events.Count + 10, second.Record!.Events); // every event once: the whole feed, read again
        Assert.NotEqual(first.Record!.Watermark!.Segments, second.Record!.Watermark!.Segments);
        Assert.Contains(log.Entries, e => e.Template.StartsWith("Retrain found the training segments damaged", StringComparison.Ordinal));
        Assert.Equal(RetrainOutcome.Skipped, (await Retrain(stores).RunAsync(Cancel)).Outcome); // and healthy again: nothing changed
    }

    [Fact]
    public async Task ACompactionDeletesOldOrphansButNotAYoungUnnamedSegmentALiveRunIsAboutToCommit()
    {
        var (stores, shop) = await LoadShopAsync();
        await Retrain(stores).RunAsync(Cancel);
        var now = DateTimeOffset.UtcNow;
        var young = await PutSegmentAsync(stores.Models, SegmentBlobNames.NewSegment(now.AddMinutes(-10)));
        var old = await PutSegmentAsync(stores.Models, SegmentBlobNames.NewSegment(now.AddHours(-3)));

        await new UserErasure(stores.Events, Pseudonyms, new ErasureLog(stores.Models, TimeProvider.System)).EraseAsync(shop.Events[0].UserId, Cancel);
        await Retrain(stores).RunAsync(Cancel); // the erasure makes it compact

        var names = await stores.Models.ListAsync(SegmentBlobNames.SegmentsPrefix, Cancel).ToListAsync(Cancel);
        Assert.Contains(young, names);
        Assert.DoesNotContain(old, names);
    }

    [Fact]
    public async Task AnErasureEntryAppliedButNotRemovedIsRemovedByTheNextRun()
    {
        var (stores, shop) = await LoadShopAsync();
        await new UserErasure(stores.Events, Pseudonyms, new ErasureLog(stores.Models, TimeProvider.System)).EraseAsync(shop.Events[0].UserId, Cancel);
        await Retrain(stores).RunAsync(Cancel);
        var manifest = await ReadManifestAsync(stores.Models);
        var applied = Assert.Single(manifest.AppliedErasures);

        // As if the removal after the compaction's commit had failed: the applied entry is back in the log.
        var entry = JsonSerializer.SerializeToUtf8Bytes(new ErasureEntry(applied, Pseudonyms.Pseudonymise(shop.Events[0].UserId), DateTimeOffset.UtcNow), JsonSerializerOptions.Web);
        await stores.Models.PutAsync(applied, new MemoryStream(entry), BlobCondition.None, Cancel);
        var next = await Retrain(stores).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Skipped, next.Outcome); // nothing to apply again, no rows changed
        Assert.Empty(await stores.Models.ListAsync(SegmentBlobNames.ErasuresPrefix, Cancel).ToListAsync(Cancel));
    }

    private static async Task DamageAsync(IModelBlobStore models, string damage)
    {
        var segment = (await ReadManifestAsync(models)).Segments[0].Name;
        switch (damage)
        {
            case "manifest not JSON":
                await models.PutAsync(SegmentBlobNames.Manifest, new MemoryStream(Encoding.UTF8.GetBytes("{\"id\": \"x\", \"segm")), BlobCondition.None, Cancel);
                break;
            case "segment missing":
                Assert.True(await models.DeleteAsync(segment, Cancel));
                break;
            case "segment not gzip":
                await models.PutAsync(segment, new MemoryStream(Encoding.UTF8.GetBytes("not a segment")), BlobCondition.None, Cancel);
                break;
            default:
                await PutSegmentAsync(models, segment); // a valid segment, but of two rows
                break;
        }
    }

    private static async Task<string> PutSegmentAsync(IModelBlobStore models, string name)
    {
        using var content = new MemoryStream();
        var row = new Core.Events.BehaviorEvent { UserId = "u", ItemId = "i", EventId = "e", Type = Core.Events.EventType.View, Timestamp = DateTimeOffset.UtcNow };
        SegmentFile.Write(content, [row, row with { EventId = "f" }]);
        content.Position = 0;
        await models.PutAsync(name, content, BlobCondition.None, Cancel);
        return name;
    }

    private static async Task<SegmentManifest> ReadManifestAsync(IModelBlobStore models)
    {
        using var download = (await models.GetAsync(SegmentBlobNames.Manifest, Cancel))!;
        return SegmentManifest.FromJson(download.Content);
    }
}
