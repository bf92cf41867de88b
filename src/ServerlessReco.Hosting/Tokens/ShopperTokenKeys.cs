using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ServerlessReco.Hosting.Tokens;

/// <summary>The signing keys of shopper tokens by key id, read from <c>kid:base64;kid2:base64</c>.</summary>
public sealed partial class ShopperTokenKeys
{
    /// <summary>HS256 wants a key at least as long as its hash (RFC 7518, section 3.2).</summary>
    public const int MinimumKeyBytes = 32;

    private ShopperTokenKeys(IReadOnlyList<(string KeyId, byte[] Key)> keys) => Keys = keys;

    /// <summary>The keys in the order they were listed.</summary>
    public IReadOnlyList<(string KeyId, byte[] Key)> Keys { get; }

    public byte[]? Find(string keyId) => Keys.FirstOrDefault(k => k.KeyId == keyId).Key;

    public static ShopperTokenKeys Parse(string text) =>
        TryParse(text, out var keys, out var problem) ? keys : throw new FormatException(problem);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ShopperTokenKeys? keys, [NotNullWhen(false)] out string? problem)
    {
        keys = null;
        var parsed = new List<(string, byte[])>();
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var keyId = colon > 0 ? entry[..colon] : "";
            if (!KeyIdPattern().IsMatch(keyId))
            {
                // The key itself is never echoed: the message may end up in a log.
                problem = $"ShopperTokens:SigningKeys must read kid:base64;kid2:base64 with key ids of 1-64 letters, digits, '.', '_' or '-'; entry {parsed.Count + 1} has none.";
                return false;
            }

            if (!TryDecode(entry[(colon + 1)..], out var key))
            {
                problem = $"ShopperTokens:SigningKeys: the key of '{keyId}' must be base64 of at least {MinimumKeyBytes} random bytes. If it reads @Microsoft.KeyVault(...), the Key Vault reference did not resolve.";
                return false;
            }

            if (parsed.Any(p => p.Item1 == keyId))
            {
                problem = $"ShopperTokens:SigningKeys names key id '{keyId}' twice.";
                return false;
            }

            parsed.Add((keyId, key));
        }

        if (parsed.Count == 0)
        {
            problem = "ShopperTokens:SigningKeys holds no key (kid:base64).";
            return false;
        }

        keys = new ShopperTokenKeys(parsed);
        problem = null;
        return true;
    }

    /// <summary>A new entry for the setting: <paramref name="keyId"/>, a colon, and base64 of 32 random bytes.</summary>
    public static string NewEntry(string keyId) =>
        KeyIdPattern().IsMatch(keyId)
            ? $"{keyId}:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes))}"
            : throw new ArgumentException("A key id is 1-64 letters, digits, '.', '_' or '-'.", nameof(keyId));

    private static bool TryDecode(string base64, [NotNullWhen(true)] out byte[]? key)
    {
        var buffer = new byte[base64.Length];
        key = Convert.TryFromBase64String(base64, buffer, out var written) && written >= MinimumKeyBytes ? buffer[..written] : null;
        return key is not null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyIdPattern();
}
