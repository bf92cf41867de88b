using ServerlessReco.Core.Events;

namespace ServerlessReco.Core.Exploration;

/// <summary>A logged slot with the rewards attributed to it: did the shopper click, add to cart, buy the item from that list.</summary>
public sealed record AttributedImpression(LoggedImpression Impression, bool Clicked, bool AddedToCart, bool Purchased)
{
    /// <summary>The reward off-policy evaluation estimates: a click (or any stronger action that implies one).</summary>
    public double ClickReward => Clicked || AddedToCart || Purchased ? 1 : 0;
}

/// <summary>
/// The served lists of a time window (from the served-list store) joined with the events that cite them. Anonymous
/// lists (public routes) are left out: whoever requested them need not be the shopper. A click, add-to-cart or purchase is
/// attributed to a slot when it names the same user, the list's <c>recommendationId</c> and the slot's item; each kind
/// counts once per slot however often it repeats. Events citing a list but another item (a purchase of something
/// else after browsing) count for no slot: the slot did not earn them. The input is one pass in any order.
/// </summary>
public sealed class ExplorationLog
{
    /// <summary>
    /// The most slots a log holds (and the most unattributed reward keys it tells apart): a window of lists beyond it is
    /// a sample of its first lists read, so that a month of a busy shop cannot exhaust an instance's memory.
    /// </summary>
    public const int DefaultMaxSlots = 500_000;

    private ExplorationLog(IReadOnlyList<AttributedImpression> slots, int unattributed, int listsLeftOut)
    {
        Slots = slots;
        UnattributedRewards = unattributed;
        ListsLeftOut = listsLeftOut;
    }

    public IReadOnlyList<AttributedImpression> Slots { get; }

    /// <summary>Reward events that cite a recommendation but match no logged slot (expired impression, other item, client bug).</summary>
    public int UnattributedRewards { get; }

    /// <summary>Lists of the window not held because the log was full (<see cref="DefaultMaxSlots"/>); their rewards count as unattributed.</summary>
    public int ListsLeftOut { get; }

    public static async Task<ExplorationLog> ReadAsync(
        IAsyncEnumerable<ServedListRecord> lists, IAsyncEnumerable<BehaviorEvent> events, CancellationToken cancellationToken = default,
        int maxSlots = DefaultMaxSlots)
    {
        var builder = new Builder(maxSlots);
        await foreach (var list in lists.WithCancellation(cancellationToken))
        {
            builder.Add(list);
        }

        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            builder.Add(e);
        }

        return builder.Build();
    }

    /// <summary>
    /// Collects served lists, then the rewards of events seen one at a time (so a retrain can build it on its one read).
    /// Lists come first: a reward is kept only for a slot held, so what the builder holds is bounded by
    /// <paramref name="maxSlots"/> however many events the window has.
    /// </summary>
    public sealed class Builder(int maxSlots = DefaultMaxSlots)
    {
        private readonly Dictionary<(string User, string List, string Item), LoggedImpression> _impressions = new();
        private readonly Dictionary<(string User, string List, string Item), (bool Click, bool Cart, bool Purchase)> _rewards = new();
        private readonly HashSet<(string User, string List, string Item)> _unattributed = new();
        private int _unattributedBeyond;
        private int _listsLeftOut;

        // Rewards citing an anonymous list count nowhere: neither attributed nor "unattributed" (no client bug).
        private readonly HashSet<string> _anonymousLists = new(StringComparer.Ordinal);

        public void Add(ServedListRecord list)
        {
            ArgumentNullException.ThrowIfNull(list);
            if (list.Anonymous)
            {
                if (_anonymousLists.Count < maxSlots)
                {
                    _anonymousLists.Add(list.ListId);
                }

                return;
            }

            var impressions = LoggedImpressions.Of(list).ToList();
            if (_impressions.Count + impressions.Count > maxSlots)
            {
                _listsLeftOut++;
                return;
            }

            foreach (var impression in impressions)
            {
                // A list shows an item once, so (user, list, item) names one slot.
                _impressions.TryAdd((impression.UserId, impression.RecommendationId, impression.ItemId), impression);
            }
        }

        public void Add(BehaviorEvent e)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (e.RecommendationId is { } list && e.Type is EventType.Click or EventType.AddToCart or EventType.Purchase)
            {
                var key = (e.UserId, list, e.ItemId);
                if (!_impressions.ContainsKey(key))
                {
                    AddUnattributed(key);
                    return;
                }

                var r = _rewards.GetValueOrDefault(key);
                _rewards[key] = e.Type switch
                {
                    EventType.Click => r with { Click = true },
                    EventType.AddToCart => r with { Cart = true },
                    _ => r with { Purchase = true },
                };
            }
        }

        private void AddUnattributed((string User, string List, string Item) key)
        {
            if (_anonymousLists.Contains(key.List) || Access.PublicListIds.IsPublic(key.List))
            {
                return;
            }

            if (_unattributed.Count < maxSlots)
            {
                _unattributed.Add(key);
            }
            else if (!_unattributed.Contains(key))
            {
                _unattributedBeyond++; // past the bound a repeat may count twice: a figure for a log already full
            }
        }

        /// <summary>Passes the events through while collecting them.</summary>
        public async IAsyncEnumerable<BehaviorEvent> Observe(IAsyncEnumerable<BehaviorEvent> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var e in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Add(e);
                yield return e;
            }
        }

        public ExplorationLog Build()
        {
            var slots = new List<AttributedImpression>(_impressions.Count);
            foreach (var (key, impression) in _impressions)
            {
                var r = _rewards.GetValueOrDefault(key);
                slots.Add(new AttributedImpression(impression, r.Click, r.Cart, r.Purchase));
            }

            // A stable order (by list, then position) so reports and estimates do not depend on the store's order.
            slots.Sort((a, b) =>
            {
                var byList = string.CompareOrdinal(a.Impression.RecommendationId, b.Impression.RecommendationId);
                return byList != 0 ? byList : a.Impression.Position.CompareTo(b.Impression.Position);
            });
            return new ExplorationLog(slots, _unattributed.Count + _unattributedBeyond, _listsLeftOut);
        }
    }
}
