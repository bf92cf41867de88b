using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>
/// The client side of <c>reco chaos</c>: sends a request and, as a well-behaved client does, sends the same request
/// again after a 503, a 429 or a dropped connection, and tallies every answer it saw. It does not wait the whole
/// Retry-After (2 s) so that the run stays short; the store's fault plan, not time, decides when a retry succeeds.
/// </summary>
internal sealed class ChaosClient(HttpClient http, int maxTries = 60)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentDictionary<int, long> _statuses = new();
    private long _requests;
    private long _connectionErrors;
    private long _unavailableWithoutRetryAfter;

    public long Requests => Interlocked.Read(ref _requests);

    public long ConnectionErrors => Interlocked.Read(ref _connectionErrors);

    /// <summary>503 answers that came without the Retry-After header every store fault must carry.</summary>
    public long UnavailableWithoutRetryAfter => Interlocked.Read(ref _unavailableWithoutRetryAfter);

    public long Count(HttpStatusCode status) => _statuses.GetValueOrDefault((int)status);

    public long Count(Func<int, bool> statuses) => _statuses.Where(s => statuses(s.Key)).Sum(s => s.Value);

    public IReadOnlyDictionary<int, long> Statuses => new SortedDictionary<int, long>(_statuses);

    /// <summary>Sends until the answer is neither a 503/429 nor a dropped connection; returns its status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await SendOnceAsync(method, path, json, cancellationToken).ConfigureAwait(false);
            var retry = answer is null || answer.Value.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests;
            if (!retry || attempt >= maxTries)
            {
                return answer ?? (0, "");
            }

            await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One request; null when the connection failed (the host was killed, or refused it).</summary>
    public async Task<(HttpStatusCode Status, string Body)?> SendOnceAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
            {
                Interlocked.Increment(ref _unavailableWithoutRetryAfter);
            }

            return (response.StatusCode, body);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _connectionErrors);
            return null;
        }
    }
}
