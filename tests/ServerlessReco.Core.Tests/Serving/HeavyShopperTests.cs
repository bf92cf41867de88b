using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Serving;
using ServerlessReco.Embedded;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Core.Tests.Serving;

/// <summary>
/// What a shopper was shown is not their history: serving one shopper thousands of lists leaves their history read
/// (rows, and the index walk that finds them) exactly as it was, and their list with it.
/// </summary>
public sealed class HeavyShopperTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    [Fact]
    public async Task AShopperServedThousandsOfListsReadsTheSameHistoryAndGetsTheSameList()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var service = _shop.Service(new ServingOptions { MaxRecentEvents = 50 });
        var user = _shop.ActiveUser();
        var history = await _shop.Events.ReadUserHistoryAsync(user, 50, Cancel).Select(e => e.EventId).ToListAsync(Cancel);
        var events = await _shop.Events.CountAsync(Cancel);
        var before = await service.RecommendAsync(new RecommendationRequest(user, Explore: 0), Cancel);

        for (var i = 0; i < 2000; i++)
        {
            await service.RecommendAsync(new RecommendationRequest(user), Cancel);
        }

        var after = await service.RecommendAsync(new RecommendationRequest(user, Explore: 0), Cancel);
        Assert.Equal(history, await _shop.Events.ReadUserHistoryAsync(user, 50, Cancel).Select(e => e.EventId).ToListAsync(Cancel));
        Assert.Equal(events, await _shop.Events.CountAsync(Cancel));
        Assert.Equal(2002, await _shop.ServedLists.ReadAsync(DateTimeOffset.MinValue, cancellationToken: Cancel).CountAsync(Cancel));
        Assert.Equal(before.Items.Select(i => i.ItemId), after.Items.Select(i => i.ItemId));
    }

    [Fact]
    public void TheEmbeddedHistoryReadWalksTheBehaviourIndexNewestFirstWithoutSorting()
    {
        using var connection = new SqliteConnection($"Data Source={_shop.DatabasePath}");
        connection.Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteEventStore.HistoryQuery;
        explain.Parameters.AddWithValue("$userId", "u");
        explain.Parameters.AddWithValue("$limit", 500);
        var plan = new List<string>();
        using (var reader = explain.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains("USING INDEX history_by_user_time", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }
}
