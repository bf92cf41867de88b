using System.Net;
using System.Net.Sockets;
using Azure;
using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;

namespace ServerlessReco.Hosting;

/// <summary>
/// Tells a fault of a store (throttled after the SDK's own retries, unavailable, timed out, a dropped connection,
/// a database file busy) from a bug, for the error handler of both hosts: a store fault is answered 503 with
/// <c>Retry-After</c>, since the same request can succeed a moment later and every write is idempotent, while a bug
/// stays a 500. Only the SDKs' own exception types and status codes count: a store that answers 404 or 403 is
/// misconfigured, and retrying would not help.
/// </summary>
public static class StoreFaults
{
    /// <summary>What a client waits before retrying when the store gave no hint of its own.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait a store's hint may ask of a client: a longer hint is a store's estimate, not a promise.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) is a transient store fault, and how long the client should
    /// wait before trying again (the store's own hint when it gave one, else <see cref="DefaultRetryAfter"/>).
    /// </summary>
    public static bool IsTransient(Exception exception, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(exception);
        retryAfter = DefaultRetryAfter;
        foreach (var e in Chain(exception))
        {
            if (Classify(e, out var hint))
            {
                retryAfter = hint is { } h && h > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(Math.Min(h.TotalSeconds, MaxRetryAfter.TotalSeconds))) : DefaultRetryAfter;
                return true;
            }
        }

        return false;
    }

    private static bool Classify(Exception e, out TimeSpan? hint)
    {
        hint = null;
        switch (e)
        {
            case CosmosException cosmos:
                hint = cosmos.RetryAfter;
                return IsTransientStatus((int)cosmos.StatusCode);
            case RequestFailedException blob:
                // Status 0: no response at all (the connection failed or was dropped before one came).
                hint = RetryAfterHeader(blob);
                return blob.Status == 0 || IsTransientStatus(blob.Status);
            case SqliteException sqlite:
                return sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteIoError;
            case FileNotFoundException or DirectoryNotFoundException:
                return false; // a folder store without its files is misconfigured, not busy
            case HttpRequestException or SocketException or IOException or TimeoutException:
                return true;
            case OperationCanceledException:
                // A store call that gave up (the SDKs' timeouts end in a cancellation): the client's own abort ends
                // here too, and then nobody reads the answer.
                return true;
            default:
                return false;
        }
    }

    private static bool IsTransientStatus(int status) => status is
        (int)HttpStatusCode.TooManyRequests or
        (int)HttpStatusCode.ServiceUnavailable or
        (int)HttpStatusCode.RequestTimeout or
        (int)HttpStatusCode.InternalServerError or
        (int)HttpStatusCode.BadGateway or
        (int)HttpStatusCode.GatewayTimeout or
        (int)HttpStatusCode.Gone or // Cosmos DB: a partition moved; the SDK refreshes its routing and the next call succeeds
        449; // Cosmos DB: retry with (a concurrent update of the same item)

    private static TimeSpan? RetryAfterHeader(RequestFailedException e)
    {
        var response = e.GetRawResponse();
        if (response is not null && response.Headers.TryGetValue("Retry-After", out var value) &&
            int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    /// <summary>The exception and every one it wraps (an aggregate's inner exceptions included), outermost first.</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var depth = 0;
        while (pending.Count > 0 && depth++ < 32)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is not null)
            {
                pending.Push(e.InnerException);
            }
        }
    }
}
