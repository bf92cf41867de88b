using System.Runtime.CompilerServices;
using ServerlessReco.Core.Access;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// Builds the click model's training rows of one retrain on its one read of the training window: the slots of the
/// personal lists served in [<see cref="From"/>, <see cref="To"/>) (only those, fed from the retrain's one read of the
/// window's lists: a list of an earlier run is not a new row again), the shop-posted <c>impression</c> events of that period that cite a list, and the
/// outcomes of every click, add-to-cart and purchase since <see cref="RewardsFrom"/> that cites a list, which label
/// both the new rows and the recent rows of earlier runs (<see cref="Relabel"/>: a click can come a while after its
/// list). Anonymous lists (public routes, <c>pub-</c> ids) feed nothing: whoever asked need not be the shopper. The
/// shoppers with any event in the window are collected too: rows of a shopper with none (an erased shopper's, once the
/// segments dropped their events) are not kept.
/// </summary>
public sealed class ClickRowBuilder
{
    private readonly Dictionary<(string User, string List, string Item), ClickRow> _rows = new();
    private readonly Dictionary<(string User, string List, string Item), ClickOutcome> _outcomes = new();
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);

    /// <param name="from">The first serving time of the new rows (the end of the last run's rows).</param>
    /// <param name="to">The end of the new rows (this run's start), exclusive.</param>
    /// <param name="rewardsFrom">The oldest event time whose outcome still labels a row; at most <paramref name="from"/>.</param>
    public ClickRowBuilder(DateTimeOffset from, DateTimeOffset to, DateTimeOffset rewardsFrom)
    {
        (From, To, RewardsFrom) = (from, to, rewardsFrom < from ? rewardsFrom : from);
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public DateTimeOffset RewardsFrom { get; }

    /// <summary>
    /// The behaviour events observed, as timelines for the click model's history features: each row reads the events
    /// before its list. Collected on the same read as the outcomes, so training reads nothing twice.
    /// </summary>
    public ClickHistory History { get; } = new();

    /// <summary>The shoppers with an event in what was observed.</summary>
    public IReadOnlySet<string> Users => _users;

    /// <summary>Adds the slots of a served list of the new period; lists outside it and anonymous lists are skipped.</summary>
    public void Add(ServedListRecord list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.Anonymous || PublicListIds.IsPublic(list.ListId) || list.ServedAt < From || list.ServedAt >= To)
        {
            return;
        }

        for (var p = 0; p < list.Slots.Count; p++)
        {
            var slot = list.Slots[p];
            var row = new ClickRow(
                list.UserId, slot.ItemId, list.ListId, list.ServedAt, p, slot.Kind, slot.Propensity, slot.Rank, slot.Score, slot.Source,
                ClickRowOrigin.Served, ClickOutcome.None);
            _rows[row.Key] = row; // a served slot is what we know best: it replaces a shop's impression of the same slot
        }
    }

    public async Task AddAsync(IAsyncEnumerable<ServedListRecord> lists, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lists);
        await foreach (var list in lists.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Add(list);
        }
    }

    /// <summary>One event of the window: its shopper, and a shop's impression or an outcome citing a list.</summary>
    public void Add(BehaviorEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _users.Add(e.UserId);
        History.Add(e);
        if (e.RecommendationId is not { } list || PublicListIds.IsPublic(list))
        {
            return;
        }

        var key = (e.UserId, list, e.ItemId);
        if (e.Type == EventType.Impression)
        {
            if (e.Timestamp >= From && e.Timestamp < To)
            {
                _rows.TryAdd(key, new ClickRow(
                    e.UserId, e.ItemId, list, e.Timestamp, -1, SlotKind.Exploit, 1, -1, 0, null, ClickRowOrigin.ShopImpression, ClickOutcome.None));
            }

            return;
        }

        var outcome = e.Type switch
        {
            EventType.Click => ClickOutcome.Clicked,
            EventType.AddToCart => ClickOutcome.Carted,
            EventType.Purchase => ClickOutcome.Purchased,
            _ => ClickOutcome.None,
        };
        if (outcome != ClickOutcome.None && e.Timestamp >= RewardsFrom)
        {
            _outcomes[key] = _outcomes.GetValueOrDefault(key) | outcome;
        }
    }

    /// <summary>Passes the events through while collecting them (the retrain's one read of the window).</summary>
    public async IAsyncEnumerable<BehaviorEvent> Observe(
        IAsyncEnumerable<BehaviorEvent> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await foreach (var e in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Add(e);
            yield return e;
        }
    }

    /// <summary>The new rows of shoppers with an event in the window, with their outcomes, in serving order (time, list, position).</summary>
    public List<ClickRow> Build()
    {
        var rows = new List<ClickRow>(_rows.Count);
        foreach (var row in _rows.Values.Where(r => _users.Contains(r.UserId)))
        {
            rows.Add(row with { Outcome = row.Outcome | _outcomes.GetValueOrDefault(row.Key) });
        }

        rows.Sort(ClickRowOrder.Compare);
        return rows;
    }

    /// <summary>
    /// An earlier run's row with the outcomes seen since <see cref="RewardsFrom"/> added (outcomes only grow: a click
    /// stays a click). True when it changed.
    /// </summary>
    public bool Relabel(ref ClickRow row)
    {
        var outcome = row.Outcome | _outcomes.GetValueOrDefault(row.Key);
        if (outcome == row.Outcome)
        {
            return false;
        }

        row = row with { Outcome = outcome };
        return true;
    }
}

/// <summary>The order rows are kept and trained in: serving time, then list, then position.</summary>
public static class ClickRowOrder
{
    public static int Compare(ClickRow a, ClickRow b)
    {
        var byTime = a.ShownAt.UtcTicks.CompareTo(b.ShownAt.UtcTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var byList = string.CompareOrdinal(a.ListId, b.ListId);
        return byList != 0 ? byList : a.Position.CompareTo(b.Position);
    }
}
