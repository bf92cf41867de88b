using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Samples;
using ServerlessReco.Core.Training;
using ServerlessReco.Embedded;
using ServerlessReco.Functions.Functions;

namespace ServerlessReco.Functions.Tests.Privacy;

public sealed class UsersFunctionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-users-fn-").FullName;
    private readonly SqliteEventStore _events;
    private readonly SqliteItemStore _items;
    private readonly UsersFunctions _functions;

    public UsersFunctionsTests()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "reco.db"));
        _events = new SqliteEventStore(database, RetentionPolicy.Forever);
        _items = new SqliteItemStore(database);
        _functions = new UsersFunctions(_events, TimeProvider.System, NullLogger<UsersFunctions>.Instance);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static HttpRequest Request() => new DefaultHttpContext().Request;

    private async Task<List<BehaviorEvent>> EventsOfAsync(string userId)
    {
        var list = new List<BehaviorEvent>();
        await foreach (var e in _events.ReadUserEventsAsync(userId, null, Cancel))
        {
            list.Add(e);
        }

        return list;
    }

    [Fact]
    public async Task DeletingAUserErasesTheirEventsAndAnswersWithAReceipt()
    {
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow);
        await shop.StoreAsync(_items, _events, Cancel);
        var forgotten = shop.UserIds[0];
        var theirs = (await EventsOfAsync(forgotten)).Count;
        var before = await _events.CountAsync(Cancel);

        var receipt = ResultAssert.Json(await _functions.DeleteUser(Request(), forgotten, Cancel), StatusCodes.Status200OK);

        Assert.True(theirs > 0);
        Assert.Equal(theirs, receipt.GetProperty("eventsErased").GetInt32());
        Assert.Empty(await EventsOfAsync(forgotten));
        Assert.Equal(before - theirs, await _events.CountAsync(Cancel));
        Assert.Equal(0, ResultAssert.Json(await _functions.DeleteUser(Request(), forgotten, Cancel), StatusCodes.Status200OK).GetProperty("eventsErased").GetInt32());
    }

    [Fact]
    public async Task TheNextRetrainTrainsWithoutTheDeletedUser()
    {
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow);
        await shop.StoreAsync(_items, _events, Cancel);
        var registry = new ModelRegistry(new FolderModelBlobStore(Path.Combine(_folder, "models")), TimeProvider.System);
        var retrain = new RetrainService(_events, registry, new RetrainOptions(), TimeProvider.System, NullLogger<RetrainService>.Instance);
        var first = await retrain.RunAsync(Cancel);
        var forgotten = shop.UserIds.MaxBy(u => shop.Events.Count(e => e.UserId == u))!;
        var theirs = shop.Events.Count(e => e.UserId == forgotten);

        await _functions.DeleteUser(Request(), forgotten, Cancel);
        var second = await retrain.RunAsync(Cancel);

        // Not skipped as "nothing changed": the erasure is a change, and the new version saw fewer events.
        Assert.NotEqual(RetrainOutcome.Skipped, second.Outcome);
        Assert.NotNull(first.Record);
        Assert.NotNull(second.Record);
        Assert.Equal(first.Record.Events - theirs, second.Record.Events);
        Assert.True(second.Record.Users < first.Record.Users);
    }

    [Fact]
    public async Task AnOverlongUserIdIs400()
    {
        var errors = ResultAssert.Problem(await _functions.DeleteUser(Request(), new string('u', 129), Cancel), StatusCodes.Status400BadRequest);

        Assert.Equal([(null, "userId")], errors);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
