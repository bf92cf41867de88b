using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Privacy;
using ServerlessReco.Core.Storage;
using ServerlessReco.Lab.Samples;
using ServerlessReco.Storage.Tests.LocalHosts;

namespace ServerlessReco.Storage.Tests.Privacy;

/// <summary>
/// One shopper with a distinctive id goes the whole way through the real local host (the Functions' own HTTP
/// routes and composition) on whatever storage the settings name: their history is posted without event ids,
/// the model retrains, they ask for recommendations, they are erased, and the model retrains again. What the
/// stores and the log hold afterwards is for the caller to search.
/// </summary>
internal static class RawUserIdJourney
{
    /// <summary>The id a shop would send; the distinctive part is what must never be found in storage or logs.</summary>
    public const string RawUserId = "Probe.Shopper-7f3e@example.com";
    public const string Distinctive = "Probe.Shopper-7f3e";

    public static async Task<JourneyOutcome> RunAsync(IEnumerable<string> storageSettings, CancellationToken cancellationToken)
    {
        // Information: the log is searched for the shopper too.
        await using var host = await StartedLocalHost.StartAsync(storageSettings, cancellationToken, "Information", builder => builder.Logging.AddFakeLogging());
        return await WalkAsync(host, cancellationToken);
    }

    private static async Task<JourneyOutcome> WalkAsync(StartedLocalHost host, CancellationToken cancellationToken)
    {
        var services = host.Services;
        var shop = SampleShop.Generate(42, DateTimeOffset.UtcNow, items: 120, users: 150, events: 1500);
        await shop.StoreAsync(services.GetRequiredService<IItemStore>(), services.GetRequiredService<IEventStore>(), cancellationToken);
        var http = host.Http;
        var user = $"/api/users/{Uri.EscapeDataString(RawUserId)}";

        // The busiest shopper's history, posted again as the probe's own, with no event ids: the ids are derived.
        var history = shop.Events.GroupBy(e => e.UserId).MaxBy(g => g.Count())!.ToList();
        var posted = await JsonOf(await http.PostAsync("/api/events", Body(history), cancellationToken), HttpStatusCode.Accepted, cancellationToken);
        var postedAgain = await JsonOf(await http.PostAsync("/api/events", Body(history), cancellationToken), HttpStatusCode.Accepted, cancellationToken);
        await RetrainAsync(http, cancellationToken);
        var before = await JsonOf(await http.GetAsync($"{user}/recommendations", cancellationToken), HttpStatusCode.OK, cancellationToken);

        var receipt = await JsonOf(await http.DeleteAsync(user, cancellationToken), HttpStatusCode.OK, cancellationToken);
        var after = await JsonOf(await http.GetAsync($"{user}/recommendations", cancellationToken), HttpStatusCode.OK, cancellationToken);
        await RetrainAsync(http, cancellationToken);

        var versions = await services.GetRequiredService<ModelRegistry>().ListAsync(cancellationToken);
        var logs = services.GetFakeLogCollector().GetSnapshot()
            .Select(r => $"{r.Category}: {r.Message} {string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? [])} {r.Exception}")
            .ToList();
        return new JourneyOutcome(
            history.Count, posted, postedAgain, before, receipt, after, versions, logs,
            services.GetRequiredService<UserPseudonymiser>().Pseudonymise(shop.Events[0].UserId));
    }

    private static StringContent Body(IEnumerable<BehaviorEvent> history) =>
        new(JsonSerializer.Serialize(history.Select(e => new Dictionary<string, object?>
        {
            ["userId"] = RawUserId,
            ["itemId"] = e.ItemId,
            ["type"] = e.Type.ToWireName(),
            ["value"] = e.Value,
            ["timestamp"] = e.Timestamp,
        }.Where(p => p.Value is not null).ToDictionary())), Encoding.UTF8, "application/json");

    private static async Task RetrainAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var response = await http.PostAsync("/admin/functions/Retrain", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}

/// <summary>What the journey saw, and the checks every storage must pass.</summary>
internal sealed record JourneyOutcome(
    int HistoryCount,
    JsonElement Posted,
    JsonElement PostedAgain,
    JsonElement RecommendationsBefore,
    JsonElement Receipt,
    JsonElement RecommendationsAfter,
    IReadOnlyList<ModelVersionInfo> Versions,
    IReadOnlyList<string> Logs,
    string PseudonymOfAnotherShopper)
{
    /// <summary>Reads map the raw id, erasure by the raw id finds the events, and the next model trains without them.</summary>
    public void AssertPersonalisedThenErasedAndForgotten()
    {
        Assert.Equal(HistoryCount, Posted.GetProperty("stored").GetInt32());
        Assert.Equal(HistoryCount, PostedAgain.GetProperty("duplicates").GetInt32());

        Assert.Equal("model", RecommendationsBefore.GetProperty("source").GetString());
        Assert.Contains(RecommendationsBefore.GetProperty("items").EnumerateArray(), i => i.GetProperty("reasonKind").GetString() == "history");

        // Serving stored the list it showed in the served-list store, under the shopper's pseudonym: erased with the rest.
        Assert.Equal(RawUserIdJourney.RawUserId, Receipt.GetProperty("userId").GetString());
        Assert.Equal(HistoryCount, Receipt.GetProperty("eventsErased").GetInt32());
        Assert.Equal(1, Receipt.GetProperty("servedListsErased").GetInt32());
        Assert.DoesNotContain(RecommendationsAfter.GetProperty("items").EnumerateArray(), i => i.GetProperty("reasonKind").GetString() == "history");

        Assert.True(Versions.Count == 2, $"Expected two trained versions, found {Versions.Count}.");
        var (afterErasure, beforeErasure) = (Versions[0].Metrics!, Versions[1].Metrics!);
        // Training reads behaviour only: the shopper's rows left the segments, and the list served after the erasure went
        // to the served-list store: the events are exactly the erased ones fewer.
        Assert.Equal(beforeErasure.Events - HistoryCount, afterErasure.Events);
        Assert.Equal(beforeErasure.Users - 1, afterErasure.Users);
    }

    public void AssertTheLogNeverNamesTheShopper()
    {
        Assert.Contains(Logs, line => line.Contains("Recorded", StringComparison.Ordinal)); // the log was captured at all
        Assert.DoesNotContain(Logs, line => line.Contains(RawUserIdJourney.Distinctive, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Neither the raw id (UTF-8 or UTF-16) nor its URL-escaped form occurs in <paramref name="bytes"/>.</summary>
    public static void AssertNeverIn(byte[] bytes, string where)
    {
        foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
        {
            Assert.True(
                bytes.AsSpan().IndexOf(encoding.GetBytes(RawUserIdJourney.Distinctive)) < 0,
                $"The raw user id is in {where} ({encoding.WebName}).");
        }
    }

    public static bool Contains(byte[] bytes, string text) => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
