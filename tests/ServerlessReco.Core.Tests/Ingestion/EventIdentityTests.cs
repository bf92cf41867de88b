using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Core.Tests.Ingestion;

public class EventIdentityTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SameContentGivesSameId() =>
        Assert.Equal(
            EventIdentity.FromContent("u1", "i1", EventType.View, null, At, "s", null),
            EventIdentity.FromContent("u1", "i1", EventType.View, null, At, "s", null));

    [Fact]
    public void AnyDifferenceGivesAnotherId()
    {
        var ids = new[]
        {
            EventIdentity.FromContent("u1", "i1", EventType.View, null, At, null, null),
            EventIdentity.FromContent("u2", "i1", EventType.View, null, At, null, null),
            EventIdentity.FromContent("u1", "i2", EventType.View, null, At, null, null),
            EventIdentity.FromContent("u1", "i1", EventType.Click, null, At, null, null),
            EventIdentity.FromContent("u1", "i1", EventType.View, 1, At, null, null),
            EventIdentity.FromContent("u1", "i1", EventType.View, null, At.AddMilliseconds(1), null, null),
            EventIdentity.FromContent("u1", "i1", EventType.View, null, At, "s", null),
            EventIdentity.FromContent("u1", "i1", EventType.View, null, At, null, "r"),
        };
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void FieldsCannotBleedIntoEachOther() =>
        Assert.NotEqual(
            EventIdentity.FromContent("ab", "c", EventType.View, null, At, null, null),
            EventIdentity.FromContent("a", "bc", EventType.View, null, At, null, null));

    [Fact]
    public void DerivedIdsAreMarkedAndFitTheIdLimit()
    {
        var id = EventIdentity.FromContent("u1", "i1", EventType.View, null, At, null, null);
        Assert.StartsWith(EventIdentity.DerivedPrefix, id);
        Assert.True(id.Length <= IngestionLimits.MaxIdLength);
    }

    [Fact]
    public void OnlyTheIdDerivedFromTheEventsOwnContentCountsAsDerived()
    {
        var e = new BehaviorEvent { EventId = "", UserId = "u1", ItemId = "i1", Type = EventType.View, Timestamp = At };
        var derived = e with { EventId = EventIdentity.FromContent(e) };

        Assert.True(EventIdentity.IsDerived(derived));
        Assert.False(EventIdentity.IsDerived(derived with { UserId = "u2" }));
        Assert.False(EventIdentity.IsDerived(e with { EventId = "client-1" }));
    }

    [Fact]
    public void PositionalIdsDependOnTheBodyAndThePositionAndFitTheIdLimit()
    {
        var body = EventIdentity.BodyDigest("[{}]"u8);
        var other = EventIdentity.BodyDigest("[{} ]"u8);

        var id = EventIdentity.FromPosition(body, 0);
        Assert.Equal(id, EventIdentity.FromPosition(body, 0));
        Assert.NotEqual(id, EventIdentity.FromPosition(body, 1));
        Assert.NotEqual(id, EventIdentity.FromPosition(other, 0));
        Assert.StartsWith(EventIdentity.PositionalPrefix, id);
        Assert.True(id.Length <= IngestionLimits.MaxIdLength);
    }

    [Fact]
    public void APositionalIdKeyedWithAPseudonymIsStableAndDiffersPerPseudonym()
    {
        var id = EventIdentity.FromPosition(EventIdentity.BodyDigest("{}"u8), 0);

        Assert.Equal(EventIdentity.RekeyPositional(id, "p-1"), EventIdentity.RekeyPositional(id, "p-1"));
        Assert.NotEqual(EventIdentity.RekeyPositional(id, "p-1"), EventIdentity.RekeyPositional(id, "p-2"));
        Assert.NotEqual(id, EventIdentity.RekeyPositional(id, "p-1"));
    }
}
