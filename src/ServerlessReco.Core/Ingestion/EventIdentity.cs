using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// The id of an event that came without one: a hash of everything that makes it that event, so that the
/// same event posted twice (a retry, a double-submitted batch) gets the same id and is stored once.
/// </summary>
public static class EventIdentity
{
    /// <summary>Prefix that keeps derived ids apart from client ids of the same shape.</summary>
    public const string DerivedPrefix = "h-";

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
