using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// The id of an event that came without one, never from the server's clock, so that a retried request stores
/// nothing twice: an event with a <c>timestamp</c> gets a hash of everything that makes it that event (the same event
/// in any batch is stored once); an event without one gets a hash of the request body and its position in it
/// (the same body posted again is a retry and stores nothing new, while two equal events in one body stay two).
/// </summary>
public static class EventIdentity
{
    /// <summary>Prefix that keeps derived ids apart from client ids of the same shape.</summary>
    public const string DerivedPrefix = "h-";

    /// <summary>Prefix of ids derived from the request body and the event's position in it.</summary>
    public const string PositionalPrefix = "b-";

    /// <summary>The digest of a request body that <see cref="FromPosition"/> derives its ids from.</summary>
    public static byte[] BodyDigest(ReadOnlySpan<byte> body) => SHA256.HashData(body);

    /// <summary>The id of the event at <paramref name="index"/> of the body whose <see cref="BodyDigest"/> is given.</summary>
    public static string FromPosition(ReadOnlySpan<byte> bodyDigest, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Span<byte> input = stackalloc byte[bodyDigest.Length + sizeof(int)];
        bodyDigest.CopyTo(input);
        BinaryPrimitives.WriteInt32LittleEndian(input[bodyDigest.Length..], index);
        return PositionalPrefix + Convert.ToHexStringLower(SHA256.HashData(input).AsSpan(0, 16));
    }

    /// <summary>
    /// A positional id keyed again with the user's pseudonym: the body it hashes holds the raw user id, so the stored id
    /// is a hash of the pseudonym too (the same request still maps to the same stored id, and the id alone is unlinkable).
    /// </summary>
    public static string RekeyPositional(string positionalId, string pseudonym)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(positionalId + '\u001f' + pseudonym));
        return PositionalPrefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Whether the id was derived from a body and a position (or a client sent one of that shape, re-keyed the same way).</summary>
    public static bool IsPositional(BehaviorEvent e) => e.EventId.StartsWith(PositionalPrefix, StringComparison.Ordinal);

    public static string FromContent(
        string userId, string itemId, EventType type, double? value, DateTimeOffset timestamp, string? sessionId, string? recommendationId)
    {
        var canonical = string.Join('\u001f',
            userId,
            itemId,
            type.ToWireName(),
            value?.ToString("R", CultureInfo.InvariantCulture) ?? "",
            timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            sessionId ?? "",
            recommendationId ?? "");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return DerivedPrefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>The id derived from the event's own content.</summary>
    public static string FromContent(BehaviorEvent e) =>
        FromContent(e.UserId, e.ItemId, e.Type, e.Value, e.Timestamp, e.SessionId, e.RecommendationId);

    /// <summary>
    /// Whether the event's id is the one derived from its content (the client sent none). A client id that
    /// happens to equal it is the same id either way, so treating it as derived changes nothing.
    /// </summary>
    public static bool IsDerived(BehaviorEvent e) =>
        e.EventId.StartsWith(DerivedPrefix, StringComparison.Ordinal) && e.EventId == FromContent(e);
}
