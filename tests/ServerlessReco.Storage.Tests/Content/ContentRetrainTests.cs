using ServerlessReco.Core.Content;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Training;
using ServerlessReco.Embedded;
using ServerlessReco.Embeddings;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Storage.Tests.Embedded;
using ServerlessReco.Storage.Tests.Retraining;

namespace ServerlessReco.Storage.Tests.Content;

/// <summary>
/// The retrain with its embed step: the challenger carries the catalogue's content vectors, and a retrain after new events
/// but with an unchanged catalogue embeds nothing; content that lowers nDCG@10 of the hold-out's served lists is left out of the version. The catalogue is kept to a handful of items: the transformer is slow.
/// </summary>
public sealed class ContentRetrainTests : IDisposable
{
    private static readonly MiniLmItemEmbedder Embedder = new();
    private readonly TemporaryFolder _folder = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly SqliteDatabase _database;
    private readonly FolderModelBlobStore _models;

    public ContentRetrainTests()
    {
        _database = new SqliteDatabase(Path.Combine(_folder.Path, "reco.db"));
        _models = new FolderModelBlobStore(Path.Combine(_folder.Path, "models"));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheChallengerCarriesContentVectorsAndAnUnchangedCatalogueIsNotEmbeddedAgain()
    {
        var events = new SqliteEventStore(_database, new RetentionPolicy(0));
        var shop = SampleShop.Generate(42, _now, items: 300, users: 400, events: 3000);
        var shopItems = new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder.Path, "shop-items.db")));
        await shop.StoreAsync(shopItems, events, Cancel);
        var catalogue = new SqliteItemStore(_database);
        await catalogue.UpsertAsync([.. shop.Items.Take(6).Select(i => i with { Description = $"About {i.Title}." })], Cancel);
        var embedding = new CatalogEmbedding(catalogue, Embedder, _models, new ContentOptions());
        RetrainService Service() => new(events, new SqliteServedListStore(_database, new RetentionPolicy(0)), new ModelRegistry(_models, TimeProvider.System),
            new RetrainOptions(), TimeProvider.System, new ListLogger(), embedding);

        var first = await Service().RunAsync(Cancel);
        await SampleShop.Generate(7, _now, items: 300, users: 400, events: 300).StoreAsync(shopItems, events, Cancel);
        var second = await Service().RunAsync(Cancel);

        Assert.Equal((6, 0), (first.Content!.Embedded, first.Content.Reused));
        Assert.NotNull(second.Version);
        var artifact = await new ModelRegistry(_models, TimeProvider.System).LoadAsync(first.Version!, Cancel);
        var content = ContentEmbeddings.From(artifact!);
        Assert.Equal(6, content!.Items.Count);
        Assert.Equal((0, 6), (second.Content!.Embedded, second.Content.Reused));
    }

    [Fact]
    public async Task ContentThatPushesWhatShoppersTakeOutOfTheServedListsIsNotPublishedAndTheRecordSaysByHowMuch()
    {
        // Four groups of twelve items; each shopper viewed nine of their group's, and on a later visit the shop's best
        // seller, then a tenth of the group's: the newest two are held out. Sixty one-item shoppers made the best seller the most popular item,
        // so serving lists it right after the model's three, from trending (the model cannot score it: it co-occurs with
        // nothing). Eight more items have telling titles but no events: served after the model's, content's items take
        // the rest of every list and push the best seller out.
        string[] groups = ["Telescope", "Whisk", "Tent", "Guitar"];
        string[] unrelated = ["Garden hose", "Office chair", "Dog leash", "Wall clock", "Bath towel", "Desk lamp", "Rain boots", "Tea kettle"];
        var catalogue = new SqliteItemStore(_database);
        await catalogue.UpsertAsync(
            [.. groups.SelectMany((g, gi) => Enumerable.Range(0, 12).Select(i => new Core.Catalog.CatalogItem { ItemId = $"g{gi}-{i}", Title = $"{g} model {(char)('A' + i)}" })),
             .. unrelated.Select((t, i) => new Core.Catalog.CatalogItem { ItemId = $"new-{i}", Title = t }),
             new Core.Catalog.CatalogItem { ItemId = "best", Title = "Folding umbrella" }], Cancel);
        var events = new SqliteEventStore(_database, new RetentionPolicy(0));
        var start = _now.AddDays(-1);
        Core.Events.BehaviorEvent View(string user, string item, int minute) =>
            new() { EventId = $"{user}-{minute}", UserId = user, ItemId = item, Type = Core.Events.EventType.View, Timestamp = start.AddMinutes(minute) };
        string Item(int u, int k) => $"g{u % groups.Length}-{((u / groups.Length) + (k * 5)) % 12}";
        // The nine views a visit before the last two (two days earlier): the blend's hold-out, the newest visits, then
        // asks what follows the best seller, not what follows each view, so it learns no popularity that would rank the
        // best seller among the model's own items.
        const int EarlierVisit = 2 * 24 * 60;
        await events.AppendAsync(
            [.. Enumerable.Range(0, 60).Select(b => View($"b{b}", "best", b)),
             .. Enumerable.Range(0, groups.Length * 40).SelectMany(u => Enumerable.Range(0, 9).Select(k => View($"u{u}", Item(u, k), 100 + (u * 12) + k - EarlierVisit))
                 .Append(View($"u{u}", "best", 100 + (u * 12) + 9)).Append(View($"u{u}", Item(u, 9), 100 + (u * 12) + 10)))], Cancel);
        var options = new RetrainOptions();
        var service = new RetrainService(events, new SqliteServedListStore(_database, new RetentionPolicy(0)), new ModelRegistry(_models, TimeProvider.System),
            options, TimeProvider.System, new ListLogger(), new CatalogEmbedding(catalogue, Embedder, _models, new ContentOptions()), catalogue);

        var result = await service.RunAsync(Cancel);

        var decision = result.Record!.Content!;
        Assert.False(decision.Used, decision.Reason);
        Assert.StartsWith("content lowered nDCG@10 on the hold-out: -", decision.Reason, StringComparison.Ordinal);
        Assert.True(decision.Comparison!.Upper < decision.Comparison.Floor);
        Assert.True(decision.NdcgWithContent < decision.NdcgWithoutContent);
        Assert.Equal(groups.Length * 40, decision.Comparison.Users);
        var registry = new ModelRegistry(_models, TimeProvider.System);
        var artifact = await registry.LoadAsync(result.Version!, Cancel);
        Assert.Null(ContentEmbeddings.From(artifact!));

        // The stored version record carries the verdict, its reason and interval, beside the gate's and the blend's.
        var stored = (await registry.ReadMetricsAsync(result.Version!, Cancel))!;
        Assert.Equal(decision, stored.Content);
        Assert.NotNull(stored.Gate);
        Assert.NotNull(stored.Blend);
    }

    public void Dispose() => _folder.Dispose();
}
