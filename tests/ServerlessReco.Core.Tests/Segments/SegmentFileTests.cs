using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Segments;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Core.Tests.Segments;

public sealed class SegmentFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void EveryFieldTrainingReadsSurvivesASegmentInOrder()
    {
        var events = Enum.GetValues<EventType>().Select((type, i) => new BehaviorEvent
        {
            EventId = $"e{i}",
            UserId = $"pu-user{i % 3}",
            ItemId = $"sku-é{i}",
            Type = type,
            Value = type == EventType.Rating ? 4.5 : null,
            Timestamp = Now.AddTicks(i * 1234567),
            SessionId = "not kept",
            RecommendationId = i % 2 == 0 ? $"list-{i}" : null,
        }).ToList();
        using var buffer = new MemoryStream();

        SegmentFile.Write(buffer, events);
        buffer.Position = 0;
        var read = SegmentFile.Read(buffer).ToList();

        Assert.Equal(
            events.Select(e => (e.EventId, e.UserId, e.ItemId, e.Type, e.Value, e.Timestamp, e.RecommendationId)),
            read.Select(e => (e.EventId, e.UserId, e.ItemId, e.Type, e.Value, e.Timestamp, e.RecommendationId)));
        Assert.All(read, e => Assert.Null(e.SessionId));
    }

    [Fact]
    public void ABlobThatIsNotASegmentIsRefused()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("{\"not\":\"a segment\"}"u8);
        }

        buffer.Position = 0;
        Assert.Throws<InvalidDataException>(() => SegmentFile.Read(buffer).ToList());
    }

    [Fact]
    public void SegmentsKeepImpressionsOnlyWhenTrainingWeighsThem()
    {
        var weighed = new RetrainOptions { WindowDays = 90, Trainer = new TrainerOptions { Data = new TrainingOptions { Weights = new EventWeights { Impression = 0.1 } } } };

        Assert.False(new RetrainOptions().Segments().KeepImpressions);
        Assert.True(weighed.Segments().KeepImpressions);
        Assert.Equal(90, weighed.Segments().WindowDays);
    }
}
