using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessReco.Functions.Http;
using ServerlessReco.Hosting;

namespace ServerlessReco.Functions.Access;

/// <summary>
/// The client routes' rate limits in this instance (<see cref="RateLimitOptions"/>): a token bucket per shopper token's
/// subject and one per client address on the keyless routes, refilled evenly over the minute, with no queue: a request
/// over the limit is a 429 problem with <c>Retry-After</c>, at once. Counts what it refused for the admin report
/// (<c>GET /api/manage/limits</c>). Thread-safe: one per process.
/// </summary>
public sealed class ClientRateLimits : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string>? _shoppers;
    private readonly PartitionedRateLimiter<string>? _addresses;
    private long _shoppersRefused;
    private long _addressesRefused;

    public ClientRateLimits(RateLimitOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Since = clock.GetUtcNow();
        _shoppers = Buckets(options.ShopperPerMinute);
        _addresses = Buckets(options.AddressPerMinute);
    }

    /// <summary>When this instance started counting.</summary>
    public DateTimeOffset Since { get; }

    public LimitsReport Report() => new(
        Since,
        new LimitReport("shopper token subject", _options.ShopperPerMinute, Interlocked.Read(ref _shoppersRefused)),
        new LimitReport("client address, keyless routes", _options.AddressPerMinute, Interlocked.Read(ref _addressesRefused)));

    /// <summary>Null when the shopper <paramref name="subject"/> may make one more request now; the 429 otherwise.</summary>
    public IActionResult? AdmitShopper(string subject) =>
        Admit(_shoppers, subject, ref _shoppersRefused, $"This shopper token's subject made more than {_options.ShopperPerMinute} requests a minute on this instance");

    /// <summary>Null when the request's client address may make one more keyless request now; the 429 otherwise.</summary>
    public IActionResult? AdmitAddress(HttpRequest request) =>
        Admit(_addresses, AddressOf(request), ref _addressesRefused, $"This client address made more than {_options.AddressPerMinute} requests a minute to the keyless routes on this instance");

    /// <summary>
    /// The caller's address: the last hop of <c>X-Forwarded-For</c> when a proxy in front of the app added one (the
    /// Functions host and Azure's front ends do), else the connection's remote address.
    /// </summary>
    /// <remarks>REVIEW: which hop Azure's front end and the Flex Consumption host append is not verified here (no subscription).</remarks>
    public static string AddressOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return last ?? request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();
    }

    private static IActionResult? Admit(PartitionedRateLimiter<string>? limiter, string key, ref long refused, string what)
    {
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        Interlocked.Increment(ref refused);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        return new HeaderedResult(
            Problems.Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"{what}; retry after {retryAfter} s."),
            new Dictionary<string, string> { ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>
    /// A bucket of <paramref name="perMinute"/> per key, one token back every 60/perMinute seconds; null when off. The
    /// partitioned limiter's own timer refills every bucket (none has a timer of its own) and drops idle ones, so a key
    /// costs memory only while it is busy.
    /// </summary>
    private static PartitionedRateLimiter<string>? Buckets(int perMinute) => perMinute == 0 ? null : PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = false,
        }), StringComparer.Ordinal);

    public void Dispose()
    {
        _shoppers?.Dispose();
        _addresses?.Dispose();
    }
}

/// <summary>The admin report of this instance's rate limits: what each allows and how many requests it refused since <see cref="Since"/>.</summary>
public sealed record LimitsReport(DateTimeOffset Since, LimitReport ShopperTokens, LimitReport ClientAddresses)
{
    public string Note => "Per instance: every instance of the app limits and counts on its own.";
}

/// <summary>One limit: what it is per, how many requests a minute it allows (0: off), how many it refused.</summary>
public sealed record LimitReport(string Per, int PerMinute, long Refused);
