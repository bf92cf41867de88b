using ServerlessReco.ClickTraining;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Benchmarks.Clicks;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// The click model for <c>serve-benchmark</c>: trees as the retrain fits them (LightGBM with the product's settings on
/// a seeded synthetic log of 100,000 slots: 100 trees of 7 leaves), with counts over the benchmark's own catalogue and
/// shoppers, so every lookup a list makes hits as in a shop whose lists were logged: every catalogue item shown, every
/// shopper with counts, and a fatigue count for each of their 50 newest items. Serving's cost depends on the trees'
/// shape and the counts' sizes, not on what they learnt.
/// </summary>
internal static class ServeBenchmarkClickModel
{
    /// <summary>The same lists as <paramref name="name"/>'s serving, with the click model re-ranking each shopper's 100 best candidates.</summary>
    public static async Task<Latency> TimeAsync(
        string name, ModelArtifact artifact, IReadOnlyList<CatalogItem> catalogue, IReadOnlyList<BehaviorEvent> recentEvents, List<List<BehaviorEvent>> histories,
        DateTimeOffset now, int requests, Latency without, Latency bare, TextWriter output)
    {
        var options = new Core.Serving.ServingOptions();
        var service = await ServeBenchmarkCommand.ServiceAsync(With(artifact, catalogue, histories, now), catalogue, recentEvents, now, options);
        var probe = service.Recommend(new Core.Serving.RecommendationRequest(histories[0][0].UserId, 10), histories[0]);
        if (probe.Ranker == "none")
        {
            throw new InvalidOperationException("The click model did not re-rank the benchmark's lists.");
        }

        var latency = Latencies.Time(requests, i => service.Recommend(new Core.Serving.RecommendationRequest(histories[i % histories.Count][0].UserId, 10), histories[i % histories.Count]));
        output.WriteLine(
            $"{name}: serving with the click model re-ranking {options.ClickModelCandidates} candidates p50 {latency.P50:F0} µs, p99 {latency.P99:F0} µs: {latency.P99 / without.P99:F2}x the p99 without it, {latency.P99 / bare.P99:F2}x the bare engine's");
        return latency;
    }

    public static ModelArtifact With(ModelArtifact artifact, IReadOnlyList<CatalogItem> catalogue, IReadOnlyList<List<BehaviorEvent>> histories, DateTimeOffset now)
    {
        var log = SyntheticClickLog.Generate(seed: 5, slots: 100_000);
        var trained = ClickModelTraining.Train(log.Rows, log.History, log.CategoryOf, new LightGbmClickTrainer(), new ClickModelOptions()).Model
            ?? throw new InvalidOperationException("The synthetic log trained no click model.");
        var random = new Random(5);
        var items = catalogue.ToDictionary(
            c => c.ItemId, _ => new ItemExposure(random.Next(1, 500), random.Next(0, 25), now.AddDays(-random.Next(1, 60)).UtcTicks), StringComparer.Ordinal);
        var users = new Dictionary<string, UserExposure>(StringComparer.Ordinal);
        var pairs = new Dictionary<(string, string), PairExposure>();
        foreach (var history in histories)
        {
            var user = history[0].UserId;
            users[user] = new UserExposure(random.Next(10, 500), random.Next(0, 30));
            foreach (var e in history.TakeLast(50))
            {
                pairs[(user, e.ItemId)] = new PairExposure(random.Next(0, 5), now.AddHours(-random.Next(1, 200)).UtcTicks, random.Next(0, 2));
            }
        }

        var model = new ClickModel(trained.Ensemble, trained.Calibration, new ClickExposures(items, users, pairs), trained.OverallRate, trained.Figures);
        return ServeBenchmarkContent.WithAttachment(artifact, ClickModel.AttachmentName, model.ToBytes());
    }
}
