using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServerlessReco.Core.Access;

namespace ServerlessReco.Hosting.Tokens;

/// <summary>
/// Shopper tokens: JWTs signed with HS256 under one of <see cref="ShopperTokenKeys"/> (named by the <c>kid</c> header),
/// with the shopper id in <c>sub</c>, an <c>exp</c> at most <see cref="MaxLifetime"/> away and the space-separated
/// <c>scope</c> of <see cref="ShopperScopes"/>. The format and its checks (signature, algorithm, expiry) are the
/// Microsoft.IdentityModel library's; ours are only the rules of this product: the key id must be one we hold, the
/// lifetime at most a day, a subject and known scopes. Every refusal names what is wrong, for the shop's developer.
/// </summary>
public sealed class ShopperTokens
{
    /// <summary>The longest a token may live: a stolen token acts as its shopper at most this long.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    /// <summary>Clocks of the shop's server and ours may disagree by this much (expiry and not-before).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ShopperTokenKeys? _keys;

    /// <param name="keys">The signing keys; null when none are configured (every token is then refused).</param>
    public ShopperTokens(ShopperTokenKeys? keys) => _keys = keys;

    public bool HasKeys => _keys is not null;

    /// <summary>
    /// A token for <paramref name="shopperId"/>, signed with the key <paramref name="keyId"/> (the first listed when null),
    /// issued at <paramref name="issuedAt"/> (now when null: the library checks expiry against the system clock).
    /// </summary>
    public string Mint(string shopperId, IEnumerable<string> scopes, TimeSpan lifetime, string? keyId = null, DateTimeOffset? issuedAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shopperId);
        if (_keys is null)
        {
            throw new InvalidOperationException("No signing key is configured (ShopperTokens:SigningKeys).");
        }

        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A shopper token lives more than 0 and at most one day.");
        }

        var (id, key) = keyId is null ? _keys.Keys[0] : (keyId, _keys.Find(keyId) ?? throw new ArgumentException($"No signing key has the id '{keyId}'.", nameof(keyId)));
        var now = (issuedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = shopperId,
                ["scope"] = string.Join(' ', scopes),
            },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = id }, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The caller a token stands for, or why it stands for nobody (401); never throws for a client's token.</summary>
    public async Task<TokenCheck> ValidateAsync(string token)
    {
        if (_keys is null)
        {
            return TokenCheck.Unauthorized("This server holds no shopper-token signing key (ShopperTokens:SigningKeys), so it can accept no token.");
        }

        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return TokenCheck.Unauthorized("The bearer token is not a JWT: expected three base64url parts, header.payload.signature, with JSON header and payload.");
        }

        if (string.IsNullOrEmpty(parsed.Kid) || _keys.Find(parsed.Kid) is null)
        {
            return TokenCheck.Unauthorized(string.IsNullOrEmpty(parsed.Kid)
                ? "The shopper token's header has no 'kid': name the signing key the token was signed with."
                : $"The shopper token's key id '{Clip(parsed.Kid)}' is not one of this server's signing keys (ShopperTokens:SigningKeys): it was rotated out, or the token was signed elsewhere.");
        }

        var result = await _handler.ValidateTokenAsync(parsed, Parameters()).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenCheck.Unauthorized(Explain(result.Exception));
        }

        var now = DateTimeOffset.UtcNow;
        if (parsed.ValidTo > (now + MaxLifetime + ClockSkew).UtcDateTime)
        {
            return TokenCheck.Unauthorized($"The shopper token expires at {parsed.ValidTo:O}, more than a day from now: shopper tokens live at most one day.");
        }

        var subject = result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 128 || subject.Any(char.IsControl))
        {
            return TokenCheck.Unauthorized("The shopper token's 'sub' claim must be the shopper's user id (1-128 characters, no control characters).");
        }

        var scopes = (result.ClaimsIdentity.FindFirst("scope")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return TokenCheck.Valid(Caller.Shopper(subject, scopes.Where(s => ShopperScopes.All.Contains(s))));
    }

    private TokenValidationParameters Parameters() => new()
    {
        IssuerSigningKeys = _keys!.Keys.Select(k => new SymmetricSecurityKey(k.Key) { KeyId = k.KeyId }),
        TryAllIssuerSigningKeys = false, // the kid names the key: a token under a retired kid fails even if some key matches
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = false,
        ValidateAudience = false,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,
    };

    private static string Explain(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException expired => $"The shopper token expired at {expired.Expires:O}: mint a new one (tokens live at most one day).",
        SecurityTokenNotYetValidException early => $"The shopper token is not valid before {early.NotBefore:O}: check the clock of the server that minted it.",
        SecurityTokenNoExpirationException => "The shopper token has no 'exp' claim: every shopper token expires, within one day.",
        SecurityTokenInvalidAlgorithmException => "The shopper token must be signed with HS256 (its header's 'alg').",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
            "The shopper token's signature does not match its key id's key: it was altered, or signed with another key.",
        SecurityTokenMalformedException or ArgumentException => "The bearer token is not a well-formed JWT.",
        _ => "The shopper token is not valid.",
    };

    /// <summary>A client's text echoed in a refusal, cut short: a refusal must not carry a megabyte back.</summary>
    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>The caller a token stands for, or the status and detail that refuse it.</summary>
public sealed record TokenCheck(Caller? Caller, string? Detail)
{
    public static TokenCheck Valid(Caller caller) => new(caller, null);

    public static TokenCheck Unauthorized(string detail) => new(null, detail);
}
