using ServerlessReco.Core.Clicks;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Lab.Benchmarks.Clicks;

/// <summary>
/// Seeded logged lists with a known click probability, for the click model's calibration test and its training-cost
/// benchmark: items with a hidden appeal in one of 12 categories, shoppers who each favour one category, lists of 10
/// slots served over 30 days, and a true probability that rises with appeal and the shopper's category, falls with
/// position and with every earlier showing of the same item to the same shopper that was not clicked (fatigue); each
/// shopper's first slots come from a short pool of their own, so items are shown to them again and again. Each
/// click is also a history event, plus a few organic views in the shopper's category.
/// </summary>
public sealed class SyntheticClickLog
{
    private SyntheticClickLog(List<ClickRow> rows, ClickHistory history, Dictionary<string, int> categories, double[] truth)
    {
        (Rows, History, Categories, TrueProbabilities) = (rows, history, categories, truth);
    }

    /// <summary>The rows in serving order.</summary>
    public List<ClickRow> Rows { get; }

    public ClickHistory History { get; }

    /// <summary>Each item's category key.</summary>
    public IReadOnlyDictionary<string, int> Categories { get; }

    /// <summary>The probability each row was clicked with, in <see cref="Rows"/> order.</summary>
    public double[] TrueProbabilities { get; }

    public int CategoryOf(string itemId) => Categories.TryGetValue(itemId, out var c) ? c : -1;

    public static SyntheticClickLog Generate(int seed, int slots, int users = 2000, int items = 1000)
    {
        var random = new Random(seed);
        const int categoriesCount = 12, listLength = 10;
        var appeal = Enumerable.Range(0, items).Select(_ => Gaussian(random)).ToArray();
        var category = Enumerable.Range(0, items).Select(_ => random.Next(categoriesCount)).ToArray();
        var favourite = Enumerable.Range(0, users).Select(_ => random.Next(categoriesCount)).ToArray();
        var itemIds = Enumerable.Range(0, items).Select(i => $"sku-{i:D6}").ToArray();
        var userIds = Enumerable.Range(0, users).Select(u => $"pu-synthetic-{u:D7}").ToArray();
        var pools = Enumerable.Range(0, users).Select(u => Pool(random, category, favourite[u], items)).ToArray();
        var ignored = new Dictionary<(int, int), int>();
        var history = new ClickHistory();
        var (rows, truth) = (new List<ClickRow>(slots), new List<double>(slots));
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var lists = (slots + listLength - 1) / listLength;
        for (var l = 0; l < lists; l++)
        {
            var user = random.Next(users);
            var at = start + TimeSpan.FromDays(30.0 * l / lists);
            var shown = new HashSet<int>();
            for (var p = 0; p < listLength && rows.Count < slots; p++)
            {
                // The first slots from the shopper's own short pool (mostly their category), as a model that knows them
                // serves the same best items list after list, so items are shown again and again; the rest anywhere.
                int item;
                do
                {
                    item = p < PoolSlots ? pools[user][random.Next(pools[user].Length)] : random.Next(items);
                }
                while (!shown.Add(item));

                var fatigue = ignored.GetValueOrDefault((user, item));
                var logit = -2.6 + (0.8 * appeal[item]) + (category[item] == favourite[user] ? 1.0 : 0) - (0.12 * p) - (0.5 * fatigue);
                var probability = 1 / (1 + Math.Exp(-logit));
                var clicked = random.NextDouble() < probability;
                var explore = p == listLength - 1;
                var score = (0.5 * appeal[item]) + (category[item] == favourite[user] ? 0.5 : 0) + (0.3 * Gaussian(random));
                rows.Add(new ClickRow(
                    userIds[user], itemIds[item], $"rec-{l:D8}", at, p, explore ? SlotKind.Explore : SlotKind.Exploit, explore ? 0.1 : 0.9, p,
                    score, explore ? ReasonKind.Discovery : ReasonKind.History, ClickRowOrigin.Served, clicked ? ClickOutcome.Clicked : ClickOutcome.None));
                truth.Add(probability);
                ignored[(user, item)] = clicked ? 0 : fatigue + 1;
                if (clicked)
                {
                    history.Add(Event(userIds[user], itemIds[item], EventType.Click, at + TimeSpan.FromSeconds(30)));
                }
            }

            if (random.NextDouble() < 0.3)
            {
                history.Add(Event(userIds[user], itemIds[OrganicView(random, category, favourite[user], items)], EventType.View, at - TimeSpan.FromMinutes(5)));
            }
        }

        var categories = Enumerable.Range(0, items).ToDictionary(i => itemIds[i], i => category[i], StringComparer.Ordinal);
        history.Freeze(id => categories.TryGetValue(id, out var c) ? c : -1);
        return new SyntheticClickLog(rows, history, categories, [.. truth]);
    }

    /// <summary>An item a shopper found on their own: nearly always one of their category.</summary>
    private static int OrganicView(Random random, int[] category, int favourite, int items)
    {
        var viewed = random.Next(items);
        for (var tries = 0; tries < 50 && category[viewed] != favourite; tries++)
        {
            viewed = random.Next(items);
        }

        return viewed;
    }

    /// <summary>How many of a list's first slots come from the shopper's pool.</summary>
    private const int PoolSlots = 6;

    /// <summary>A shopper's pool: 12 items, three in four of the shopper's category.</summary>
    private static int[] Pool(Random random, int[] category, int favourite, int items)
    {
        var pool = new HashSet<int>();
        while (pool.Count < 12)
        {
            var item = random.Next(items);
            if (category[item] == favourite || random.NextDouble() < 0.25 / 12)
            {
                pool.Add(item);
            }
        }

        return [.. pool];
    }

    private static BehaviorEvent Event(string user, string item, EventType type, DateTimeOffset at) =>
        new() { EventId = $"{user}-{item}-{at.UtcTicks}", UserId = user, ItemId = item, Type = type, Timestamp = at };

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
