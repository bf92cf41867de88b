using System.Text;
using Microsoft.Extensions.Time.Testing;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;

namespace ServerlessReco.Core.Tests.Ingestion;

public class EventParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly EventParser _parser = new(new FakeTimeProvider(Now), new RetentionPolicy(30));

    private BatchParseResult<BehaviorEvent> Parse(string json) => _parser.ParseBatch(Encoding.UTF8.GetBytes(json));

    private ValidationError SingleError(string json)
    {
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Empty(result.Elements);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void AMinimalEventGetsTheServerTimeAndAnIdFromTheBodyAndItsPosition()
    {
        const string json = """{"userId":"u1","itemId":"i1","type":"view"}""";
        var e = Assert.Single(Parse(json).Elements);

        Assert.Equal(Now, e.Timestamp);
        Assert.Equal(EventIdentity.FromPosition(EventIdentity.BodyDigest(Encoding.UTF8.GetBytes(json)), 0), e.EventId);
        Assert.StartsWith(EventIdentity.PositionalPrefix, e.EventId);
        Assert.Equal(EventType.View, e.Type);
    }

    [Fact]
    public void TheSameBodyWithoutIdsOrTimestampsPostedAgainLaterGetsTheSameIds()
    {
        const string json = """[{"userId":"u1","itemId":"i1","type":"view"},{"userId":"u1","itemId":"i2","type":"click"}]""";
        var clock = new FakeTimeProvider(Now);
        var parser = new EventParser(clock, new RetentionPolicy(30));
        var first = parser.ParseBatch(Encoding.UTF8.GetBytes(json)).Elements;

        clock.Advance(TimeSpan.FromMinutes(3)); // the client's retry, after a 503
        var retry = parser.ParseBatch(Encoding.UTF8.GetBytes(json)).Elements;

        Assert.Equal(first.Select(e => e.EventId), retry.Select(e => e.EventId));
        Assert.NotEqual(first[0].Timestamp, retry[0].Timestamp);
    }

    [Fact]
    public void TwoEqualEventsWithoutTimestampsInOneBodyAreTwoEvents()
    {
        var events = Parse("""[{"userId":"u1","itemId":"i1","type":"view"},{"userId":"u1","itemId":"i1","type":"view"}]""").Elements;

        Assert.Equal(2, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public void AnEventWithATimestampKeepsItsContentIdInAnyBody()
    {
        const string click = """{"userId":"u1","itemId":"i1","type":"click","timestamp":"2026-11-27T10:00:00Z"}""";
        var alone = Assert.Single(Parse(click).Elements);
        var inBatch = Parse($$"""[{"userId":"u2","itemId":"i9","type":"view"},{{click}}]""").Elements[1];

        Assert.Equal(alone.EventId, inBatch.EventId);
        Assert.True(EventIdentity.IsDerived(alone));
    }

    [Fact]
    public void EveryFieldIsRead()
    {
        var e = Assert.Single(Parse("""
            {"eventId":"e-1","userId":"u1","itemId":"i1","type":"rating","value":4.5,"timestamp":"2026-11-27T11:00:00+01:00",
             "sessionId":"s1","recommendationId":"r1","properties":{"page":"home"}}
            """).Elements);

        Assert.Equal("e-1", e.EventId);
        Assert.Equal(4.5, e.Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), e.Timestamp);
        Assert.Equal("s1", e.SessionId);
        Assert.Equal("r1", e.RecommendationId);
        Assert.Equal("home", e.Properties["page"]);
    }

    [Theory]
    [InlineData("view", EventType.View)]
    [InlineData("click", EventType.Click)]
    [InlineData("favorite", EventType.Favorite)]
    [InlineData("add_to_cart", EventType.AddToCart)]
    [InlineData("purchase", EventType.Purchase)]
    [InlineData("impression", EventType.Impression)]
    [InlineData("dismiss", EventType.Dismiss)]
    public void EveryEventTypeIsKnown(string name, EventType type) =>
        Assert.Equal(type, Assert.Single(Parse($$"""{"userId":"u","itemId":"i","type":"{{name}}"}""").Elements).Type);

    [Fact]
    public void AnAnonymousVisitorsEventWithASessionIdAloneIsFiledUnderTheSessionId()
    {
        var alone = Assert.Single(Parse("""{"sessionId":"visit-9","itemId":"i1","type":"click"}""").Elements);
        var both = Assert.Single(Parse("""{"userId":"u1","sessionId":"visit-9","itemId":"i1","type":"click"}""").Elements);

        Assert.Equal("visit-9", alone.UserId);
        Assert.Equal("visit-9", alone.SessionId);
        Assert.Equal("u1", both.UserId);
        Assert.Equal("sessionId", SingleError("""{"sessionId":"","itemId":"i1","type":"click"}""").Field);
        Assert.Equal("userId", SingleError("""{"userId":" ","sessionId":"visit-9","itemId":"i1","type":"click"}""").Field);
    }

    [Fact]
    public void TheSameContentPostedTwiceGetsTheSameId()
    {
        const string json = """{"userId":"u1","itemId":"i1","type":"click","timestamp":"2026-11-27T10:00:00Z"}""";

        Assert.Equal(Parse(json).Elements[0].EventId, Parse(json).Elements[0].EventId);
    }

    [Theory]
    [InlineData("""{"itemId":"i","type":"view"}""", "userId", "is required")]
    [InlineData("""{"userId":"","itemId":"i","type":"view"}""", "userId", "must not be empty")]
    [InlineData("""{"userId":"   ","itemId":"i","type":"view"}""", "userId", "must not be empty")]
    [InlineData("""{"userId":"u\u0007","itemId":"i","type":"view"}""", "userId", "control characters")]
    [InlineData("""{"userId":"u","itemId":7,"type":"view"}""", "itemId", "must be a string, not a number")]
    [InlineData("""{"userId":"u","itemId":"i","type":"like"}""", "type", "not an event type")]
    [InlineData("""{"userId":"u","itemId":"i","type":"rating"}""", "value", "is required")]
    [InlineData("""{"userId":"u","itemId":"i","type":"rating","value":6}""", "value", "from 1 to 5")]
    [InlineData("""{"userId":"u","itemId":"i","type":"rating","value":"4"}""", "value", "must be a number")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","timestamp":"yesterday"}""", "timestamp", "ISO 8601")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","timestamp":1732700000}""", "timestamp", "must be a string")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","timestamp":"2026-11-27T12:06:00Z"}""", "timestamp", "in the future")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","timestamp":"2026-10-01T00:00:00Z"}""", "timestamp", "older than the retention period")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","properties":[1]}""", "properties", "must be an object")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","properties":{"k":1}}""", "properties.k", "must be a string")]
    [InlineData("""{"userId":"u","itemId":"i","type":"view","colour":"red"}""", "colour", "not a known field")]
    public void EachBadFieldIsNamed(string json, string field, string message)
    {
        var error = SingleError(json);

        Assert.Equal(0, error.Index);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdsLongerThan128CharactersAreRefused()
    {
        var error = SingleError($$"""{"userId":"{{new string('u', 129)}}","itemId":"i","type":"view"}""");

        Assert.Equal("userId", error.Field);
        Assert.Single(Parse($$"""{"userId":"{{new string('u', 128)}}","itemId":"i","type":"view"}""").Elements);
    }

    [Fact]
    public void TooManyPropertiesAreRefused()
    {
        var properties = string.Join(',', Enumerable.Range(0, IngestionLimits.MaxProperties + 1).Select(i => $"\"k{i}\":\"v\""));

        Assert.Equal("properties", SingleError($$$"""{"userId":"u","itemId":"i","type":"view","properties":{{{{properties}}}}}""").Field);
    }

    [Fact]
    public void AMixedBatchIsRejectedWholeAndNamesEachBadEventByIndex()
    {
        var result = Parse("""
            [{"userId":"u","itemId":"i","type":"view"},
             {"userId":"","itemId":"i","type":"view"},
             {"userId":"u","itemId":"i","type":"view"},
             {"userId":"u","type":"nope"}]
            """);

        Assert.Empty(result.Elements);
        Assert.Equal([(1, "userId"), (3, "itemId"), (3, "type")], result.Errors.Select(e => (e.Index!.Value, e.Field)));
    }

    [Theory]
    [InlineData("{bad json", "not valid JSON")]
    [InlineData("\"just a string\"", "a JSON object or an array")]
    [InlineData("[]", "at least one")]
    [InlineData("", "not valid JSON")]
    public void ABadEnvelopeIsABodyError(string json, string message)
    {
        var error = SingleError(json);

        Assert.Null(error.Index);
        Assert.Equal("body", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchOverTheLimitIsRefusedBeforeAnyEventIsRead()
    {
        var events = string.Join(',', Enumerable.Repeat("""{"userId":"u","itemId":"i","type":"view"}""", IngestionLimits.MaxBatchSize + 1));

        var error = SingleError($"[{events}]");

        Assert.Equal("body", error.Field);
        Assert.Contains("at most 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchAtTheLimitIsAccepted()
    {
        var events = string.Join(',', Enumerable.Range(0, IngestionLimits.MaxBatchSize).Select(i => $$"""{"userId":"u","itemId":"i{{i}}","type":"view"}"""));

        Assert.Equal(IngestionLimits.MaxBatchSize, Parse($"[{events}]").Elements.Count);
    }

    [Fact]
    public void DeeplyNestedJsonIsRefused() =>
        Assert.Equal("body", SingleError(new string('[', 64) + new string(']', 64)).Field);

    [Fact]
    public void WithRetentionZeroOldEventsAreKept()
    {
        var parser = new EventParser(new FakeTimeProvider(Now), RetentionPolicy.Forever);

        var result = parser.ParseBatch("""{"userId":"u","itemId":"i","type":"view","timestamp":"1997-09-20T00:00:00Z"}"""u8.ToArray());

        Assert.True(result.IsValid);
    }
}
