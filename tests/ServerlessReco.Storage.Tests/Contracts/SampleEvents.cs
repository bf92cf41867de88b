using ServerlessReco.Core.Events;

namespace ServerlessReco.Storage.Tests.Contracts;

/// <summary>Events for contract tests, stamped relative to the real clock so retention never rejects them.</summary>
internal static class SampleEvents
{
    public static DateTimeOffset Now { get; } = TruncateToMilliseconds(DateTimeOffset.UtcNow);

    public static BehaviorEvent Event(string userId, string itemId, string eventId, TimeSpan? age = null, EventType type = EventType.View) => new()
    {
        EventId = eventId,
        UserId = userId,
        ItemId = itemId,
        Type = type,
        Timestamp = Now - (age ?? TimeSpan.FromMinutes(1)),
    };

    /// <summary>A fresh prefix so that tests sharing one database never see each other's users.</summary>
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
