using System.Globalization;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Lab.Datasets;

/// <summary>One click of a YooChoose session file: session, item, time (Unix seconds, with milliseconds).</summary>
public readonly record struct SessionClick(string Session, string Item, double Time);

/// <summary>
/// Reads the YooChoose 100k sessions as the session-rec framework prepared them (<c>shared/data/yoochoose-100k/</c>, see
/// its README): tab-separated <c>SessionId ItemId Time</c> with a header, and the framework's saved top lists. The data
/// stays where it is (research use only): callers pass the folder.
/// </summary>
public static class YooChoose
{
    public const string TrainFull = "yoochoose-clicks-100k_train_full.txt";
    public const string Test = "yoochoose-clicks-100k_test.txt";
    public const string TrainTr = "yoochoose-clicks-100k_train_tr.txt";
    public const string TrainValid = "yoochoose-clicks-100k_train_valid.txt";

    /// <summary>The published methods whose saved lists the folder holds, by file name part.</summary>
    public static readonly string[] SavedMethods = ["ar", "sr", "gru4rec", "vsknn"];

    /// <summary>Every click of a file, sessions in file order, clicks of a session by time (stable: file order breaks ties).</summary>
    public static IReadOnlyList<SessionClick[]> ReadSessions(string path)
    {
        var sessions = new Dictionary<string, List<SessionClick>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length < 3)
            {
                throw new FormatException($"Not a session click line: '{line}'");
            }

            if (!sessions.TryGetValue(parts[0], out var clicks))
            {
                sessions[parts[0]] = clicks = [];
            }

            clicks.Add(new SessionClick(parts[0], parts[1], double.Parse(parts[2], CultureInfo.InvariantCulture)));
        }

        return [.. sessions.Values.Select(c => c.OrderBy(x => x.Time).ToArray())];
    }

    /// <summary>
    /// A saved top list per prediction point (session id, 0-based position of the click it follows) of a
    /// <c>recoms_*.csv</c> file (<c>SessionId;Position;Recommendations;Scores</c>), best first.
    /// </summary>
    public static Dictionary<(string Session, int Position), string[]> ReadSavedLists(string path)
    {
        var lists = new Dictionary<(string, int), string[]>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(';');
            if (parts.Length < 3)
            {
                continue;
            }

            lists[(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture))] = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries);
        }

        return lists;
    }

    /// <summary>
    /// A click as a shop would post it: a <c>click</c> event of a shopper whose id is the session id (an anonymous
    /// visitor), with the session id, at its time.
    /// </summary>
    public static BehaviorEvent ToEvent(SessionClick click, int position) => new()
    {
        EventId = string.Create(CultureInfo.InvariantCulture, $"yc:{click.Session}:{position}"),
        UserId = click.Session,
        SessionId = click.Session,
        ItemId = click.Item,
        Type = EventType.Click,
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(click.Time * 1000)),
    };

    /// <summary>
    /// Looks for <c>shared/data/yoochoose-100k/</c> beside a repository root, walking up from <paramref name="start"/>;
    /// null when there is none (tests then skip).
    /// </summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "yoochoose-100k");
            if (File.Exists(Path.Combine(candidate, TrainFull)))
            {
                return candidate;
            }
        }

        return null;
    }
}
