using ServerlessReco.Core.Events;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Benchmarks.Sessions;

/// <summary>Training data of the sessions benchmark: a YooChoose file's clicks as a shop would have stored them.</summary>
public static class SessionTraining
{
    /// <summary>Every click of <paramref name="sessions"/> as an event (see <see cref="YooChoose.ToEvent"/>), in time order.</summary>
    public static List<BehaviorEvent> Events(IReadOnlyList<SessionClick[]> sessions) =>
        [.. sessions.SelectMany(s => s.Select(YooChoose.ToEvent)).OrderBy(e => e.Timestamp)];

    /// <summary>The matrix the trainer would build from <paramref name="events"/> with <paramref name="options"/>.</summary>
    public static InteractionMatrix Matrix(IReadOnlyList<BehaviorEvent> events, TrainingOptions options)
    {
        var builder = new InteractionMatrixBuilder(options);
        foreach (var e in events)
        {
            builder.Add(e);
        }

        return builder.Build();
    }

    /// <summary>V-SKNN's top <paramref name="k"/> for a session so far, straight from the index (no serving rules): for tuning.</summary>
    public static IReadOnlyList<string> Neighbors(SessionIndex index, IdIndex items, IReadOnlyList<BehaviorEvent> session, SessionNeighborOptions options, int k)
    {
        var known = session.Select(e => items.TryGetIndex(e.ItemId, out var i) ? i : -1).Where(i => i >= 0).ToArray();
        var scores = new double[items.Count];
        SessionNeighbors.Score(index, known, options, scores);
        return [.. TopK.Select(scores, k).Where(i => scores[i] > 0).Select(i => items[i])];
    }
}
