using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Hashing;

namespace ServerlessReco.Lab.Samples;

/// <summary>
/// A made-up but plausible shop for demos and first runs: a catalogue in named categories and a month of
/// shopper behaviour with the skew real shops show: a few items draw most of the traffic (Zipf-like), each
/// shopper keeps to a few favourite categories, some shoppers are far busier than others, and every visit is a
/// funnel (many views, fewer clicks, fewer add-to-carts, fewer purchases, some ratings) within a session.
/// The same seed, <c>now</c> and sizes give the same shop, event ids included, so seeding a store twice stores
/// nothing the second time.
/// </summary>
public static class SampleShop
{
    /// <summary>How far back the events go.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(30);

    // The funnel: the chance of each step given the one before.
    private const double ClickGivenView = 0.45;
    private const double CartGivenClick = 0.35;
    private const double PurchaseGivenCart = 0.55;
    private const double RatingGivenPurchase = 0.4;

    /// <summary>Of the items a shopper looks at, the share found through their favourite categories (the rest: front page, search, trends).</summary>
    internal const double FromFavouriteCategory = 0.7;


    /// <summary>
    /// Generates the shop. Events lie within the <see cref="History"/> before <paramref name="now"/> (none after it),
    /// oldest first; every item and event is valid under the ingestion rules.
    /// </summary>
    public static SampleShopData Generate(int seed, DateTimeOffset now, int items = 300, int users = 400, int events = 5000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(events);

        var random = new Random(seed);
        now = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var catalogue = CreateCatalogue(random, now, items);
        var popularity = new Popularity(random, catalogue);
        var shoppers = CreateShoppers(random, users);
        var activity = new Picker(shoppers.Select(s => s.Activity).ToArray());

        var generated = new List<Draft>(events);
        var session = 0;
        while (generated.Count < events)
        {
            session++;
            var shopper = shoppers[activity.Pick(random)];
            AddSession(random, new SessionDrafts(generated, events, shopper, $"sess-{seed}-{session:D6}"), popularity, now);
        }

        var ordered = Ordered(generated, seed);
        return new SampleShopData(catalogue, ordered, shoppers.Select(s => s.UserId).ToList());
    }

    /// <summary>One visit: pages of views, each a funnel that may go on to click, cart, purchase and rating.</summary>
    private static void AddSession(Random random, SessionDrafts session, Popularity popularity, DateTimeOffset now)
    {
        // Sessions start anywhere in the window (an hour inside it, so a retention of exactly the window keeps
        // them) and end at the latest a minute before now.
        session.Time = now - History + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(Math.Floor(random.NextDouble() * (History - TimeSpan.FromHours(3)).TotalSeconds));
        var pages = 1 + Geometric(random, 0.25);
        for (var page = 0; page < pages && !session.IsFull && session.Time < now - TimeSpan.FromMinutes(10); page++)
        {
            session.Item = popularity.Pick(random, session.Shopper, session.Time);
            AddFunnel(random, session, now);
        }
    }

    private static void AddFunnel(Random random, SessionDrafts session, DateTimeOffset now)
    {
        session.Add(random, EventType.View);
        if (random.NextDouble() >= ClickGivenView)
        {
            return;
        }

        session.Add(random, EventType.Click);
        if (random.NextDouble() >= CartGivenClick)
        {
            return;
        }

        session.Add(random, EventType.AddToCart);
        if (random.NextDouble() >= PurchaseGivenCart)
        {
            return;
        }

        session.Add(random, EventType.Purchase);
        if (random.NextDouble() < RatingGivenPurchase && !session.IsFull)
        {
            // A rating comes hours or days after the purchase, never after now.
            var ratedAt = session.Time + TimeSpan.FromMinutes(60 + random.Next(96 * 60));
            if (ratedAt < now)
            {
                session.Drafts.Add(new Draft(session.Shopper.UserId, session.Item.ItemId, EventType.Rating, Rating(random, session.Shopper, session.Item), ratedAt, null));
            }
        }
    }

    /// <summary>Oldest first, ids numbered in that order, so the same seed gives the same ids.</summary>
    private static List<BehaviorEvent> Ordered(List<Draft> generated, int seed) =>
        generated
            .OrderBy(d => d.Timestamp)
            .ThenBy(d => d.UserId, StringComparer.Ordinal)
            .ThenBy(d => d.Type)
            .Select((d, index) => new BehaviorEvent
            {
                EventId = $"sample-{seed}-{index:D6}",
                UserId = d.UserId,
                ItemId = d.ItemId,
                Type = d.Type,
                Value = d.Value,
                Timestamp = d.Timestamp,
                SessionId = d.SessionId,
            })
            .ToList();

    private static List<CatalogItem> CreateCatalogue(Random random, DateTimeOffset now, int count)
    {
        var catalogue = new List<CatalogItem>(count);
        for (var i = 0; i < count; i++)
        {
            // Round robin keeps every category stocked; category popularity comes from the shoppers.
            var category = SampleCategories.All[i % SampleCategories.All.Length];
            var adjective = category.Adjectives[random.Next(category.Adjectives.Length)];
            var noun = category.Nouns[random.Next(category.Nouns.Length)];
            var colour = SampleCategories.Colours[random.Next(SampleCategories.Colours.Length)];

            // Most of the catalogue is months old; a few new arrivals came in during the last weeks.
            var isNew = random.NextDouble() < 0.06;
            var age = isNew ? TimeSpan.FromDays(1 + (random.NextDouble() * 20)) : TimeSpan.FromDays(35 + (random.NextDouble() * 330));
            var tags = category.Tags.OrderBy(_ => random.Next()).Take(2 + random.Next(3)).ToList();
            if (isNew)
            {
                tags.Add("new");
            }

            if (random.NextDouble() < 0.1)
            {
                tags.Add("sale");
            }

            catalogue.Add(new CatalogItem
            {
                ItemId = $"sku-{i + 1:D5}",
                Title = $"{adjective} {noun} – {colour}",
                Category = category.Name,
                Tags = tags,
                Price = Price(random, category),
                Available = random.NextDouble() >= 0.04,
                CreatedAt = DateTimeOffset.FromUnixTimeSeconds((now - age).ToUnixTimeSeconds()),
            });
        }

        return catalogue;
    }

    /// <summary>Log-uniform in the category's range, ending in .99 as shop prices do.</summary>
    private static decimal Price(Random random, SampleCategory category)
    {
        var log = Math.Log(category.MinPrice) + (random.NextDouble() * (Math.Log(category.MaxPrice) - Math.Log(category.MinPrice)));
        return Math.Max(1m, Math.Round((decimal)Math.Exp(log))) - 0.01m;
    }

    private static List<SampleShopper> CreateShoppers(Random random, int count)
    {
        var categoryAppeal = new Picker(SampleCategories.All.Select(c => c.Appeal).ToArray());
        var shoppers = new List<SampleShopper>(count);
        for (var i = 0; i < count; i++)
        {
            // One to three favourite categories, the first one clearly preferred.
            var favourites = new List<int>();
            var wanted = 1 + random.Next(3);
            while (favourites.Count < wanted)
            {
                var pick = categoryAppeal.Pick(random);
                if (!favourites.Contains(pick))
                {
                    favourites.Add(pick);
                }
            }

            double[] shares = [0.6, 0.3, 0.1];
            var weights = favourites.Select((_, rank) => shares[rank]).ToArray();

            // Activity is log-normal: most shoppers visit a couple of times, a few come back again and again.
            var activity = Math.Exp(0.7 * Normal(random));

            // Some shoppers rate generously, some harshly.
            var leniency = Normal(random) * 0.6;
            shoppers.Add(new SampleShopper($"user-{i + 1:D4}", favourites.ToArray(), new Picker(weights), activity, leniency));
        }

        return shoppers;
    }

    private static double Rating(Random random, SampleShopper shopper, CatalogItem item)
    {
        // Mostly good ratings (people buy what they expect to like), shifted by the shopper and the item.
        var itemQuality = (StableHash.Of(item.ItemId) % 256 / 255.0) - 0.5;
        var score = 4.0 + shopper.Leniency + itemQuality + (Normal(random) * 0.8);
        return Math.Clamp(Math.Round(score), 1, 5);
    }

    /// <summary>Failures before the first success, success having probability <paramref name="p"/>.</summary>
    private static int Geometric(Random random, double p)
    {
        var n = 0;
        while (random.NextDouble() >= p && n < 30)
        {
            n++;
        }

        return n;
    }

    private static double Normal(Random random)
    {
        // Box-Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private readonly record struct Draft(string UserId, string ItemId, EventType Type, double? Value, DateTimeOffset Timestamp, string? SessionId);

    /// <summary>The drafts of one session so far: who, which item now, the clock, and the cap on events in all.</summary>
    private sealed class SessionDrafts(List<Draft> drafts, int limit, SampleShopper shopper, string sessionId)
    {
        public List<Draft> Drafts { get; } = drafts;

        public SampleShopper Shopper { get; } = shopper;

        public CatalogItem Item { get; set; } = null!;

        public DateTimeOffset Time { get; set; }

        public bool IsFull => Drafts.Count >= limit;

        /// <summary>One step of the funnel, then a few seconds to two minutes before the next.</summary>
        public void Add(Random random, EventType type)
        {
            if (!IsFull)
            {
                Drafts.Add(new Draft(Shopper.UserId, Item.ItemId, type, null, Time, sessionId));
                Time += TimeSpan.FromSeconds(5 + random.Next(115));
            }
        }
    }
}

/// <summary>A made-up shopper: favourite categories (the first clearly preferred), how busy, how generous in ratings.</summary>
internal sealed record SampleShopper(string UserId, int[] Favourites, Picker FavouritePicker, double Activity, double Leniency);
