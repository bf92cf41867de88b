using System.Globalization;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Lab.Benchmarks.CategoryShop;

/// <summary>An item of the generated catalogue: its id, its category's id and its title (a placeholder, or none).</summary>
public sealed record ShopItem(string Id, string Category, string? Title);

/// <summary>
/// A Taobao-like shop's log, generated from a seed (<see cref="Generate"/>): a long-tailed catalogue in many categories,
/// shoppers with one or two short visits in one or two categories, views far more than favourites, favourites more than
/// carts, carts more than purchases, everything within a couple of hours; and the shoppers who come back later, with the
/// items they then look at (new to them) as the truth. Items carry a category and no telling text. No structure is put in
/// below the category: within it a shopper picks by the item's popularity, so what an item was seen with says nothing
/// beyond its category and its popularity (as in a log this sparse, where co-occurrence did worse than popularity).
/// </summary>
public sealed class CategoryShopWorld
{
    private CategoryShopWorld(CategoryShopOptions options, IReadOnlyList<ShopItem> items, IReadOnlyList<BehaviorEvent> events, IReadOnlyDictionary<string, IReadOnlySet<string>> later)
    {
        Options = options;
        Items = items;
        Events = events;
        Later = later;
    }

    public CategoryShopOptions Options { get; }

    public IReadOnlyList<ShopItem> Items { get; }

    /// <summary>The training window's events, oldest first.</summary>
    public IReadOnlyList<BehaviorEvent> Events { get; }

    /// <summary>Each returning shopper's later views that are new to them (none of their window's items); shoppers whose every later view was a re-view are left out.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Later { get; }

    /// <summary>The shop of <paramref name="options"/>, its window ending at <paramref name="end"/>.</summary>
    public static CategoryShopWorld Generate(CategoryShopOptions options, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        var catalogue = new Catalogue(options, random);
        var events = new List<BehaviorEvent>(options.Events + (options.Events / 10));
        var interests = new (int First, int Second)[options.Shoppers];
        var touched = new HashSet<string>[options.Shoppers];
        var viewsPerVisit = ViewsPerVisit(options);
        for (var s = 0; s < options.Shoppers; s++)
        {
            var first = catalogue.DrawCategory(random);
            var second = random.NextDouble() < options.SecondCategory ? catalogue.DrawCategory(random) : first;
            interests[s] = (first, second);
            touched[s] = new HashSet<string>(StringComparer.Ordinal);
            var visits = random.NextDouble() < options.SecondVisit ? 2 : 1;
            var start = end - options.Window + (options.Window * random.NextDouble() * 0.95);
            for (var v = 0; v < visits; v++)
            {
                var at = v == 0 ? start : SecondVisitStart(start, end, options.Window, random);
                Visit(events, catalogue, options, s, v == 0 ? first : second, 1 + Geometric(random, viewsPerVisit - 1), touched[s], at, end, random);
            }
        }

        var later = Returns(catalogue, options, interests, touched, random);
        var ordered = events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
        return new CategoryShopWorld(options, catalogue.Items, ordered, later);
    }

    /// <summary>One visit of <paramref name="views"/> views, most in <paramref name="category"/>, each with its chance of a favourite, a cart and a purchase.</summary>
    private static void Visit(
        List<BehaviorEvent> events, Catalogue catalogue, CategoryShopOptions options, int shopper, int category, int views, HashSet<string> touched, DateTimeOffset at, DateTimeOffset end, Random random)
    {
        for (var k = 0; k < views; k++)
        {
            var c = random.NextDouble() < options.Focus ? category : catalogue.DrawCategory(random);
            var item = catalogue.DrawItem(c, random);
            touched.Add(item);
            at = Add(events, shopper, item, EventType.View, at, end, random);
            if (random.NextDouble() < options.FavoriteRate)
            {
                at = Add(events, shopper, item, EventType.Favorite, at, end, random);
            }

            if (random.NextDouble() < options.CartRate)
            {
                at = Add(events, shopper, item, EventType.AddToCart, at, end, random);
                if (random.NextDouble() < options.PurchaseAfterCart)
                {
                    at = Add(events, shopper, item, EventType.Purchase, at, end, random);
                }
            }
        }
    }

    /// <summary>The returning shoppers' later views that are new to them, by shopper id.</summary>
    private static Dictionary<string, IReadOnlySet<string>> Returns(
        Catalogue catalogue, CategoryShopOptions options, (int First, int Second)[] interests, HashSet<string>[] touched, Random random)
    {
        var later = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var s in Sample(options.Shoppers, options.Returning, random))
        {
            var views = 1 + Geometric(random, options.LaterViews - 1);
            var truth = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < views; k++)
            {
                var c = random.NextDouble() >= options.Stay ? catalogue.DrawCategory(random) : random.NextDouble() < 0.5 ? interests[s].First : interests[s].Second;
                var item = catalogue.DrawItem(c, random);
                if (!touched[s].Contains(item))
                {
                    truth.Add(item);
                }
            }

            if (truth.Count > 0)
            {
                later[ShopperId(s)] = truth;
            }
        }

        return later;
    }

    public static string ShopperId(int shopper) => "u" + shopper.ToString(CultureInfo.InvariantCulture);

    /// <summary>Views per visit so that the events come to about <see cref="CategoryShopOptions.Events"/> (every view brings its favourites, carts and purchases).</summary>
    private static double ViewsPerVisit(CategoryShopOptions o)
    {
        var eventsPerView = 1 + o.FavoriteRate + o.CartRate + (o.CartRate * o.PurchaseAfterCart);
        return Math.Max(1, (double)o.Events / o.Shoppers / eventsPerView / (1 + o.SecondVisit));
    }

    /// <summary>Half an hour to an hour after the first visit, or as long before it when that is past the window's end.</summary>
    private static DateTimeOffset SecondVisitStart(DateTimeOffset first, DateTimeOffset end, TimeSpan window, Random random)
    {
        var gap = TimeSpan.FromMinutes(30 + (30 * random.NextDouble()));
        var at = first + gap < end - TimeSpan.FromMinutes(5) ? first + gap : first - gap;
        return at < end - window ? end - window : at;
    }

    /// <summary>Adds one event at <paramref name="at"/> and returns when the next may happen (15 to 90 seconds later, never past the window).</summary>
    private static DateTimeOffset Add(List<BehaviorEvent> events, int shopper, string item, EventType type, DateTimeOffset at, DateTimeOffset end, Random random)
    {
        events.Add(new BehaviorEvent
        {
            EventId = "e" + events.Count.ToString(CultureInfo.InvariantCulture),
            UserId = ShopperId(shopper),
            ItemId = item,
            Type = type,
            Timestamp = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
        });
        var next = at.AddSeconds(15 + (75 * random.NextDouble()));
        return next < end ? next : end;
    }

    /// <summary>A count ≥ 0 with the given mean (geometric): most visits one view, a few many.</summary>
    private static int Geometric(Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var p = mean / (1 + mean);
        var k = 0;
        while (random.NextDouble() < p && k < 200)
        {
            k++;
        }

        return k;
    }

    /// <summary><paramref name="count"/> distinct numbers below <paramref name="n"/> (a partial Fisher–Yates shuffle).</summary>
    private static IEnumerable<int> Sample(int n, int count, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + random.Next(n - i);
            (order[i], order[j]) = (order[j], order[i]);
            yield return order[i];
        }
    }

    /// <summary>Categories with Zipf traffic (and sizes to match), items with Zipf popularity within each, ids that reveal neither.</summary>
    private sealed class Catalogue
    {
        private readonly double[] _categoryCumulative;
        private readonly List<string>[] _itemsOf;
        private readonly List<double[]> _itemCumulative = [];

        public Catalogue(CategoryShopOptions o, Random random)
        {
            _categoryCumulative = Cumulative(Enumerable.Range(0, o.Categories).Select(c => 1 / Math.Pow(c + 1, o.CategorySkew)));
            var size = new int[o.Categories];
            Array.Fill(size, 1);
            for (var i = o.Categories; i < o.Items; i++)
            {
                size[Draw(_categoryCumulative, random)]++;
            }

            var ids = Enumerable.Range(0, o.Items).Select(i => 100_000 + i).ToArray();
            random.Shuffle(ids);
            var categoryIds = Enumerable.Range(0, o.Categories).ToArray();
            random.Shuffle(categoryIds);
            var items = new List<ShopItem>(o.Items);
            _itemsOf = new List<string>[o.Categories];
            for (var c = 0; c < o.Categories; c++)
            {
                _itemsOf[c] = new List<string>(size[c]);
                var category = "cat-" + categoryIds[c].ToString(CultureInfo.InvariantCulture);
                for (var k = 0; k < size[c]; k++)
                {
                    var id = ids[items.Count].ToString(CultureInfo.InvariantCulture);
                    items.Add(new ShopItem(id, category, random.NextDouble() < o.PlaceholderTitles ? $"item {id}" : null));
                    _itemsOf[c].Add(id);
                }

                _itemCumulative.Add(Cumulative(Enumerable.Range(0, size[c]).Select(k => 1 / Math.Pow(k + 1, o.ItemSkew))));
            }

            Items = items;
        }

        public IReadOnlyList<ShopItem> Items { get; }

        public int DrawCategory(Random random) => Draw(_categoryCumulative, random);

        public string DrawItem(int category, Random random) => _itemsOf[category][Draw(_itemCumulative[category], random)];

        private static double[] Cumulative(IEnumerable<double> weights)
        {
            var cumulative = weights.ToArray();
            for (var i = 1; i < cumulative.Length; i++)
            {
                cumulative[i] += cumulative[i - 1];
            }

            var total = cumulative[^1];
            for (var i = 0; i < cumulative.Length; i++)
            {
                cumulative[i] /= total;
            }

            return cumulative;
        }

        private static int Draw(double[] cumulative, Random random)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble());
            return Math.Min(cumulative.Length - 1, index >= 0 ? index : ~index);
        }
    }
}
