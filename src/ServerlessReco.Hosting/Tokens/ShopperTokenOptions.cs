namespace ServerlessReco.Hosting.Tokens;

/// <summary>
/// Shopper tokens (section <c>ShopperTokens</c>; in Azure app settings <c>ShopperTokens__Required</c> and so on): short-lived
/// HS256 tokens the shop's own server mints for one shopper, so that a web or mobile client acts only as that shopper
/// (docs/api.md, "Shopper tokens").
/// </summary>
public sealed class ShopperTokenOptions
{
    public const string Section = "ShopperTokens";

    /// <summary>
    /// Whether the client routes (events, the personal list, similar, trending) refuse a request without a shopper token
    /// (401). Off by default so the local host's first run needs nothing; the Bicep app settings turn it on in Azure.
    /// A request that carries a token is checked whether or not tokens are required.
    /// </summary>
    public bool Required { get; set; }

    /// <summary>
    /// The keys tokens are signed with, <c>kid:base64;kid2:base64</c> (each at least 32 random bytes): a token names its
    /// key in its <c>kid</c> header, so two keys can be live while one is rotated. In Azure a Key Vault reference to the
    /// <c>shopper-token-keys</c> secret. Required when <see cref="Required"/> is true.
    /// </summary>
    public string? SigningKeys { get; set; }

    /// <summary>What is wrong with the settings, or null; checked once when the host starts.</summary>
    public string? Problem()
    {
        if (!string.IsNullOrWhiteSpace(SigningKeys) && !ShopperTokenKeys.TryParse(SigningKeys, out _, out var problem))
        {
            return problem;
        }

        return Required && string.IsNullOrWhiteSpace(SigningKeys)
            ? "ShopperTokens:Required is true but ShopperTokens:SigningKeys is empty: no token could ever be valid. Set the keys " +
              "(kid:base64 of at least 32 random bytes; `reco token --new-key k1` makes one), or, in Azure, check that the " +
              "Key Vault reference to the shopper-token-keys secret resolved."
            : null;
    }
}
