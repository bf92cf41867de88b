using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Embedded;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Storage.Tests.Embedded;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>
/// Retraining and the model registry over a real model store (a folder, Azurite): the gate both ways, the skip,
/// the race, a crash before the pointer flip, rollback and pruning. Events come from the demo shop in SQLite.
/// </summary>
public abstract partial class RetrainContract : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    protected RetrainContract()
    {
        var database = new SqliteDatabase(Path.Combine(_folder.Path, "reco.db"));
        Events = new SqliteEventStore(database, new RetentionPolicy(0));
        ServedLists = new SqliteServedListStore(database, new RetentionPolicy(0));
        _items = new SqliteItemStore(database);
    }

    private readonly SqliteItemStore _items;

    protected SqliteEventStore Events { get; }

    protected SqliteServedListStore ServedLists { get; }

    protected abstract Task<IModelBlobStore> CreateStoreAsync();

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A "corrupted" training set: every signal turned negative, so SAR ranks a user's nearest items last.</summary>
    protected static readonly TrainerOptions Inverted = new()
    {
        Model = ModelKind.Sar,
        Data = new TrainingOptions { Weights = new EventWeights { View = -1, Click = -2, AddToCart = -4, Purchase = -8, RatingScale = -1 } },
    };

    /// <summary>A weak model: only the most popular items (30 or more shoppers) are in it, so its lists cover little of the catalogue.</summary>
    protected static readonly TrainerOptions Narrow = new()
    {
        Model = ModelKind.Ease,
        Data = new TrainingOptions { MinUsersPerItem = 30 },
    };

    protected async Task LoadShopAsync(int seed = 42, int events = 5000)
    {
        var shop = SampleShop.Generate(seed, _now, items: 300, users: 400, events: events);
        await shop.StoreAsync(_items, Events, Cancel);
    }

    protected RetrainService Service(IModelBlobStore store, TrainerOptions? trainer = null, ListLogger? log = null, int keep = 10, TimeSpan? lease = null) =>
        new(Events, ServedLists, new ModelRegistry(store, TimeProvider.System),
            new RetrainOptions { Trainer = trainer ?? new(), VersionsToKeep = keep, LeaseDuration = lease ?? TimeSpan.FromSeconds(120) },
            TimeProvider.System, log ?? new ListLogger());

    [Fact]
    public async Task TheFirstModelIsPromotedWhenItIsNotWorseThanPopularityBeyondNoise()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var log = new ListLogger();

        var result = await Service(store, log: log).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Promoted, result.Outcome);
        Assert.True(result.Record!.Scores!.Ndcg > result.Record.Popularity!.Ndcg);
        var registry = new ModelRegistry(store, TimeProvider.System);
        var current = await registry.GetCurrentAsync(Cancel);
        Assert.Equal(result.Version, current!.Pointer.Version);
        Assert.NotNull(await registry.LoadAsync(result.Version!, Cancel));
        var stored = (await registry.ReadMetricsAsync(result.Version!, Cancel))!;
        Assert.True(stored.PassedGate);

        // The interval the decision rests on is stored with the version: challenger − popularity, paired per user.
        var interval = stored.Gate!.AgainstPopularity!;
        Assert.Equal(result.Record.Scores.Users, interval.Users);
        Assert.True(interval.NotWorse && interval.StandardError > 0 && interval.Lower < interval.Difference && interval.Difference < interval.Upper);
        Assert.Equal(1.96, stored.Gate.StandardErrors);
        Assert.Null(stored.Gate.AgainstChampion);

        // Every step said what it did, as structured fields.
        Assert.Contains(log.Entries, e => e.Template.StartsWith("Retrain read", StringComparison.Ordinal) && e.Fields.ContainsKey("Events"));
        Assert.Contains(log.Entries, e => e.Template.StartsWith("Retrain trained", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Template.StartsWith("Retrain scored", StringComparison.Ordinal) && e.Fields.ContainsKey("PopularityNdcg"));
        Assert.Contains(log.Entries, e => e.Template.StartsWith("Retrain decided", StringComparison.Ordinal) && Equals(e.Fields["Decision"], RetrainOutcome.Promoted));
    }

    [Fact]
    public async Task AFirstModelWorseThanPopularityBeyondNoiseIsNotPromoted()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();

        var result = await Service(store, Inverted).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Kept, result.Outcome);
        Assert.Contains("popularity", result.Reason, StringComparison.Ordinal);
        var registry = new ModelRegistry(store, TimeProvider.System);
        Assert.Null(await registry.GetCurrentAsync(Cancel));
        var listed = Assert.Single(await registry.ListAsync(Cancel));
        Assert.False(listed.IsCurrent);
        Assert.False(listed.Metrics!.PassedGate);
        Assert.True(listed.Metrics.Gate!.AgainstPopularity!.Upper < listed.Metrics.Gate.AgainstPopularity.Floor);
    }

    [Fact]
    public async Task AWorseChallengerIsKeptOutAndTheChampionKeepsServing()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var champion = await Service(store).RunAsync(Cancel);
        await LoadShopAsync(seed: 7, events: 300);

        var result = await Service(store, Inverted).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Kept, result.Outcome);
        Assert.Equal(champion.Version, result.ChampionVersion);
        Assert.True(result.Record!.Scores!.Ndcg < result.Record.Champion!.Ndcg);
        Assert.False(result.Record.Gate!.AgainstChampion!.NotWorse);
        Assert.Equal(champion.Version, (await new ModelRegistry(store, TimeProvider.System).GetCurrentAsync(Cancel))!.Pointer.Version);
    }

    [Fact]
    public async Task ABetterChallengerReplacesAWorseChampion()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var registry = new ModelRegistry(store, TimeProvider.System);
        var bad = await Service(store, Narrow).RunAsync(Cancel);
        await registry.RollbackAsync(bad.Version!, "test: a bad champion", Cancel);
        await LoadShopAsync(seed: 7, events: 300);

        var result = await Service(store).RunAsync(Cancel);

        Assert.True(result.Outcome == RetrainOutcome.Promoted, result.ToString());
        Assert.Equal(bad.Version, result.ChampionVersion);
        Assert.True(result.Record!.Scores!.Coverage > result.Record.Champion!.Coverage, result.ToString());
        var current = (await registry.GetCurrentAsync(Cancel))!.Pointer;
        Assert.Equal(result.Version, current.Version);
        Assert.Equal(bad.Version, current.PreviousVersion);
    }

    [Fact]
    public async Task ARunIsSkippedWhenNothingChangedAndRunsAgainAfterANewEvent()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var service = Service(store);
        var first = await service.RunAsync(Cancel);

        var second = await service.RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Skipped, second.Outcome);
        Assert.Contains("nothing changed", second.Reason, StringComparison.Ordinal);
        Assert.Single(await new ModelRegistry(store, TimeProvider.System).ListAsync(Cancel));

        await Events.AppendAsync(
            [new BehaviorEvent { EventId = "late-1", UserId = "user-0001", ItemId = "sku-00001", Type = EventType.Purchase, Timestamp = _now }], Cancel);
        var third = await service.RunAsync(Cancel);

        Assert.NotEqual(RetrainOutcome.Skipped, third.Outcome);
        Assert.Equal(first.Version, third.ChampionVersion);
    }

    [Fact]
    public async Task TwoPromotionsFromTheSameETagCannotBothWin()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var registry = new ModelRegistry(store, TimeProvider.System);
        var first = await Service(store).RunAsync(Cancel);
        var read = await registry.GetCurrentAsync(Cancel);
        var artifact = (await registry.LoadAsync(first.Version!, Cancel))!;
        var a = await PublishCopyAsync(registry, artifact, "20990101T000000Z-aaaa");
        var b = await PublishCopyAsync(registry, artifact, "20990101T000000Z-bbbb");

        var outcomes = await Task.WhenAll(
            Attempt(() => registry.PromoteAsync(a, "race a", read, Cancel)),
            Attempt(() => registry.PromoteAsync(b, "race b", read, Cancel)));

        Assert.Single(outcomes, won => won);
        var current = (await registry.GetCurrentAsync(Cancel))!.Pointer;
        Assert.Equal(outcomes[0] ? a : b, current.Version);
        Assert.Equal(first.Version, current.PreviousVersion);
        Assert.Contains(await registry.ListAsync(Cancel), v => v.Version == (outcomes[0] ? b : a) && !v.IsCurrent);

        static async Task<bool> Attempt(Func<Task> promote)
        {
            try
            {
                await promote();
                return true;
            }
            catch (BlobConditionFailedException)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task ARetrainThatLosesTheRaceLeavesItsVersionUnpromoted()
    {
        var inner = await CreateStoreAsync();
        await LoadShopAsync();
        var first = await Service(inner).RunAsync(Cancel);
        await LoadShopAsync(seed: 7, events: 300);
        var registry = new ModelRegistry(inner, TimeProvider.System);
        var artifact = (await registry.LoadAsync(first.Version!, Cancel))!;
        var rival = await PublishCopyAsync(registry, artifact, "20990101T000000Z-rival");
        var store = new InterceptingStore(inner)
        {
            // Another run promotes between this run's pointer read and its pointer write.
            BeforePointerWrite = () => registry.RollbackAsync(rival, "the other run", Cancel),
        };

        var result = await Service(store).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.LostRace, result.Outcome);
        var listed = await registry.ListAsync(Cancel);
        Assert.Equal(rival, listed.Single(v => v.IsCurrent).Version);
        Assert.Contains(listed, v => v.Version == result.Version && v.HasArtifact && !v.IsCurrent);
    }

    [Fact]
    public async Task ACrashBeforeThePointerFlipLeavesTheChampionServingAndARerunCompletes()
    {
        var inner = await CreateStoreAsync();
        await LoadShopAsync();
        var champion = await Service(inner).RunAsync(Cancel);
        await LoadShopAsync(seed: 7, events: 300);
        var crashing = new InterceptingStore(inner) { BeforePointerWrite = () => throw new IOException("the instance died") };

        await Assert.ThrowsAsync<IOException>(() => Service(crashing).RunAsync(Cancel));

        var registry = new ModelRegistry(inner, TimeProvider.System);
        Assert.Equal(champion.Version, (await registry.GetCurrentAsync(Cancel))!.Pointer.Version);
        Assert.Equal(2, (await registry.ListAsync(Cancel)).Count); // the orphan is published, not serving

        var rerun = await Service(inner).RunAsync(Cancel);

        Assert.Equal(RetrainOutcome.Promoted, rerun.Outcome);
        Assert.Equal(rerun.Version, (await registry.GetCurrentAsync(Cancel))!.Pointer.Version);
        Assert.Equal(3, (await registry.ListAsync(Cancel)).Count);
    }

    [Fact]
    public async Task RollbackPromotesANamedEarlierVersionAndRefusesAnUnknownOne()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var first = await Service(store).RunAsync(Cancel);
        await LoadShopAsync(seed: 7, events: 300);
        var second = await Service(store).RunAsync(Cancel);
        Assert.Equal(RetrainOutcome.Promoted, second.Outcome);
        var registry = new ModelRegistry(store, TimeProvider.System);

        var pointer = await registry.RollbackAsync(first.Version!, "rollback by admin", Cancel);

        Assert.Equal(first.Version, pointer.Version);
        Assert.Equal(second.Version, pointer.PreviousVersion);
        Assert.Equal(first.Version, (await registry.GetCurrentAsync(Cancel))!.Pointer.Version);
        await Assert.ThrowsAsync<UnknownModelVersionException>(() => registry.RollbackAsync("19990101T000000Z-none", "x", Cancel));
        await Assert.ThrowsAsync<UnknownModelVersionException>(() => registry.RollbackAsync("../current.json", "x", Cancel));
    }

    [Fact]
    public async Task PruningKeepsTheNewestAndNeverTheServingOrPreviousVersion()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();
        var registry = new ModelRegistry(store, TimeProvider.System);
        var trained = await Service(store).RunAsync(Cancel);
        var artifact = (await registry.LoadAsync(trained.Version!, Cancel))!;
        var versions = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            versions.Add(await PublishCopyAsync(registry, artifact, $"20990101T00000{i}Z-0000"));
        }

        await registry.RollbackAsync(versions[0], "older", Cancel);
        await registry.RollbackAsync(versions[1], "old", Cancel); // serving v2, previous v1

        var deleted = await registry.PruneAsync(2, Cancel);

        var left = (await registry.ListAsync(Cancel)).Select(v => v.Version).ToList();
        Assert.Equal([versions[5], versions[4], versions[1], versions[0]], left);
        Assert.Equal(new[] { versions[3], versions[2], trained.Version! }.Order(), deleted.Order());
        Assert.NotNull(await registry.LoadAsync(versions[1], Cancel));
    }

    protected static async Task<string> PublishCopyAsync(ModelRegistry registry, ModelArtifact artifact, string version)
    {
        var copy = new ModelArtifact(artifact.Manifest with { Version = version }, artifact.Model, artifact.ItemPopularity);
        await registry.PublishAsync(copy, new ModelVersionRecord { Version = version, ModelKind = artifact.Manifest.ModelKind }, Cancel);
        return version;
    }

    public virtual void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A model store that runs a step just before <c>models/current.json</c> is written (a rival, a crash).</summary>
public sealed class InterceptingStore(IModelBlobStore inner) : IModelBlobStore
{
    public Func<Task>? BeforePointerWrite { get; init; }

    public async Task<string> PutAsync(string name, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        if (name == ModelBlobNames.Current && BeforePointerWrite is { } step)
        {
            await step();
        }

        return await inner.PutAsync(name, content, condition, cancellationToken);
    }

    public Task<BlobDownload?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);

    public Task<string?> GetETagAsync(string name, CancellationToken cancellationToken = default) => inner.GetETagAsync(name, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
}

/// <summary>Structured log entries: the template and its named fields.</summary>
public sealed class ListLogger : ILogger<RetrainService>
{
    public List<(string Template, IReadOnlyDictionary<string, object?> Fields)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        var template = fields.FirstOrDefault(p => p.Key == "{OriginalFormat}").Value as string ?? formatter(state, exception);
        lock (Entries)
        {
            Entries.Add((template, fields.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value)));
        }
    }
}
