using ServerlessReco.Core.Events;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Benchmarks.Sessions;

/// <summary>
/// One prediction point of next-click evaluation: after the click at <see cref="Position"/> (0-based) of a session,
/// the session so far as the events a shop would have stored, and the item clicked next.
/// </summary>
public sealed record SessionPoint(string Session, int Position, IReadOnlyList<BehaviorEvent> History, string Target);

/// <summary>HitRate@20 and MRR@20 of one method over a set of prediction points.</summary>
public sealed record SessionScore(string Method, string Points, int Count, double HitRate, double Mrr)
{
    /// <summary>Of the points whose next click repeats an item of the session so far: how many, and how many the top 20 held.</summary>
    public int Repeats { get; init; }

    public int RepeatHits { get; init; }

    /// <summary>Seconds to train, when the method was trained here.</summary>
    public double? TrainingSeconds { get; init; }

    /// <summary>The processor seconds the process spent meanwhile, all cores: the work, which the machine's load does not stretch as it does the wall time.</summary>
    public double? TrainingCpuSeconds { get; init; }
}

/// <summary>Next-click prediction points and their scoring (the session-rec framework's HitRate@20 and MRR@20).</summary>
public static class SessionPoints
{
    public const int K = 20;

    /// <summary>Every point of every session: after each click but the last, the next click is the target.</summary>
    public static List<SessionPoint> All(IReadOnlyList<SessionClick[]> sessions)
    {
        var points = new List<SessionPoint>();
        foreach (var clicks in sessions)
        {
            var events = clicks.Select(YooChoose.ToEvent).ToArray();
            for (var p = 0; p + 1 < clicks.Length; p++)
            {
                points.Add(new SessionPoint(clicks[p].Session, p, new ArraySegment<BehaviorEvent>(events, 0, p + 1), clicks[p + 1].Item));
            }
        }

        return points;
    }

    /// <summary>The points a saved list answers, in the order of <paramref name="points"/>.</summary>
    public static List<SessionPoint> Covered(IReadOnlyList<SessionPoint> points, IReadOnlyDictionary<(string Session, int Position), string[]> saved) =>
        [.. points.Where(p => saved.ContainsKey((p.Session, p.Position)))];

    /// <summary>HitRate@20 and MRR@20 of <paramref name="recommend"/>'s lists (best first) on <paramref name="points"/>.</summary>
    public static SessionScore Score(string method, string pointsName, IReadOnlyList<SessionPoint> points, Func<SessionPoint, IReadOnlyList<string>> recommend)
    {
        double hits = 0, reciprocal = 0;
        int repeats = 0, repeatHits = 0;
        foreach (var point in points)
        {
            var list = recommend(point);
            var rank = -1;
            for (var r = 0; r < Math.Min(K, list.Count); r++)
            {
                if (list[r] == point.Target)
                {
                    rank = r;
                    break;
                }
            }

            var repeat = point.History.Any(e => e.ItemId == point.Target);
            repeats += repeat ? 1 : 0;
            if (rank >= 0)
            {
                hits++;
                reciprocal += 1.0 / (rank + 1);
                repeatHits += repeat ? 1 : 0;
            }
        }

        var n = Math.Max(1, points.Count);
        return new SessionScore(method, pointsName, points.Count, hits / n, reciprocal / n) { Repeats = repeats, RepeatHits = repeatHits };
    }
}
