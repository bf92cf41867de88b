namespace ServerlessReco.Hosting;

/// <summary>
/// Rate limits of the client routes, per instance (section <c>RateLimits</c>; app settings <c>RateLimits__ShopperPerMinute</c>
/// and so on): a token bucket per shopper token's subject, and one per client address on the keyless <c>public/</c> routes.
/// Per instance because the Functions app scales out: n instances let n times as much through, which bounds the work one
/// caller can make each instance do, not the bill. Callers with a server key and no token are not limited.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a minute one shopper token's subject may make on the client routes (bursts up to this many); 0 turns the limit off.</summary>
    public int ShopperPerMinute { get; set; } = 120;

    /// <summary>Requests a minute one client address may make on the keyless <c>public/</c> routes; 0 turns the limit off.</summary>
    public int AddressPerMinute { get; set; } = 60;

    /// <summary>What is wrong with the settings, or null; checked once when the host starts.</summary>
    public string? Problem() =>
        ShopperPerMinute is < 0 or > 1_000_000 ? "RateLimits:ShopperPerMinute must be 0 (off) to 1,000,000 requests a minute."
        : AddressPerMinute is < 0 or > 1_000_000 ? "RateLimits:AddressPerMinute must be 0 (off) to 1,000,000 requests a minute."
        : null;
}
