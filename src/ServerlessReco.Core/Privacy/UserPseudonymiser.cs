using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessReco.Core.Privacy;

/// <summary>
/// Turns a user id into the pseudonym that is stored in its place: HMAC-SHA256 under a secret key of the UTF-8
/// id. The same id and key always give the same pseudonym, so a user's events still share one partition and a
/// request by the raw id finds them; without the key nobody can compute a pseudonym from an id (not even by
/// trying every id of a known shape), nor recover an id from a pseudonym. Another key gives other pseudonyms.
/// </summary>
public sealed class UserPseudonymiser
{
    /// <summary>Marks a stored user id as a pseudonym, so nobody mistakes it for a client's id.</summary>
    public const string Prefix = "pu-";

    /// <summary>A key shorter than the MAC's own 256 bits would weaken it.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// The first 128 bits of the MAC are kept: 22 base64url characters, short in every partition key and
    /// index. The chance that two of a billion users share a pseudonym is about 10^-21, and forging one for a
    /// chosen id needs the key, however many bits are kept.
    /// </summary>
    public const int MacBytesKept = 16;

    private readonly byte[] _key;

    public UserPseudonymiser(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A pseudonym key needs at least {MinimumKeyBytes} bytes (it has {key.Length}).", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>The pseudonymiser for a key given as base64 (standard or URL-safe alphabet).</summary>
    public static UserPseudonymiser FromBase64(string key) =>
        TryDecodeKey(key, out var bytes, out var problem) ? new UserPseudonymiser(bytes) : throw new FormatException(problem);

    /// <summary>Decodes a base64 key and checks its length; <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static bool TryDecodeKey(string? key, out byte[] bytes, out string problem)
    {
        bytes = [];
        var text = key?.Trim() ?? "";
        try
        {
            // The two alphabets differ only in '+' '/' versus '-' '_'; URL-safe keys usually come unpadded.
            bytes = text.Contains('+', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal)
                ? Convert.FromBase64String(text)
                : Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            problem = "is not base64.";
            return false;
        }

        problem = bytes.Length < MinimumKeyBytes ? $"has {bytes.Length} bytes; at least {MinimumKeyBytes} random bytes are needed." : "";
        return problem.Length == 0;
    }

    /// <summary>A new random key, base64: what a development machine or a deployment hook generates once.</summary>
    public static string NewKeyBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumKeyBytes));

    public string Pseudonymise(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(userId), mac);
        return Prefix + Base64Url.EncodeToString(mac[..MacBytesKept]);
    }
}
