using System.Security.Cryptography;
using System.Text;

namespace ServerlessReco.Functions.Tests.Security;

/// <summary>
/// Shopper tokens built by the steps of docs/api.md ("Minting a shopper token") alone, with no JWT library: base64url
/// of the header JSON, a dot, base64url of the payload JSON, a dot, base64url of HMAC-SHA256 over the first two parts.
/// So the tests can prove a shop's server needs nothing of ours, and build tokens a library would refuse to mint.
/// </summary>
internal static class HandMadeTokens
{
    public const string KeyId = "k1";

    /// <summary>A test key (base64 of 32 bytes), as it appears in ShopperTokens:SigningKeys.</summary>
    public const string Key = "c2hvcHBlci10b2tlbi10ZXN0LWtleS1vZi0zMi1ieXRlcyE=";

    public const string OtherKeyId = "k2";

    public const string OtherKey = "YW5vdGhlci1zaG9wcGVyLXRva2VuLWtleS0zMi1ieXRlcyE=";

    public static string SigningKeys => $"{KeyId}:{Key}";

    public static string Mint(string userId, string scope, TimeSpan lifetime, string keyId = KeyId, string key = Key, string alg = "HS256")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$"""{"sub":"{{userId}}","scope":"{{scope}}","iat":{{now}},"exp":{{now + (long)lifetime.TotalSeconds}}}""";
        return Sign($$"""{"alg":"{{alg}}","typ":"JWT","kid":"{{keyId}}"}""", payload, key);
    }

    /// <summary>Step by step: encode the header and the payload, join them with a dot, sign that text, append the signature.</summary>
    public static string Sign(string headerJson, string payloadJson, string base64Key)
    {
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url(Encoding.UTF8.GetBytes(payloadJson));
        var signature = HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Base64url (RFC 4648, section 5) without padding: '+' becomes '-', '/' becomes '_', no '='.</summary>
    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
