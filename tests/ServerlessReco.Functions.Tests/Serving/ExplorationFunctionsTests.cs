using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Functions.Functions;
using ServerlessReco.TestSupport;

namespace ServerlessReco.Functions.Tests.Serving;

public sealed class ExplorationFunctionsTests : IDisposable
{
    private readonly ServingShop _shop = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _shop.Dispose();

    private static HttpRequest Get(string query) => FunctionTestContext.Get(query);

    private static JsonElement Body(IActionResult result, int status) => ResultAssert.Json(result, status);

    [Fact]
    public async Task TheExploreParameterSetsThisListsRateAndTheListNamesItsPolicy()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var functions = FunctionTestContext.Recommendations(_shop.Service());

        var greedy = Body(await functions.GetRecommendations(Get("?explore=0"), _shop.ActiveUser(), Cancel), 200);
        var exploring = Body(await functions.GetRecommendations(Get("?explore=1"), _shop.ActiveUser(), Cancel), 200);

        Assert.Equal("uncertainty(0)", greedy.GetProperty("policy").GetString());
        Assert.Equal("uncertainty(1)", exploring.GetProperty("policy").GetString());
        var kinds = exploring.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slotKind").GetString()).ToList();
        Assert.Equal(2 + 1, kinds.Count(k => k == "explore"));   // the budget of 2, and the new-arrival slot
        Assert.All(exploring.GetProperty("items").EnumerateArray(), i => Assert.InRange(i.GetProperty("propensity").GetDouble(), 1e-9, 1));
    }

    [Fact]
    public async Task TheAdminReportShowsOnlineFiguresPerSlotKindAndEstimatesPerRate()
    {
        await _shop.StoreAsync();
        await _shop.PublishAsync("v1");
        var options = new ServingOptions { Explore = 0.2 };
        var service = _shop.Service(options);
        for (var i = 0; i < 30; i++)
        {
            var user = _shop.ActiveUser(i);
            var list = await service.RecommendAsync(new RecommendationRequest(user), Cancel);
            await _shop.Events.AppendAsync([ServingShop.Event(user, list.Items[i % 10].ItemId, EventType.Click) with { RecommendationId = list.RecommendationId }], Cancel);
        }

        var functions = new ExplorationFunctions(_shop.ServedLists, _shop.Events, Options.Create(options), new ModelCache(_shop.Models, options), TimeProvider.System);
        var body = Body(await functions.GetExplorationReport(Get("?days=1&rates=0,0.5"), Cancel), 200);

        Assert.Equal(300, body.GetProperty("loggedSlots").GetInt32());
        Assert.Equal(0, body.GetProperty("monteCarloPropensities").GetProperty("slots").GetInt32());   // the default policy's propensities are exact
        var rows = body.GetProperty("online").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["all", "exploit", "explore"], rows.Select(r => r.GetProperty("slotKind").GetString()));
        var all = rows[0];
        Assert.Equal((30, 300, 30), (all.GetProperty("lists").GetInt32(), all.GetProperty("impressions").GetInt32(), all.GetProperty("clicks").GetInt32()));
        Assert.Equal(0.1, all.GetProperty("clickThroughRate").GetDouble(), 9);
        var estimates = body.GetProperty("estimates").EnumerateArray().ToList();
        Assert.Equal([0, 0.2, 0.5], estimates.Select(e => e.GetProperty("explore").GetDouble()));
        Assert.Equal(0.1, estimates[1].GetProperty("ips").GetProperty("value").GetDouble(), 9);

        var bad = Body(await functions.GetExplorationReport(Get("?days=0&rates=0,7"), Cancel), 400);
        Assert.Equal(["days", "rates"], bad.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Equal((0.2, 0.2), (body.GetProperty("explore").GetDouble(), body.GetProperty("configuredExplore").GetDouble()));
        Assert.False(body.TryGetProperty("adaptiveRate", out _)); // a version without a chosen rate serves the configured one
    }

    [Fact]
    public async Task TheReportNamesTheRateTheServingVersionsRetrainChoseWithItsEvidenceAndEstimatesIt()
    {
        await _shop.StoreAsync();
        var artifact = await Trainer.TrainAsync(_shop.Events.ReadAllAsync(cancellationToken: Cancel), new TrainerOptions(), cancellationToken: Cancel);
        var evidence = new RateEvidence(0.15, 0.12, 0.121, 0.01, 0.002, 900);
        artifact.Attach(ExplorationRateChoice.AttachmentName, new ExplorationRateChoice(0.15, 0.1, "0.15 earns more", 5000)
        {
            ConfiguredRate = 0.1, Minimum = 0.02, Maximum = 0.3, Cost = 0.05, Evidence = [evidence], NewItems = new NewItemPromise(8, 8),
        }.ToBytes());
        await _shop.PublishAsync("v1", artifact: artifact);
        var options = new ServingOptions { Explore = 0.1 };
        var list = await _shop.Service(options).RecommendAsync(new RecommendationRequest(_shop.ActiveUser()), Cancel);
        Assert.Equal("uncertainty(0.15)", list.Policy);
        var functions = new ExplorationFunctions(_shop.ServedLists, _shop.Events, Options.Create(options), new ModelCache(_shop.Models, options), TimeProvider.System);

        var body = Body(await functions.GetExplorationReport(Get("?days=1&rates=0"), Cancel), 200);

        Assert.Equal((0.15, 0.1), (body.GetProperty("explore").GetDouble(), body.GetProperty("configuredExplore").GetDouble()));
        var choice = body.GetProperty("adaptiveRate");
        Assert.Equal((0.15, 0.1, "0.15 earns more"), (choice.GetProperty("rate").GetDouble(), choice.GetProperty("previousRate").GetDouble(), choice.GetProperty("reason").GetString()));
        Assert.Equal(0.01, choice.GetProperty("evidence")[0].GetProperty("gain").GetDouble());
        Assert.Equal(1, choice.GetProperty("newItems").GetProperty("share").GetDouble());
        Assert.Equal([0, 0.15], body.GetProperty("estimates").EnumerateArray().Select(e => e.GetProperty("explore").GetDouble()));
        Assert.Equal(0.1, choice.GetProperty("configuredRate").GetDouble());

        // The operator lowers Serving__Explore: their rate serves now, and the choice made under 0.1 is not reported as serving.
        var lowered = new ServingOptions { Explore = 0.05 };
        functions = new ExplorationFunctions(_shop.ServedLists, _shop.Events, Options.Create(lowered), new ModelCache(_shop.Models, lowered), TimeProvider.System);
        body = Body(await functions.GetExplorationReport(Get("?days=1&rates=0"), Cancel), 200);
        Assert.Equal((0.05, 0.05), (body.GetProperty("explore").GetDouble(), body.GetProperty("configuredExplore").GetDouble()));
        Assert.False(body.TryGetProperty("adaptiveRate", out _));
    }

    [Theory]
    [InlineData("?rates=NaN")]
    [InlineData("?rates=0,NaN")]
    [InlineData("?rates=Infinity")]
    public async Task NonFiniteRatesAreProblemsNamingTheField(string query)
    {
        var functions = new ExplorationFunctions(_shop.ServedLists, _shop.Events, Options.Create(new ServingOptions()), new ModelCache(_shop.Models, new ServingOptions()), TimeProvider.System);

        var bad = Body(await functions.GetExplorationReport(Get(query), Cancel), 400);

        Assert.Equal(["rates"], bad.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }
}
