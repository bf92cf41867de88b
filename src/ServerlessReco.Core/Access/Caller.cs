namespace ServerlessReco.Core.Access;

/// <summary>Who is asking: decided once per request by the host (the Functions app, the local host), read by everything after.</summary>
public enum CallerKind
{
    /// <summary>The shop's own server or an operator: a key no client carries (or the local host, which checks none).</summary>
    Server,

    /// <summary>A shopper's device, with a shopper token: it may act as that one shopper, within the token's scopes.</summary>
    Shopper,

    /// <summary>Nobody in particular: a keyless <c>public/</c> route. Whoever knows a user id can call it.</summary>
    Anonymous,
}

/// <summary>
/// The one request context that says who is asking, and so the one place the rules per caller live: whether a list may
/// name the shopper's history, whether the caller chooses the exploration rate, how long a list it may ask for, whether
/// what it was shown is stored, and whose events it may record. Hosts build it once per request (from the route and the
/// <c>Authorization</c> header); serving and ingestion consume it and never look at keys or routes themselves.
/// </summary>
public sealed record Caller
{
    /// <summary>The most items an anonymous caller gets: enough for a shelf, too few to page through a shopper's whole ranking.</summary>
    public const int MaxAnonymousCount = 20;

    private Caller(CallerKind kind, string? shopperId, IReadOnlySet<string> scopes, string name)
    {
        Kind = kind;
        ShopperId = shopperId;
        Scopes = scopes;
        Name = name;
    }

    /// <summary>A server caller; <paramref name="name"/> says which credential (a key's name), for logs such as the erasure's.</summary>
    public static Caller Server(string name = "server") => new(CallerKind.Server, null, new HashSet<string>(), name);

    /// <summary>A shopper token's holder: <paramref name="shopperId"/> is the token's subject.</summary>
    public static Caller Shopper(string shopperId, IEnumerable<string> scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopperId);
        return new(CallerKind.Shopper, shopperId, new HashSet<string>(scopes, StringComparer.Ordinal), "shopper token");
    }

    public static Caller Anonymous { get; } = new(CallerKind.Anonymous, null, new HashSet<string>(), "anonymous");

    public CallerKind Kind { get; }

    /// <summary>The shopper a <see cref="CallerKind.Shopper"/> caller acts as; null for the others.</summary>
    public string? ShopperId { get; }

    /// <summary>What a shopper token allows (<see cref="ShopperScopes"/>); empty for the others, whose rights come from their kind.</summary>
    public IReadOnlySet<string> Scopes { get; }

    /// <summary>Which credential: a key's name, "shopper token" or "anonymous"; never a user id, so it may be logged.</summary>
    public string Name { get; }

    /// <summary>
    /// Whether reasons may name the shopper's own history ("because you bought X", <c>basedOn</c>): not for an anonymous
    /// caller, who may know nothing but the id and would learn what the shopper bought.
    /// </summary>
    public bool SeesHistory => Kind != CallerKind.Anonymous;

    /// <summary>Whether the request's <c>explore</c> counts: a caller without a credential does not choose how much of the traffic experiments.</summary>
    public bool ChoosesExploration => Kind != CallerKind.Anonymous;

    /// <summary>
    /// Whether what this caller was shown is stored as a served list (and so counts in attribution, exploration figures,
    /// trending's feedback): not an anonymous one, since nobody can show that a list asked for by anyone was ever seen.
    /// </summary>
    public bool StoresServedLists => Kind != CallerKind.Anonymous;

    /// <summary>The count this caller is served for a requested (already validated) <paramref name="count"/>.</summary>
    public int CapCount(int count) => Kind == CallerKind.Anonymous ? Math.Min(count, MaxAnonymousCount) : count;

    /// <summary>Whether this caller may act as <paramref name="userId"/> (record its events, read its personal list).</summary>
    public bool MayActAs(string userId) => Kind != CallerKind.Shopper || string.Equals(userId, ShopperId, StringComparison.Ordinal);

    /// <summary>Whether a shopper token allows <paramref name="scope"/>; server and anonymous callers are governed by the route, not by scopes.</summary>
    public bool Allows(string scope) => Kind != CallerKind.Shopper || Scopes.Contains(scope);
}

/// <summary>The scopes a shopper token can carry (space-separated in its <c>scope</c> claim, as OAuth 2.0 writes them).</summary>
public static class ShopperScopes
{
    /// <summary>Record the shopper's own events (<c>POST /api/events</c>).</summary>
    public const string EventsWrite = "events:write";

    /// <summary>Read lists: the shopper's own personal list, similar items, trending.</summary>
    public const string RecommendationsRead = "recommendations:read";

    public static IReadOnlyList<string> All { get; } = [EventsWrite, RecommendationsRead];
}

/// <summary>
/// The ids of lists served to anonymous callers, which are not stored: <c>pub-</c> rather than <c>rec-</c>, so an event
/// citing one is known to cite a list nobody can be shown to have seen (counted nowhere, and not as a client's bug either).
/// </summary>
public static class PublicListIds
{
    public const string Prefix = "pub-";

    /// <summary>The public id of a list that was given the id <paramref name="listId"/> (<c>rec-…</c>) when it was made.</summary>
    public static string Of(string listId) => Prefix + (listId.StartsWith("rec-", StringComparison.Ordinal) ? listId[4..] : listId);

    public static bool IsPublic(string? listId) => listId is not null && listId.StartsWith(Prefix, StringComparison.Ordinal);
}
