using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Benchmarks.CategoryShop;

/// <summary>What the newest model version's record said after the retrain.</summary>
public sealed record CategoryShopVersion(string Version, string? ModelKind, bool Current, bool PassedGate, string? GateReason, bool? ContentUsed, string? ContentReason);

/// <summary>One method's per-shopper figures on one seed.</summary>
public sealed record MethodScores(string Method, IReadOnlyDictionary<string, double> Ndcg, IReadOnlyDictionary<string, double> HitRate)
{
    public double MeanNdcg => Ndcg.Values.DefaultIfEmpty().Average();

    public double MeanHitRate => HitRate.Values.DefaultIfEmpty().Average();
}

/// <summary>One seed of the category-shop check: what was posted, what the retrain decided, how the lists were served, every method's figures.</summary>
public sealed record CategoryShopSeed(
    int Seed, int Items, int Events, int Shoppers, CategoryShopVersion? Version, double RetrainSeconds, int SeenSlots,
    IReadOnlyDictionary<string, int> ListsBySource, int EmptyLists, IReadOnlyDictionary<string, int> SlotsByReason, IReadOnlyList<MethodScores> Methods)
{
    public const string Product = "ServerlessReco (over HTTP)";

    public MethodScores ProductScores => Methods.Single(m => m.Method == Product);

    /// <summary>The baseline with the highest mean nDCG@20 on this seed.</summary>
    public MethodScores BestBaseline => Methods.Where(m => CategoryShopBaselines.Names.Contains(m.Method)).MaxBy(m => m.MeanNdcg)!;
}

/// <summary>
/// The check of issue 21 through the HTTP API of a running host, as a new shop would try it: the catalogue
/// <c>PUT /api/items</c> with its categories (admin key), the window's events <c>POST /api/events</c> with their timestamps,
/// a retrain through the admin route (<c>POST /admin/functions/Retrain</c>), the version record read
/// (<c>GET /api/manage/models</c>), then a list of 20 for every returning shopper (<c>GET /api/users/{id}/recommendations</c>),
/// scored by nDCG@20 and HitRate@20 against what they went on to look at, beside the baselines of the same events.
/// </summary>
public sealed class CategoryShopRun(HttpClient client, string? adminKey)
{
    public const int K = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CategoryShopSeed> RunAsync(CategoryShopWorld world, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        foreach (var chunk in world.Items.Chunk(IngestionLimits.MaxBatchSize))
        {
            (await SendAsync(HttpMethod.Put, "api/items", ItemsBody(chunk), admin: true, cancellationToken).ConfigureAwait(false)).Dispose();
        }

        foreach (var chunk in world.Events.Chunk(IngestionLimits.MaxBatchSize))
        {
            (await SendAsync(HttpMethod.Post, "api/events", IngestionBodies.Events(chunk).ToArray(), admin: false, cancellationToken).ConfigureAwait(false)).Dispose();
        }

        progress?.Report($"seed {world.Options.Seed}: {world.Items.Count:N0} items and {world.Events.Count:N0} events posted; retraining");
        var clock = Stopwatch.StartNew();
        (await SendAsync(HttpMethod.Post, "admin/functions/Retrain", "{}"u8.ToArray(), admin: true, cancellationToken).ConfigureAwait(false)).Dispose();
        var retrainSeconds = clock.Elapsed.TotalSeconds;
        var version = await NewestVersionAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report($"seed {world.Options.Seed}: retrained in {retrainSeconds:F0} s: {version?.Version} {(version?.Current == true ? "serves" : "does not serve")}; {version?.GateReason}");

        var lists = new ConcurrentDictionary<string, ServedList>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(world.Later.Keys, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (shopper, ct) =>
            lists[shopper] = await ListAsync(shopper, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var baselines = new CategoryShopBaselines(world.Items, world.Events);
        var methods = new List<MethodScores> { Score(CategoryShopSeed.Product, world, s => lists[s].Items.Select(i => i.ItemId).ToList()) };
        var seenSlots = lists.Sum(l => l.Value.Items.Count(i => baselines.Seen(l.Key).Contains(i.ItemId)));
        methods.AddRange(CategoryShopBaselines.Names.Select(name => Score(name, world, s => baselines.Recommend(name, s, K))));
        return new CategoryShopSeed(
            world.Options.Seed, world.Items.Count, world.Events.Count, world.Later.Count, version, retrainSeconds, seenSlots,
            lists.Values.GroupBy(l => l.Source ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            lists.Values.Count(l => l.Items.Count == 0),
            lists.Values.SelectMany(l => l.Items).GroupBy(i => i.ReasonKind ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            methods);
    }

    /// <summary>Each returning shopper's nDCG@20 and HitRate@20 of the list <paramref name="listOf"/> gives them against their later new items.</summary>
    public static MethodScores Score(string method, CategoryShopWorld world, Func<string, IReadOnlyList<string>> listOf)
    {
        var ndcg = new Dictionary<string, double>(StringComparer.Ordinal);
        var hits = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (shopper, truth) in world.Later)
        {
            var list = listOf(shopper);
            ndcg[shopper] = RankingMetrics.Ndcg(list, truth, K);
            hits[shopper] = list.Take(K).Any(truth.Contains) ? 1 : 0;
        }

        return new MethodScores(method, ndcg, hits);
    }

    /// <summary>The catalogue as the shop sends it: id and category, a placeholder title or none, nothing else.</summary>
    private static byte[] ItemsBody(IEnumerable<ShopItem> items) => JsonSerializer.SerializeToUtf8Bytes(
        items.Select(i => i.Title is null ? (object)new { itemId = i.Id, category = i.Category } : new { itemId = i.Id, category = i.Category, title = i.Title }), Json);

    private async Task<ServedList> ListAsync(string shopper, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"api/users/{Uri.EscapeDataString(shopper)}/recommendations?count={K}");
        using var response = await SendAsync(HttpMethod.Get, path, null, admin: false, cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<ServedList>(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpShopException($"GET {path} answered null.");
    }

    private async Task<CategoryShopVersion?> NewestVersionAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/manage/models", null, admin: true, cancellationToken).ConfigureAwait(false);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (body.RootElement.GetProperty("versions").EnumerateArray().FirstOrDefault() is not { ValueKind: JsonValueKind.Object } newest)
        {
            return null;
        }

        var metrics = newest.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var content = metrics.ValueKind == JsonValueKind.Object && metrics.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        return new CategoryShopVersion(
            newest.GetProperty("version").GetString()!, Text(metrics, "modelKind"), newest.GetProperty("current").GetBoolean(),
            metrics.ValueKind == JsonValueKind.Object && metrics.TryGetProperty("passedGate", out var passed) && passed.GetBoolean(), Text(metrics, "gateReason"),
            content.ValueKind == JsonValueKind.Object ? content.GetProperty("used").GetBoolean() : null, Text(content, "reason"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, bool admin, CancellationToken cancellationToken)
    {
        ByteArrayContent? content = null;
        if (body is not null)
        {
            content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        return HttpShopApi.SendAsync(client, admin ? adminKey : null, method, path, content, cancellationToken);
    }

    private sealed record ServedList(string? Source, IReadOnlyList<ServedItem> Items);

    private sealed record ServedItem(string ItemId, string? ReasonKind);
}
