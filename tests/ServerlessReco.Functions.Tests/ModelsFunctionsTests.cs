using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;
using ServerlessReco.Core.Training;
using ServerlessReco.Embedded;
using ServerlessReco.Functions.Functions;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Functions.Tests;

public sealed class ModelsFunctionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reco-models-fn-").FullName;
    private readonly ModelsFunctions _functions;
    private readonly ModelRegistry _registry;
    private readonly SqliteEventStore _events;
    private readonly SqliteServedListStore _servedLists;

    public ModelsFunctionsTests()
    {
        var database = new SqliteDatabase(Path.Combine(_folder, "reco.db"));
        _events = new SqliteEventStore(database, new RetentionPolicy(0));
        _servedLists = new SqliteServedListStore(database, new RetentionPolicy(0));
        var models = new FolderModelBlobStore(Path.Combine(_folder, "models"));
        _registry = new ModelRegistry(models, TimeProvider.System);
        ServingModel = new ModelCache(models, new ServingOptions());
        var retrain = new RetrainService(_events, _servedLists, _registry, new RetrainOptions(), TimeProvider.System, NullLogger<RetrainService>.Instance);
        _functions = new ModelsFunctions(retrain, _registry, ServingModel, NullLogger<ModelsFunctions>.Instance);
    }

    private ModelCache ServingModel { get; }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static HttpRequest Get() => new DefaultHttpContext().Request;

    [Fact]
    public async Task AnEmptyStoreListsNoVersions()
    {
        var body = ResultAssert.Json(await _functions.ListModels(Get(), Cancel), StatusCodes.Status200OK);

        Assert.Empty(body.GetProperty("versions").EnumerateArray());
        Assert.False(body.TryGetProperty("current", out _));
    }

    [Fact]
    public async Task PromotingAnUnknownVersionIs404AndABadNameIs400()
    {
        ResultAssert.Problem(await _functions.PromoteModel(Get(), "20990101T000000Z-none", Cancel), StatusCodes.Status404NotFound);
        Assert.Equal([(null, "version")], ResultAssert.Problem(await _functions.PromoteModel(Get(), "..", Cancel), StatusCodes.Status400BadRequest));
    }

    [Fact]
    public async Task TheTimerTrainsAVersionThatIsListedAndCanBeRolledBackTo()
    {
        await SampleShop.Generate(42, DateTimeOffset.UtcNow).StoreAsync(new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder, "reco.db"))), _events, Cancel);
        await _functions.Retrain(new TimerInfo(), Cancel);
        var first = (await _registry.GetCurrentAsync(Cancel))!.Pointer.Version;
        Assert.Equal(first, ServingModel.Current?.Version);
        await SampleShop.Generate(7, DateTimeOffset.UtcNow, events: 300).StoreAsync(new SqliteItemStore(new SqliteDatabase(Path.Combine(_folder, "reco.db"))), _events, Cancel);
        await _functions.Retrain(new TimerInfo(), Cancel);

        var listed = ResultAssert.Json(await _functions.ListModels(Get(), Cancel), StatusCodes.Status200OK);
        var promoted = ResultAssert.Json(await _functions.PromoteModel(Get(), first, Cancel), StatusCodes.Status200OK);

        var versions = listed.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(2, versions.Count);
        Assert.True(versions[0].GetProperty("current").GetBoolean());
        Assert.True(versions[0].GetProperty("metrics").GetProperty("scores").GetProperty("ndcg").GetDouble() > 0);
        Assert.Equal(first, versions[1].GetProperty("version").GetString());
        Assert.Equal(first, promoted.GetProperty("version").GetString());
        Assert.Equal(versions[0].GetProperty("version").GetString(), promoted.GetProperty("previousVersion").GetString());

        // The instance that promoted serves the promoted version at once, without waiting for its check interval.
        Assert.Equal(first, ServingModel.Current?.Version);
    }

    [Fact]
    public void TheScheduleIsTheRetrainScheduleSettingAndAdminRoutesAvoidTheHostsAdminPrefix()
    {
        var timer = typeof(ModelsFunctions).GetMethod(nameof(ModelsFunctions.Retrain))!.GetParameters()
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).Single(a => a is not null)!;
        Assert.Equal("%Reco:RetrainSchedule%", timer.Schedule);

        foreach (var name in new[] { nameof(ModelsFunctions.ListModels), nameof(ModelsFunctions.PromoteModel) })
        {
            var http = typeof(ModelsFunctions).GetMethod(name)!.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;
            Assert.Equal(AuthorizationLevel.Admin, http.AuthLevel);
            Assert.False(http.Route!.StartsWith("admin", StringComparison.OrdinalIgnoreCase), http.Route);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>The timer through the local host's admin API, then the models route, as an operator would.</summary>
public sealed class RetrainLocalHostTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunningTheRetrainTimerThroughTheAdminApiPublishesAVersionListedByTheModelsRoute()
    {
        var services = host.App.Services;
        await SampleShop.Generate(42, DateTimeOffset.UtcNow)
            .StoreAsync(services.GetRequiredService<IItemStore>(), services.GetRequiredService<IEventStore>(), Cancel);

        using var run = await host.Client.PostAsync("/admin/functions/Retrain", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Cancel);
        var models = await host.Client.GetFromJsonAsync<JsonElement>("/api/manage/models", Cancel);

        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var version = Assert.Single(models.GetProperty("versions").EnumerateArray());
        Assert.True(version.GetProperty("current").GetBoolean());
        Assert.Equal(version.GetProperty("version").GetString(), models.GetProperty("current").GetProperty("version").GetString());

        using var unknown = await host.Client.PostAsync("/api/manage/models/20990101T000000Z-none/promote", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
