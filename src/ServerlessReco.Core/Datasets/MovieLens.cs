using System.Globalization;
using System.Runtime.CompilerServices;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Datasets;

/// <summary>
/// Reads MovieLens ratings files (<c>u.data</c>: user TAB item TAB rating TAB timestamp). The file is
/// never part of the repository (its licence forbids redistribution): callers pass its path.
/// </summary>
public static class MovieLens
{
    /// <summary>Every row of the file, in file order.</summary>
    public static IReadOnlyList<RatingRow> ReadRatings(string path)
    {
        var rows = new List<RatingRow>(100_000);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length < 4)
            {
                throw new FormatException($"Not a MovieLens ratings line: '{line}'");
            }

            rows.Add(new RatingRow(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                int.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture),
                long.Parse(parts[3], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>The rows as behaviour events (type Rating, value = the rating), the shape training reads.</summary>
    public static async IAsyncEnumerable<BehaviorEvent> AsEvents(
        IEnumerable<RatingRow> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row.ToEvent();
        }

        await Task.CompletedTask;
    }

    /// <summary>
    /// Looks for <c>shared/data/ml-100k/u.data</c> beside a repository root, walking up from
    /// <paramref name="start"/>; null when there is none (tests then skip).
    /// </summary>
    public static string? FindMl100k(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "ml-100k", "u.data");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
