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
/// (a server route: with the admin key) and <c>POST /api/events</c> in batches the API accepts,
/// <c>GET /api/users/{id}/recommendations</c>, and as its operator the admin routes (the <c>x-functions-key</c> header carries the admin key): the Retrain function run through
/// the host's admin API (<c>POST /admin/functions/Retrain</c>, which reloads that instance's model when it promotes),
/// <c>GET /api/manage/models</c> to see what it did, and the local host's <c>POST /admin/serving/refresh</c>.
/// Any answer other than 2xx stops the run with the problem's detail.
/// </summary>
/// <remarks>
/// Time is the host's: a simulated day is one round of requests, events are stamped with the real time when they
/// happen (organic visits in the moments before their day, see <see cref="AfterLastPosted"/>), and new items are created
/// at the real time of their day. So a run of a few minutes lies within one trending
/// half-life and within the new-arrival window: every item the run adds stays "new" to the end. Lists are logged by the
/// host as it serves them (the served-list store: every slot with its propensity), so the shop posts no impression
/// events of its own; clicks, add-to-carts and purchases cite the list's <c>recommendationId</c>.
/// </remarks>
public sealed class HttpShopApi(HttpClient client, string? adminKey = null, TimeProvider? time = null) : IShopApi
{
    /// <summary>The least time a day's organic visits get, from the start of the day's first second to the day's start.</summary>
    public static readonly TimeSpan OrganicRoom = TimeSpan.FromMilliseconds(100);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private DateTimeOffset _lastPosted = DateTimeOffset.MinValue;
    private DateTimeOffset _dayStart = DateTimeOffset.MinValue;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Over HTTP a day is a round of requests and the clock is the host's, but a day starts in a later whole second than
    /// the last event of the day before (training reads event times in whole seconds: days must not share one), with
    /// <see cref="OrganicRoom"/> of that second passed for the day's organic visits (<see cref="AfterLastPosted"/>).
    /// </summary>
    public async Task BeginDayAsync(DateTimeOffset day, CancellationToken cancellationToken)
    {
        if (_lastPosted == DateTimeOffset.MinValue)
        {
            return;
        }

        _dayStart = new DateTimeOffset(_lastPosted.UtcTicks - (_lastPosted.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        var wait = _dayStart + OrganicRoom - Now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task UpsertItemsAsync(IReadOnlyList<WorldItem> items, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(IngestionLimits.MaxBatchSize))
        {
            using var body = Body(IngestionBodies.Items(chunk, createdAt));
            (await SendAsync(HttpMethod.Put, "api/items", body, admin: true, cancellationToken).ConfigureAwait(false)).Dispose();
        }
    }

    public async Task RecordEventsAsync(IReadOnlyList<BehaviorEvent> events, CancellationToken cancellationToken)
    {
        events = AfterLastPosted(events);
        foreach (var chunk in events.Chunk(IngestionLimits.MaxBatchSize))
        {
            using var body = Body(IngestionBodies.Events(chunk));
            (await SendAsync(HttpMethod.Post, "api/events", body, admin: false, cancellationToken).ConfigureAwait(false)).Dispose();
        }
    }

    /// <summary>
    /// The loop stamps a day's organic visits a second apart before the day began: in process a day is 24 hours, but over
    /// HTTP the day before ended a moment ago, and those times would fall among its events (a shopper's clicks of
    /// yesterday after their visits of today, in the history serving reads and in the hold-out a retrain scores on). A
    /// batch reaching back before the day's first second is therefore moved, in order and keeping the proportions of its
    /// gaps, into the time from that second to now; other batches (the responses to a list) keep their times.
    /// </summary>
    private List<BehaviorEvent> AfterLastPosted(IReadOnlyList<BehaviorEvent> events)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var (earliest, latest) = (events.Min(e => e.Timestamp), events.Max(e => e.Timestamp));
        var result = events.ToList();
        if (earliest < _dayStart)
        {
            var room = Now - _dayStart;
            var span = latest - earliest + TimeSpan.FromSeconds(1);
            result = events.Select(e => e with { Timestamp = _dayStart + (room * ((e.Timestamp - earliest) / span)) }).ToList();
        }

        var last = result.Max(e => e.Timestamp);
        _lastPosted = last > _lastPosted ? last : _lastPosted;
        return result;
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
        var newest = after.Versions.FirstOrDefault();
        var trained = newest is not null && newest.Version != before.Versions.FirstOrDefault()?.Version;
        var promoted = after.Current is not null && after.Current.Version != before.Current?.Version;
        var summary = !trained || newest is null ? "skipped: nothing new to train on"
            : $"{newest.Version} ({newest.Metrics?.ModelKind}) {(promoted ? "promoted" : "kept out by the gate")}: {newest.Metrics?.GateReason}";
        return new ShopRetrain(trained, promoted, summary)
        {
            Rate = trained ? newest!.Metrics?.ExplorationRate : null,
            ClickModel = trained ? newest!.Metrics?.ClickModel : null,
        };
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
        return new ShopListResponse(list.RecommendationId, list.Items, Candidates: null) { ModelVersion = list.ModelVersion };
    }

    /// <summary>The model version serving now (null before the first promotion) and every version stored, newest first.</summary>
    public Task<ModelVersions> ModelsAsync(CancellationToken cancellationToken) =>
        GetAsync<ModelVersions>("api/manage/models", admin: true, cancellationToken);

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

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, bool admin, CancellationToken cancellationToken) =>
        SendAsync(client, admin ? adminKey : null, method, path, content, cancellationToken);

    /// <summary>One request (with the admin key in <c>x-functions-key</c> when <paramref name="adminKey"/> is given); any answer other than 2xx throws with the problem's detail.</summary>
    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, string? adminKey, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (!string.IsNullOrEmpty(adminKey))
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

    private sealed record ServedList(string RecommendationId, string? ModelVersion, IReadOnlyList<RecommendedItem> Items);


    private sealed record ExplorationEstimates(IReadOnlyList<RateEstimate> Estimates);

    private sealed record Problem(string? Detail, IReadOnlyList<ProblemError>? Errors);

    private sealed record ProblemError(int? Index, string? Field, string? Message);
}

/// <summary>What <c>GET /api/manage/models</c> says: which version serves, and every stored one, newest first.</summary>
public sealed record ModelVersions(ModelVersions.Pointer? Current, IReadOnlyList<ModelVersions.Entry> Versions)
{
    public sealed record Pointer(string Version);

    public sealed record Entry(string Version, bool Current, Metrics? Metrics);

    /// <summary>The part of a version's metrics.json the driver reports: its kind, the gate's verdict, the rate chosen and the click model's decision.</summary>
    public sealed record Metrics(string? ModelKind, bool PassedGate, string? GateReason)
    {
        public Core.Exploration.ExplorationRateChoice? ExplorationRate { get; init; }

        public Core.Models.ClickModelDecision? ClickModel { get; init; }
    }
}

/// <summary>The host refused a request of the simulated shop (a bug of the driver or of the host, never a shopper's mistake).</summary>
public sealed class HttpShopException(string message) : Exception(message);
