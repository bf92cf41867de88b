using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// The product over the HTTP API of a running local host, called the way a shop's code calls it: <c>PUT /api/items</c>
/// and <c>POST /api/events</c> in batches the API accepts, <c>GET /api/users/{id}/recommendations</c>, and as its
/// operator the admin routes (the <c>x-functions-key</c> header carries the admin key): the Retrain function run through
/// the host's admin API (<c>POST /admin/functions/Retrain</c>, which reloads that instance's model when it promotes),
/// <c>GET /api/manage/models</c> to see what it did, and the local host's <c>POST /admin/serving/refresh</c>.
/// Any answer other than 2xx stops the run with the problem's detail.
/// </summary>
/// <remarks>
/// Time is the host's: a simulated day is one round of requests, events are stamped with the real time when they
/// happen, and new items are created at the real time of their day. So a run of a few minutes lies within one trending
/// half-life and within the new-arrival window: every item the run adds stays "new" to the end. Lists are logged by the
/// host as it serves them (the served-list store: every slot with its propensity), so the shop posts no impression
/// events of its own; clicks, add-to-carts and purchases cite the list's <c>recommendationId</c>.
/// </remarks>
public sealed class HttpShopApi(HttpClient client, string? adminKey = null, TimeProvider? time = null) : IShopApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Over HTTP a day is a round of requests: nothing to move.</summary>
    public Task BeginDayAsync(DateTimeOffset day, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task UpsertItemsAsync(IReadOnlyList<WorldItem> items, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(IngestionLimits.MaxBatchSize))
        {
            using var body = Body(IngestionBodies.Items(chunk, createdAt));
            (await SendAsync(HttpMethod.Put, "api/items", body, admin: false, cancellationToken).ConfigureAwait(false)).Dispose();
        }
    }

    public async Task RecordEventsAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken)
    {
        foreach (var chunk in events.Chunk(IngestionLimits.MaxBatchSize))
        {
            using var body = Body(IngestionBodies.Events(chunk));
            (await SendAsync(HttpMethod.Post, "api/events", body, admin: false, cancellationToken).ConfigureAwait(false)).Dispose();
        }
    }

    /// <summary>Runs the Retrain function now and compares the model versions before and after: a new newest version was trained, a new current one promoted.</summary>
    public async Task<ShopRetrain> RetrainAsync(CancellationToken cancellationToken)
    {
        var before = await ModelsAsync(cancellationToken).ConfigureAwait(false);
        using (var body = Body("{}"u8.ToArray()))
        {
            (await SendAsync(HttpMethod.Post, "admin/functions/Retrain", body, admin: true, cancellationToken).ConfigureAwait(false)).Dispose();
        }

        var after = await ModelsAsync(cancellationToken).ConfigureAwait(false);
        var trained = after.Newest is not null && after.Newest != before.Newest;
        var promoted = after.Current is not null && after.Current != before.Current;
        var summary = !trained ? "skipped: nothing new to train on"
            : promoted ? $"{after.Newest} trained and promoted"
            : $"{after.Newest} trained and kept out by the gate ({after.Current ?? "no model"} serves)";
        return new ShopRetrain(trained, promoted, summary);
    }

    /// <summary>Makes the host's serving reload model, catalogue and trending now (<c>POST /admin/serving/refresh</c> of the local host).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var body = Body("{}"u8.ToArray());
        (await SendAsync(HttpMethod.Post, "admin/serving/refresh", body, admin: true, cancellationToken).ConfigureAwait(false)).Dispose();
    }

    public async Task<ShopListResponse> RecommendAsync(string userId, int count, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"api/users/{Uri.EscapeDataString(userId)}/recommendations?count={count}");
        var list = await GetAsync<ServedList>(path, admin: false, cancellationToken).ConfigureAwait(false);
        return new ShopListResponse(list.RecommendationId, list.Items, Candidates: null);
    }

    /// <summary>The model version serving now (null before the first promotion) and the newest version stored.</summary>
    public async Task<(string? Current, string? Newest)> ModelsAsync(CancellationToken cancellationToken)
    {
        var models = await GetAsync<ModelVersions>("api/manage/models", admin: true, cancellationToken).ConfigureAwait(false);
        return (models.Current?.Version, models.Versions.FirstOrDefault()?.Version);
    }

    /// <summary>
    /// What <c>GET /api/manage/exploration</c> estimates for exploration rate <paramref name="rate"/> from the lists of the
    /// last <paramref name="days"/> days (the report adds the serving rate to the rates asked for; this picks the one asked).
    /// </summary>
    public async Task<RateEstimate> EstimateAsync(double rate, int days, CancellationToken cancellationToken)
    {
        var report = await GetAsync<ExplorationEstimates>(
            string.Create(CultureInfo.InvariantCulture, $"api/manage/exploration?days={days}&rates={rate}"), admin: true, cancellationToken).ConfigureAwait(false);
        return report.Estimates.FirstOrDefault(e => Math.Abs(e.Explore - Math.Round(rate, 2)) < 1e-9)
            ?? throw new HttpShopException($"GET api/manage/exploration gave no estimate for rate {rate}.");
    }

    private async Task<T> GetAsync<T>(string path, bool admin, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, content: null, admin, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<T>(body, Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpShopException($"GET {path} answered null.");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, bool admin, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (admin && !string.IsNullOrEmpty(adminKey))
        {
            request.Headers.Add("x-functions-key", adminKey);
        }

        var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new HttpShopException(
                    $"{method} {path} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(problem.Length == 0 ? "(no body)" : Detail(problem))}");
            }
        }

        return response;
    }

    /// <summary>The problem document's detail and the first few errors it names, or the body as it came.</summary>
    private static string Detail(string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<Problem>(body, Json);
            if (problem?.Detail is { } detail)
            {
                var errors = (problem.Errors ?? []).Take(3).Select(e => $"[{e.Index}] {e.Field}: {e.Message}");
                return string.Join(" ", [detail, .. errors]);
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the body itself says the most.
        }

        return body.Length <= 500 ? body : body[..500];
    }

    private static ByteArrayContent Body(ReadOnlyMemory<byte> json)
    {
        var content = new ByteArrayContent(json.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private sealed record ServedList(string RecommendationId, IReadOnlyList<RecommendedItem> Items);

    private sealed record ModelVersions(VersionName? Current, IReadOnlyList<VersionName> Versions);

    private sealed record VersionName(string Version);

    private sealed record ExplorationEstimates(IReadOnlyList<RateEstimate> Estimates);

    private sealed record Problem(string? Detail, IReadOnlyList<ProblemError>? Errors);

    private sealed record ProblemError(int? Index, string? Field, string? Message);
}

/// <summary>The host refused a request of the simulated shop (a bug of the driver or of the host, never a shopper's mistake).</summary>
public sealed class HttpShopException(string message) : Exception(message);
