using Microsoft.Data.Sqlite;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Serving;
using ServerlessReco.Embedded;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// The whole request path on the embedded store (SQLite), as the local host serves it: the history read, the list, and
/// the served-list write. Measured with the served-list log off and on (what the write costs), and for a shopper who
/// was served thousands of lists against one with as many events who was not, interleaved in the same run (the read
/// must not grow).
/// </summary>
internal static class StorePathBenchmark
{
    public const int HeavyLists = 5000;

    public static async Task<object> MeasureAsync(
        string name, ModelArtifact artifact, IReadOnlyList<CatalogItem> catalogue, IReadOnlyList<BehaviorEvent> events, DateTimeOffset now,
        int requests, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reco-serve-store-").FullName;
        try
        {
            var database = new SqliteDatabase(Path.Combine(folder, "reco.db"));
            var eventStore = new SqliteEventStore(database, RetentionPolicy.Forever);
            var lists = new SqliteServedListStore(database, RetentionPolicy.Forever);
            var items = new SqliteItemStore(database);
            await eventStore.AppendAsync(events, cancellationToken);
            await items.UpsertAsync(catalogue, cancellationToken);
            var models = new MemoryModelStore();
            await ServeBenchmarkCommand.Publish(models, artifact);
            var clock = new ServeBenchmarkCommand.FixedClock(now);
            RecommendationService Service(bool log)
            {
                var options = new ServingOptions { LogServedLists = log };
                return new RecommendationService(new ModelCache(models, options, clock), items, eventStore, lists, options, clock);
            }

            var (off, on) = (Service(log: false), Service(log: true));
            await off.RefreshAsync();
            await on.RefreshAsync();
            var users = events.Select(e => e.UserId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var withoutLog = await Latencies.TimeAsync(requests, i => Serve(off, users[i % users.Length], cancellationToken));
            var withLog = await Latencies.TimeAsync(requests, i => Serve(on, users[i % users.Length], cancellationToken));
            var (heavy, light) = await HeavyAndLightAsync(on, TwinShoppers(events), requests, cancellationToken);
            output.WriteLine(
                $"{name} on SQLite (history read + list + served-list write): served-list log off p50 {withoutLog.P50:F0} µs, p99 {withoutLog.P99:F0} µs; "
                + $"on p50 {withLog.P50:F0} µs, p99 {withLog.P99:F0} µs; a shopper served {HeavyLists:N0} lists p50 {heavy.P50:F0} µs against one with as many events and no lists {light.P50:F0} µs");
            return new
            {
                store = "sqlite",
                requests,
                servedListLogOff = withoutLog,
                servedListLogOn = withLog,
                p50RatioLogOnToOff = withLog.P50 / withoutLog.P50,
                p99RatioLogOnToOff = withLog.P99 / withoutLog.P99,
                heavyUserLists = HeavyLists,
                heavyUser = heavy,
                lightUser = light,
                p50RatioHeavyToLight = heavy.P50 / light.P50,
            };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Two shoppers with histories of the same length (the median one), so that only the lists served differ.</summary>
    private static (string Heavy, string Light) TwinShoppers(IReadOnlyList<BehaviorEvent> events)
    {
        var bySize = events.GroupBy(e => e.UserId).GroupBy(g => g.Count()).Where(g => g.Count() >= 2).OrderBy(g => g.Key).ToList();
        var twins = bySize[bySize.Count / 2].Select(g => g.Key).Order(StringComparer.Ordinal).ToArray();
        return (twins[0], twins[1]);
    }

    /// <summary>Serves one shopper <see cref="HeavyLists"/> lists, then times their requests and their twin's, alternately.</summary>
    private static async Task<(Latency Heavy, Latency Light)> HeavyAndLightAsync(
        RecommendationService service, (string Heavy, string Light) shoppers, int requests, CancellationToken cancellationToken)
    {
        var (heavyUser, lightUser) = shoppers;
        for (var i = 0; i < HeavyLists; i++)
        {
            await Serve(service, heavyUser, cancellationToken);
        }

        var heavy = new double[requests / 2];
        var light = new double[requests / 2];
        for (var i = 0; i < heavy.Length; i++)
        {
            heavy[i] = await TimeOneAsync(service, heavyUser, cancellationToken);
            light[i] = await TimeOneAsync(service, lightUser, cancellationToken);
        }

        return (Latencies.Of(heavy), Latencies.Of(light));
    }

    private static async Task<double> TimeOneAsync(RecommendationService service, string user, CancellationToken cancellationToken)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await Serve(service, user, cancellationToken);
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static async ValueTask Serve(RecommendationService service, string user, CancellationToken cancellationToken) =>
        await service.RecommendAsync(new RecommendationRequest(user, 10), cancellationToken);
}
