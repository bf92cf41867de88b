using System.Globalization;
using System.Runtime.CompilerServices;
using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Lab.Datasets;

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

    /// <summary>
    /// The movies of <c>u.item</c> (Latin-1, '|'-separated, 19 genre flags at the end) as catalogue items:
    /// category = the first genre flagged, tags = every genre flagged, created = release date when given.
    /// </summary>
    public static IReadOnlyList<CatalogItem> ReadCatalog(string itemPath, string genrePath)
    {
        var genres = File.ReadLines(genrePath, System.Text.Encoding.Latin1)
            .Where(l => l.Contains('|', StringComparison.Ordinal))
            .Select(l => l.Split('|'))
            .OrderBy(p => int.Parse(p[1], CultureInfo.InvariantCulture))
            .Select(p => p[0])
            .ToArray();
        var items = new List<CatalogItem>();
        foreach (var line in File.ReadLines(itemPath, System.Text.Encoding.Latin1))
        {
            var parts = line.Split('|');
            if (parts.Length < 5 + genres.Length)
            {
                continue;
            }

            var flags = parts[^genres.Length..];
            var tags = genres.Where((_, i) => flags[i] == "1").ToList();
            items.Add(new CatalogItem
            {
                ItemId = parts[0],
                Title = parts[1],
                Category = tags.FirstOrDefault(),
                Tags = tags,
                CreatedAt = DateTimeOffset.TryParseExact(parts[2], "dd-MMM-yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var released) ? released : null,
            });
        }

        return items;
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
