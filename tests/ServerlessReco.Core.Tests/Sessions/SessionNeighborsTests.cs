using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Core.Tests.Sessions;

/// <summary>Session k-NN (V-SKNN): the index of training sessions, the sample, the position weights and the votes.</summary>
public class SessionNeighborsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Sessions as (id, items in click order), the first session oldest, each a minute after the previous one's start.</summary>
    private static InteractionMatrix Matrix(params (string Session, string[] Items)[] sessions)
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions { HistoryHalfLife = TrainingOptions.ValidatedHistoryHalfLife });
        for (var s = 0; s < sessions.Length; s++)
        {
            var (id, items) = sessions[s];
            for (var p = 0; p < items.Length; p++)
            {
                var at = Start.AddMinutes(s * 10).AddSeconds(p);
                builder.Add(new BehaviorEvent { EventId = $"{id}:{p}", UserId = id, SessionId = id, ItemId = items[p], Type = EventType.Click, Timestamp = at });
            }
        }

        return builder.Build();
    }

    private static string[] Top(InteractionMatrix data, SessionIndex index, SessionNeighborOptions options, params string[] session)
    {
        var scores = new double[data.ItemCount];
        SessionNeighbors.Score(index, [.. session.Select(i => data.Items.TryGetIndex(i, out var x) ? x : throw new ArgumentException(i))], options, scores);
        return [.. TopK.Select(scores, 3).Where(i => scores[i] > 0).Select(i => data.Items[i])];
    }

    [Fact]
    public void TheIndexNumbersSessionsNewestFirstWithTheirItemsInClickOrder()
    {
        var data = Matrix(("old", ["a", "b"]), ("new", ["c", "a", "d"]));

        var index = SessionIndex.Build(data, maxSessions: 10);

        Assert.Equal(2, index.SessionCount);
        Assert.Equal(["c", "a", "d"], index.ItemsOf(0).ToArray().Select(i => data.Items[i]));
        Assert.Equal(["a", "b"], index.ItemsOf(1).ToArray().Select(i => data.Items[i]));
        data.Items.TryGetIndex("a", out var a);
        Assert.Equal([0, 1], index.SessionsOf(a).ToArray());
    }

    [Fact]
    public void OnlyTheNewestSessionsAreKeptAndTheIndexSurvivesItsBytes()
    {
        var data = Matrix(("s1", ["a", "b"]), ("s2", ["b", "c"]), ("s3", ["c", "d"]));

        var index = SessionIndex.FromBytes(SessionIndex.Build(data, maxSessions: 2).ToBytes());

        Assert.Equal(2, index.SessionCount);
        Assert.Equal(["c", "d"], index.ItemsOf(0).ToArray().Select(i => data.Items[i]));
        data.Items.TryGetIndex("a", out var a);
        Assert.Equal(0, index.SessionsOf(a).Length);
        Assert.Throws<InvalidDataException>(() => SessionIndex.FromBytes([.. BitConverter.GetBytes(1), .. BitConverter.GetBytes(2), .. BitConverter.GetBytes(0), .. BitConverter.GetBytes(5), .. BitConverter.GetBytes(0)]));
    }

    [Fact]
    public void TheLastClickCountsMostSoItsNeighboursVoteFirst()
    {
        // "x" was clicked first, "y" last: sessions with y (which went on to "after-y") outweigh those with x.
        var data = Matrix(("n1", ["x", "after-x"]), ("n2", ["x", "after-x"]), ("n3", ["y", "after-y"]), ("n4", ["y", "after-y"]));
        var index = SessionIndex.Build(data, 100);

        var top = Top(data, index, new SessionNeighborOptions { IdfWeight = 0 }, "x", "y");

        Assert.Equal(["y", "after-y", "x"], top);
        Assert.Equal(["x", "after-x", "y"], Top(data, index, new SessionNeighborOptions { IdfWeight = 0 }, "y", "x"));
    }

    [Fact]
    public void OnlyTheSampleOfTheMostRecentSessionsIsCompared()
    {
        // Two old sessions went a → "stale", the newest one a → "fresh": with a sample of 1 only the newest votes.
        var data = Matrix(("old1", ["a", "stale"]), ("old2", ["a", "stale"]), ("new", ["a", "fresh"]));
        var index = SessionIndex.Build(data, 100);

        var sampled = Top(data, index, new SessionNeighborOptions { Sample = 1, IdfWeight = 0 }, "a");
        var everyone = Top(data, index, new SessionNeighborOptions { IdfWeight = 0 }, "a");

        Assert.Contains("fresh", sampled);
        Assert.DoesNotContain("stale", sampled);
        Assert.True(Array.IndexOf(everyone, "stale") < Array.IndexOf(everyone, "fresh"));
    }

    [Fact]
    public void TheKMostSimilarNeighboursVoteAndTheRestDoNot()
    {
        // "close" shares two items with the session, "far" one: with k = 1 only "close" votes.
        var data = Matrix(("close", ["a", "b", "close-next"]), ("far", ["b", "far-next"]));
        var index = SessionIndex.Build(data, 100);

        var top = Top(data, index, new SessionNeighborOptions { Neighbors = 1, IdfWeight = 0 }, "a", "b");

        Assert.Contains("close-next", top);
        Assert.DoesNotContain("far-next", top);
    }

    [Fact]
    public void RareItemsAreLiftedByTheirIdf()
    {
        // Three neighbours hold b, two of them went on to "head" (in four of five sessions), one to "rare" (only there).
        var data = Matrix(("n1", ["b", "head"]), ("n3", ["b", "head"]), ("n2", ["b", "rare"]), ("h1", ["head"]), ("h2", ["head"]));
        var index = SessionIndex.Build(data, 100);

        var plain = Top(data, index, new SessionNeighborOptions { IdfWeight = 0 }, "b");
        var lifted = Top(data, index, new SessionNeighborOptions { IdfWeight = 1 }, "b");

        Assert.True(Array.IndexOf(plain, "head") < Array.IndexOf(plain, "rare"));
        Assert.True(Array.IndexOf(lifted, "rare") < Array.IndexOf(lifted, "head"));
    }

    [Fact]
    public void ASessionOfUnknownOrNoItemsGetsNoVote()
    {
        var data = Matrix(("n1", ["a", "b"]));
        var index = SessionIndex.Build(data, 100);
        var scores = new double[data.ItemCount];

        Assert.Equal(0, SessionNeighbors.Score(index, [], new SessionNeighborOptions(), scores));
        Assert.All(scores, s => Assert.Equal(0, s));
        Assert.Throws<ArgumentException>(() => new SessionNeighborOptions { Neighbors = 0 }.Validate());
    }

    [Fact]
    public void TransitionsVoteForWhatCameRightAfterTheLastClickNearerPlacesMore()
    {
        var data = Matrix(("s1", ["a", "b", "c"]), ("s2", ["x", "a", "b"]), ("s3", ["a", "d"]), ("s4", ["c", "a"]), ("s5", ["e", "f"]));
        var index = SessionIndex.Build(data, 100);
        var scores = new double[data.ItemCount];
        int I(string id) => data.Items.TryGetIndex(id, out var i) ? i : throw new ArgumentException(id);

        var voters = SessionTransitions.Score(index, I("a"), scores);

        Assert.Equal(3, voters);                                   // s4 ends on a: nothing came after it there
        Assert.Equal(2, scores[I("b")], 9);                        // right after a in s1 and s2
        Assert.Equal(1, scores[I("d")], 9);
        Assert.Equal(0.25, scores[I("c")], 9);                     // two places after a in s1; before it in s4 does not count
        Assert.Equal(0, scores[I("x")]);
        Assert.Equal(0, scores[I("f")]);
    }
}
