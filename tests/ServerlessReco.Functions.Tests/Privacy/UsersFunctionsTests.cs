using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Functions.Access;
using ServerlessReco.Functions.Functions;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Functions.Tests.Privacy;

/// <summary>The function as the hosts compose it: over the embedded store, behind the pseudonymising door.</summary>
public sealed class UsersFunctionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-users-fn-").FullName;
    private readonly ServiceProvider _services;
    private readonly IEventStore _events;
    private readonly IItemStore _items;
    private readonly UsersFunctions _functions;

    public UsersFunctionsTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Embedded:DataDirectory"] = _folder,
            ["Reco:RetentionDays"] = "0",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddRecoFunctions(configuration).BuildServiceProvider();
        _events = _services.GetRequiredService<IEventStore>();
        _items = _services.GetRequiredService<IItemStore>();
        _functions = ActivatorUtilities.CreateInstance<UsersFunctions>(_services);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static HttpRequest Request() => new DefaultHttpContext().Request;

    private async Task<List<BehaviorEvent>> EventsOfAsync(string userId)
    {
        var list = new List<BehaviorEvent>();
        await foreach (var e in _events.ReadUserHistoryAsync(userId, 10_000, Cancel))
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
        Assert.Equal(forgotten, receipt.GetProperty("userId").GetString());
        Assert.Equal(theirs, receipt.GetProperty("eventsErased").GetInt32());
        Assert.Equal(UsersFunctions.Note, receipt.GetProperty("note").GetString());
        Assert.Empty(await EventsOfAsync(forgotten));
        Assert.Equal(before - theirs, await _events.CountAsync(Cancel));
        Assert.Equal(0, ResultAssert.Json(await _functions.DeleteUser(Request(), forgotten, Cancel), StatusCodes.Status200OK).GetProperty("eventsErased").GetInt32());
    }

    [Fact]
    public async Task TheNextRetrainTrainsWithoutTheDeletedUser()
    {
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow);
        await shop.StoreAsync(_items, _events, Cancel);
        var retrain = _services.GetRequiredService<RetrainService>();
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
    public async Task TheStoreBehindTheDoorHoldsOnlyPseudonymsAndErasureByTheRawIdEmptiesTheirPartition()
    {
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow);
        await shop.StoreAsync(_items, _events, Cancel);
        var door = Assert.IsType<PseudonymisingEventStore>(_events);
        var forgotten = shop.UserIds.MaxBy(u => shop.Events.Count(e => e.UserId == u))!;
        var pseudonym = _services.GetRequiredService<UserPseudonymiser>().Pseudonymise(forgotten);

        var stored = await door.Inner.ReadAllAsync(cancellationToken: Cancel).ToListAsync(Cancel);
        await _functions.DeleteUser(Request(), forgotten, Cancel);

        Assert.DoesNotContain(stored, e => shop.UserIds.Contains(e.UserId));
        Assert.Contains(stored, e => e.UserId == pseudonym);
        Assert.Empty(await door.Inner.ReadUserHistoryAsync(pseudonym, 10_000, Cancel).ToListAsync(Cancel));
    }

    [Fact]
    public async Task TheErasureLogNamesTheKeyThatAskedAndNeverTheUser()
    {
        var logs = new FakeLogCollector();
        var functions = new UsersFunctions(
            _services.GetRequiredService<UserErasure>(), _services.GetRequiredService<IServedListStore>(), TimeProvider.System, new FakeLogger<UsersFunctions>(logs));
        var request = Request();
        // What the Functions host puts on a request it let in with a key: the key's name.
        request.HttpContext.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(RequestCallers.KeyIdClaim, "erasure-service")], "WebJobsAuthLevel"));

        await functions.DeleteUser(request, "user-to-forget", Cancel);
        await functions.DeleteUser(Request(), "another-user", Cancel);

        var lines = logs.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains(lines, l => l.Contains("at the request of key 'erasure-service'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("at the request of a key of the host", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("user-to-forget", StringComparison.Ordinal) || l.Contains("another-user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOverlongUserIdIs400()
    {
        var errors = ResultAssert.Problem(await _functions.DeleteUser(Request(), new string('u', 129), Cancel), StatusCodes.Status400BadRequest);

        Assert.Equal([(null, "userId")], errors);
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
