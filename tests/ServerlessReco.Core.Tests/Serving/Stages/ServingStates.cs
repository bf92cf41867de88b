using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Serving.Stages;

/// <summary>
/// A small shop for the serving stages, held in memory: twelve items the model knows (even ones "Books", odd ones
/// "Garden", i11 unavailable), three new arrivals the model does not know (n1 an hour old, n2 two hours, n3 a month),
/// and a model trained on shoppers who each take up a few neighbouring items.
/// </summary>
internal static class ServingStates
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<CatalogItem> Catalogue { get; } =
    [
        .. Enumerable.Range(0, 12).Select(i => new CatalogItem
        {
            ItemId = Id(i), Title = $"Item {i}", Category = i % 2 == 0 ? "Books" : "Garden", Available = i != 11, CreatedAt = Now.AddDays(-100),
        }),
        new CatalogItem { ItemId = "n1", Title = "New 1", Category = "Books", CreatedAt = Now.AddHours(-1) },
        new CatalogItem { ItemId = "n2", Title = "New 2", Category = "Garden", CreatedAt = Now.AddHours(-2) },
        new CatalogItem { ItemId = "n3", Title = "New 3", Category = "Books", CreatedAt = Now.AddDays(-30) },
    ];

    public static string Id(int item) => $"i{item:00}";

    public static BehaviorEvent Event(string user, string item, EventType type, int minutesAgo = 10, string? session = null) => new()
    {
        EventId = $"{user}-{item}-{type}-{minutesAgo}",
        UserId = user,
        ItemId = item,
        Type = type,
        Timestamp = Now.AddMinutes(-minutesAgo),
        SessionId = session,
    };

    /// <summary>The state with a trained model, or none; trending from the given recent weights (none by default).</summary>
    public static async Task<ServingState> WithModelAsync(IReadOnlyDictionary<string, double>? trending = null)
    {
        var events = new List<BehaviorEvent>();
        for (var user = 0; user < 40; user++)
        {
            for (var k = 0; k < 3; k++)
            {
                events.Add(Event($"u{user}", Id((user + k) % 12), EventType.Purchase, 1000 + (user * 10) + k));
            }
        }

        var artifact = await Trainer.TrainAsync(events.ToAsyncEnumerable(), new TrainerOptions(), cancellationToken: TestContext.Current.CancellationToken);
        var pointer = new ModelPointer { Version = "v1", ArtifactBlob = ModelBlobNames.Artifact("v1"), PromotedAt = Now };
        return State(new ServingModel(pointer, "etag", new Recommender(artifact), Now), trending);
    }

    public static ServingState State(ServingModel? model, IReadOnlyDictionary<string, double>? trending = null) =>
        new(model, new CatalogSnapshot(Catalogue, Now), new TrendingEvents(trending ?? new Dictionary<string, double>(), 0, Now), popularityPrior: 0.5);

    public static ListContext List(ServingState state, IReadOnlyList<BehaviorEvent> events, int category = CatalogRules.AnyCategory, ServingOptions? options = null) =>
        new(state, events, Now, category, null, new HistoryExclusions(options ?? new ServingOptions()).Of(events, state.Weights));
}
