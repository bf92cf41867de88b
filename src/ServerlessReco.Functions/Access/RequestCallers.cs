using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Access;
using ServerlessReco.Functions.Http;
using ServerlessReco.Hosting.Tokens;

namespace ServerlessReco.Functions.Access;

/// <summary>
/// Builds the <see cref="Caller"/> of a request once, for the functions of both hosts: on a client route (events, the
/// personal list, similar, trending) from its <c>Authorization: Bearer</c> shopper token, or, without one, as the server
/// whose key the Functions host checked (refused with 401 when <see cref="ShopperTokenOptions.Required"/>); on a
/// <c>public/</c> route as anonymous; on a server route (catalogue writes, erasure) as the key's holder. Shopper tokens
/// and keyless callers then pass their rate limit (<see cref="ClientRateLimits"/>). A refusal is a problem document
/// naming what is wrong, never an exception.
/// </summary>
public sealed class RequestCallers(ShopperTokens tokens, IOptions<ShopperTokenOptions> options, ClientRateLimits limits)
{
    /// <summary>The claim in which the Functions host names the key a request was let in with.</summary>
    public const string KeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    private const string Scheme = "Bearer ";

    /// <summary>The caller of a client route that needs <paramref name="scope"/> of a shopper token, or the refusal.</summary>
    public async Task<Admission> ClientAsync(HttpRequest request, string scope)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return options.Value.Required
                ? Admission.Refused(Unauthorized($"This route needs a shopper token: send 'Authorization: Bearer <token>', minted by the shop's server for the shopper with the scope '{scope}' (docs/api.md, \"Shopper tokens\")."))
                : Admission.Admitted(Server(request));
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return Admission.Refused(Unauthorized("The Authorization header must read 'Bearer <shopper token>'."));
        }

        var check = await tokens.ValidateAsync(header[Scheme.Length..].Trim()).ConfigureAwait(false);
        if (check.Caller is not { } caller)
        {
            return Admission.Refused(Unauthorized(check.Detail!));
        }

        if (!caller.Allows(scope))
        {
            return Admission.Refused(Problems.Problem(StatusCodes.Status403Forbidden, "The shopper token does not allow this",
                $"This route needs the scope '{scope}'; the token carries '{string.Join(' ', caller.Scopes)}'. Mint a token with that scope."));
        }

        return limits.AdmitShopper(caller.ShopperId!) is { } tooMany ? Admission.Refused(tooMany) : Admission.Admitted(caller);
    }

    /// <summary>The caller of a keyless <c>public/</c> route: anonymous, whatever headers it sends, within its address's limit.</summary>
    public Admission Public(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return limits.AdmitAddress(request) is { } tooMany ? Admission.Refused(tooMany) : Admission.Admitted(Caller.Anonymous);
    }

    /// <summary>
    /// The caller of a route whose key the Functions host checked: named by the key's name when the host says it
    /// (<see cref="KeyIdClaim"/>), so a log can say who asked without naming a shopper.
    /// </summary>
    public static Caller Server(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyName = request.HttpContext.User?.FindFirst(KeyIdClaim)?.Value;
        return Caller.Server(string.IsNullOrWhiteSpace(keyName) ? "a key of the host" : $"key '{keyName}'");
    }

    private static IActionResult Unauthorized(string detail) => new HeaderedResult(
        Problems.Problem(StatusCodes.Status401Unauthorized, "A valid shopper token is needed", detail),
        new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer error=\"invalid_token\"" });
}

/// <summary>Who a request's caller is, or the response that turns it away.</summary>
public sealed record Admission(Caller? Caller, IActionResult? Refusal)
{
    public static Admission Admitted(Caller caller) => new(caller, null);

    public static Admission Refused(IActionResult refusal) => new(null, refusal);
}
