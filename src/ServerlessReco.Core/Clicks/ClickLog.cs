using System.Globalization;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// The click model's training rows in the model store, one file per retrain under <c>training/clicks/</c>, named by
/// the serving period its rows cover (<c>{from}-{to}.rows</c>, UTC ticks): the end of the newest name is where the next
/// run starts reading the served-list store, so each run reads only the lists served since the last one, as the
/// training segments read only the new events. Files are written once under a fresh name; a file is rewritten only
/// when a late outcome labels one of its rows or a shopper's rows leave it (no event of theirs in the window any more:
/// erased, or gone quiet), and deleted once its period is older than the window.
/// </summary>
public sealed class ClickLog(IModelBlobStore store)
{
    public const string Prefix = "training/clicks/";

    /// <summary>Where the next run's new rows start: the end of the newest file's period, or null when there is none.</summary>
    public async Task<DateTimeOffset?> CursorAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset? cursor = null;
        await foreach (var name in store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryParse(name, out _, out var to) && (cursor is null || to > cursor))
            {
                cursor = to;
            }
        }

        return cursor;
    }

    /// <summary>
    /// Stores the builder's new rows as a file of their own, brings the earlier files up to date (late outcomes, shoppers
    /// who left, files older than <paramref name="windowFrom"/>), and returns every row of the window in serving order.
    /// </summary>
    public async Task<ClickLogRead> UpdateAsync(ClickRowBuilder builder, DateTimeOffset? windowFrom, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = new List<ClickRow>();
        var (files, rewritten, deleted) = (0, 0, 0);
        var names = await store.ListAsync(Prefix, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in names)
        {
            if (!TryParse(name, out _, out var to))
            {
                continue;
            }

            if (windowFrom is { } oldest && to <= oldest)
            {
                deleted += await store.DeleteAsync(name, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                continue;
            }

            var (kept, changed) = await ReadKeptAsync(name, builder, windowFrom, strings, cancellationToken).ConfigureAwait(false);
            if (changed)
            {
                await WriteAsync(name, kept, BlobCondition.None, cancellationToken).ConfigureAwait(false);
                rewritten++;
            }

            rows.AddRange(kept);
            files++;
        }

        var fresh = builder.Build();
        if (fresh.Count > 0)
        {
            await WriteAsync(NameOf(builder.From, builder.To), fresh, BlobCondition.IfNotExists, cancellationToken).ConfigureAwait(false);
            files++;
        }

        rows.AddRange(fresh);
        rows.Sort(ClickRowOrder.Compare);
        return new ClickLogRead(rows, fresh.Count, files, rewritten, deleted) { History = builder.History };
    }

    /// <summary>Every row of the window as stored, without changing anything (reports, benchmarks).</summary>
    public async Task<List<ClickRow>> ReadAsync(DateTimeOffset? windowFrom, CancellationToken cancellationToken = default)
    {
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = new List<ClickRow>();
        await foreach (var name in store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryParse(name, out _, out var to) && (windowFrom is null || to > windowFrom))
            {
                rows.AddRange((await ReadFileAsync(name, strings, cancellationToken).ConfigureAwait(false)).Where(r => windowFrom is null || r.ShownAt >= windowFrom));
            }
        }

        rows.Sort(ClickRowOrder.Compare);
        return rows;
    }

    private async Task<(List<ClickRow> Kept, bool Changed)> ReadKeptAsync(
        string name, ClickRowBuilder builder, DateTimeOffset? windowFrom, Dictionary<string, string> strings, CancellationToken cancellationToken)
    {
        var stored = await ReadFileAsync(name, strings, cancellationToken).ConfigureAwait(false);
        var kept = new List<ClickRow>(stored.Count);
        var changed = false;
        foreach (var row in stored)
        {
            if (!builder.Users.Contains(row.UserId) || (windowFrom is { } oldest && row.ShownAt < oldest))
            {
                changed = true;
                continue;
            }

            var labelled = row;
            changed |= builder.Relabel(ref labelled);
            kept.Add(labelled);
        }

        return (kept, changed);
    }

    private async Task<List<ClickRow>> ReadFileAsync(string name, Dictionary<string, string> strings, CancellationToken cancellationToken)
    {
        using var download = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return ClickRowFile.Read(buffer, strings);
    }

    private async Task WriteAsync(string name, List<ClickRow> rows, BlobCondition condition, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        ClickRowFile.Write(buffer, rows);
        buffer.Position = 0;
        await store.PutAsync(name, buffer, condition, cancellationToken).ConfigureAwait(false);
    }

    public static string NameOf(DateTimeOffset from, DateTimeOffset to) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{from.UtcTicks:D19}-{to.UtcTicks:D19}.rows");

    public static bool TryParse(string name, out DateTimeOffset from, out DateTimeOffset to)
    {
        (from, to) = (default, default);
        var span = name.AsSpan();
        if (!span.StartsWith(Prefix, StringComparison.Ordinal) || !span.EndsWith(".rows", StringComparison.Ordinal))
        {
            return false;
        }

        var body = span[Prefix.Length..^".rows".Length];
        var dash = body.IndexOf('-');
        if (dash < 0 || !long.TryParse(body[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var f)
            || !long.TryParse(body[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
        {
            return false;
        }

        (from, to) = (new DateTimeOffset(f, TimeSpan.Zero), new DateTimeOffset(t, TimeSpan.Zero));
        return true;
    }
}

/// <summary>What one update read: every row of the window in serving order, how many were new, and the files kept, rewritten and deleted.</summary>
public sealed record ClickLogRead(List<ClickRow> Rows, int NewRows, int Files, int Rewritten, int Deleted)
{
    /// <summary>The window's shopper histories, collected on the same read (what the click model's history features read).</summary>
    public ClickHistory History { get; init; } = new();
}
