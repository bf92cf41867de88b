using ServerlessReco.Core.Catalog;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Ingestion;
using ServerlessReco.Core.Storage;

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
    private const double FromFavouriteCategory = 0.7;

    private static readonly Category[] Categories =
    [
        new("Electronics", 3.0, 15, 400,
            ["Headphones", "Bluetooth Speaker", "Smartwatch", "Charger", "Power Bank", "Webcam", "Keyboard", "Mouse", "Monitor", "USB-C Hub"],
            ["Wireless", "Compact", "Pro", "Noise-Cancelling", "Portable", "Ultra-Slim"],
            ["wireless", "usb-c", "bluetooth", "gaming", "travel", "rechargeable"]),
        new("Books", 1.6, 8, 45,
            ["Cookbook", "Thriller", "Biography", "Travel Guide", "Fantasy Novel", "Poetry Collection", "Science Primer", "Graphic Novel"],
            ["Illustrated", "Bestselling", "Pocket", "Collector's", "Annotated"],
            ["paperback", "hardcover", "bestseller", "fiction", "non-fiction", "gift"]),
        new("Home & Kitchen", 2.2, 9, 250,
            ["Chef's Knife", "Cast Iron Pan", "Coffee Grinder", "Blender", "Cutting Board", "Tea Kettle", "Storage Jars", "Throw Blanket"],
            ["Stainless", "Nonstick", "Handmade", "Cordless", "Bamboo", "Stoneware"],
            ["kitchen", "cooking", "home", "eco", "dishwasher-safe", "gift"]),
        new("Fashion", 2.6, 12, 180,
            ["T-Shirt", "Sneakers", "Denim Jacket", "Scarf", "Backpack", "Sunglasses", "Hoodie", "Belt"],
            ["Classic", "Organic Cotton", "Slim-Fit", "Vintage", "Waterproof", "Oversized"],
            ["cotton", "unisex", "summer", "winter", "leather", "streetwear"]),
        new("Sports & Outdoors", 1.4, 10, 350,
            ["Yoga Mat", "Running Shoes", "Tent", "Water Bottle", "Dumbbells", "Cycling Helmet", "Hiking Poles", "Sleeping Bag"],
            ["Lightweight", "Insulated", "Adjustable", "Trail", "Ultralight", "All-Weather"],
            ["outdoor", "fitness", "camping", "running", "cycling", "hiking"]),
        new("Beauty", 1.3, 5, 90,
            ["Face Serum", "Shampoo", "Lip Balm", "Sunscreen", "Perfume", "Moisturizer", "Hand Cream"],
            ["Hydrating", "Vegan", "Fragrance-Free", "Natural", "Travel-Size"],
            ["skincare", "haircare", "vegan", "cruelty-free", "spf", "gift"]),
        new("Toys & Games", 1.0, 8, 120,
            ["Board Game", "Puzzle", "Building Blocks", "Plush Bear", "RC Car", "Card Game", "Science Kit"],
            ["Family", "Classic", "Educational", "Deluxe", "Mini"],
            ["kids", "family", "stem", "party", "ages-8+", "gift"]),
        new("Garden", 0.6, 6, 150,
            ["Watering Can", "Pruning Shears", "Planter", "Seed Kit", "Garden Hose", "Bird Feeder"],
            ["Galvanised", "Self-Watering", "Heirloom", "Expandable", "Cedar"],
            ["garden", "outdoor", "plants", "balcony", "eco"]),
        new("Grocery", 1.2, 3, 40,
            ["Coffee Beans", "Green Tea", "Olive Oil", "Dark Chocolate", "Honey", "Pasta", "Granola"],
            ["Organic", "Single-Origin", "Fair-Trade", "Artisan", "Cold-Pressed"],
            ["organic", "vegan", "gluten-free", "breakfast", "pantry"]),
        new("Music", 0.5, 5, 600,
            ["Vinyl Record", "Acoustic Guitar", "Ukulele", "Headphone Amp", "Guitar Strings", "Metronome"],
            ["Limited", "Beginner", "Studio", "Remastered", "Solid-Top"],
            ["vinyl", "instrument", "beginner", "studio", "jazz", "rock"]),
        new("Office", 0.8, 4, 300,
            ["Notebook", "Fountain Pen", "Desk Lamp", "Office Chair", "Planner", "Desk Organizer"],
            ["Ergonomic", "Recycled", "Minimalist", "Dotted", "Refillable"],
            ["office", "stationery", "work-from-home", "eco", "desk"]),
        new("Pet Supplies", 0.8, 5, 160,
            ["Dog Bed", "Cat Tree", "Chew Toy", "Food Bowl", "Leash", "Litter Box", "Pet Carrier"],
            ["Orthopedic", "Durable", "Washable", "Reflective", "Non-Slip"],
            ["dog", "cat", "pets", "washable", "travel"]),
    ];

    private static readonly string[] Colours = ["Black", "White", "Navy", "Sage", "Sand", "Graphite", "Coral", "Forest"];

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
            var sessionId = $"sess-{seed}-{session:D6}";

            // Sessions start anywhere in the window (an hour inside it, so a retention of exactly the window keeps
            // them) and end at the latest a minute before now.
            var t = now - History + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(Math.Floor(random.NextDouble() * (History - TimeSpan.FromHours(3)).TotalSeconds));
            var pages = 1 + Geometric(random, 0.25);
            for (var page = 0; page < pages && generated.Count < events && t < now - TimeSpan.FromMinutes(10); page++)
            {
                var item = popularity.Pick(random, shopper, t);
                Add(EventType.View, null);
                if (random.NextDouble() >= ClickGivenView)
                {
                    continue;
                }

                Add(EventType.Click, null);
                if (random.NextDouble() >= CartGivenClick)
                {
                    continue;
                }

                Add(EventType.AddToCart, null);
                if (random.NextDouble() >= PurchaseGivenCart)
                {
                    continue;
                }

                Add(EventType.Purchase, null);
                if (random.NextDouble() < RatingGivenPurchase && generated.Count < events)
                {
                    // A rating comes hours or days after the purchase, never after now.
                    var ratedAt = t + TimeSpan.FromMinutes(60 + random.Next(96 * 60));
                    if (ratedAt < now)
                    {
                        generated.Add(new Draft(shopper.UserId, item.ItemId, EventType.Rating, Rating(random, shopper, item), ratedAt, null));
                    }
                }

                void Add(EventType type, double? value)
                {
                    if (generated.Count < events)
                    {
                        generated.Add(new Draft(shopper.UserId, item.ItemId, type, value, t, sessionId));
                        t += TimeSpan.FromSeconds(5 + random.Next(115));
                    }
                }
            }
        }

        var ordered = generated
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

        return new SampleShopData(catalogue, ordered, shoppers.Select(s => s.UserId).ToList());
    }

    private static List<CatalogItem> CreateCatalogue(Random random, DateTimeOffset now, int count)
    {
        var catalogue = new List<CatalogItem>(count);
        for (var i = 0; i < count; i++)
        {
            // Round robin keeps every category stocked; category popularity comes from the shoppers.
            var category = Categories[i % Categories.Length];
            var adjective = category.Adjectives[random.Next(category.Adjectives.Length)];
            var noun = category.Nouns[random.Next(category.Nouns.Length)];
            var colour = Colours[random.Next(Colours.Length)];

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
    private static decimal Price(Random random, Category category)
    {
        var log = Math.Log(category.MinPrice) + (random.NextDouble() * (Math.Log(category.MaxPrice) - Math.Log(category.MinPrice)));
        return Math.Max(1m, Math.Round((decimal)Math.Exp(log))) - 0.01m;
    }

    private static List<Shopper> CreateShoppers(Random random, int count)
    {
        var categoryAppeal = new Picker(Categories.Select(c => c.Appeal).ToArray());
        var shoppers = new List<Shopper>(count);
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
            shoppers.Add(new Shopper($"user-{i + 1:D4}", favourites.ToArray(), new Picker(weights), activity, leniency));
        }

        return shoppers;
    }

    private static double Rating(Random random, Shopper shopper, CatalogItem item)
    {
        // Mostly good ratings (people buy what they expect to like), shifted by the shopper and the item.
        var itemQuality = (StableHash(item.ItemId) % 256 / 255.0) - 0.5;
        var score = 4.0 + shopper.Leniency + itemQuality + (Normal(random) * 0.8);
        return Math.Clamp(Math.Round(score), 1, 5);
    }

    /// <summary>FNV-1a: string.GetHashCode differs from one process to the next, and the shop must not.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
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

    private sealed record Category(string Name, double Appeal, double MinPrice, double MaxPrice, string[] Nouns, string[] Adjectives, string[] Tags);

    private sealed record Shopper(string UserId, int[] Favourites, Picker FavouritePicker, double Activity, double Leniency);

    private readonly record struct Draft(string UserId, string ItemId, EventType Type, double? Value, DateTimeOffset Timestamp, string? SessionId);

    /// <summary>Which items shoppers look at: Zipf-like popularity, overall and within each category.</summary>
    private sealed class Popularity
    {
        private readonly List<CatalogItem> _catalogue;
        private readonly Picker _overall;
        private readonly int[][] _byCategory;
        private readonly Picker[] _withinCategory;

        public Popularity(Random random, List<CatalogItem> catalogue)
        {
            _catalogue = catalogue;

            // A random order of the catalogue is its popularity ranking; weight 1/rank.
            var rank = Enumerable.Range(0, catalogue.Count).OrderBy(_ => random.Next()).ToArray();
            var weights = new double[catalogue.Count];
            for (var position = 0; position < rank.Length; position++)
            {
                var item = catalogue[rank[position]];

                // Unavailable items were sold out or withdrawn a while ago: little traffic left.
                weights[rank[position]] = (1.0 / (position + 1)) * (item.Available ? 1 : 0.1);
            }

            _overall = new Picker(weights);
            _byCategory = Categories
                .Select(c => Enumerable.Range(0, catalogue.Count).Where(i => catalogue[i].Category == c.Name).ToArray())
                .ToArray();
            _withinCategory = _byCategory.Select(members => new Picker(members.Select(i => weights[i]).ToArray())).ToArray();
        }

        /// <summary>An item the shopper looks at, at <paramref name="at"/> (never one not yet in the catalogue then).</summary>
        public CatalogItem Pick(Random random, Shopper shopper, DateTimeOffset at)
        {
            for (var attempt = 0; ; attempt++)
            {
                int index;
                if (random.NextDouble() < FromFavouriteCategory)
                {
                    var category = shopper.Favourites[shopper.FavouritePicker.Pick(random)];
                    var members = _byCategory[category];
                    index = members.Length == 0 ? _overall.Pick(random) : members[_withinCategory[category].Pick(random)];
                }
                else
                {
                    index = _overall.Pick(random);
                }

                var item = _catalogue[index];
                if (item.CreatedAt <= at || attempt >= 20)
                {
                    return item.CreatedAt <= at ? item : OldestItem();
                }
            }
        }

        private CatalogItem OldestItem() => _catalogue.MinBy(i => i.CreatedAt)!;
    }

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    private sealed class Picker
    {
        private readonly double[] _cumulative;

        public Picker(double[] weights)
        {
            _cumulative = new double[weights.Length];
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i];
                _cumulative[i] = sum;
            }
        }

        public int Pick(Random random)
        {
            var target = random.NextDouble() * _cumulative[^1];
            var index = Array.BinarySearch(_cumulative, target);
            return Math.Min(index < 0 ? ~index : index + 1, _cumulative.Length - 1);
        }
    }
}

/// <summary>A generated shop: its catalogue, its shoppers' events (oldest first) and the shoppers' ids.</summary>
public sealed record SampleShopData(IReadOnlyList<CatalogItem> Items, IReadOnlyList<BehaviorEvent> Events, IReadOnlyList<string> UserIds)
{
    /// <summary>
    /// Upserts the catalogue and appends the events, in batches of <see cref="IngestionLimits.MaxBatchSize"/>.
    /// Events already stored (the same seed loaded before) count as duplicates.
    /// </summary>
    public async Task<AppendResult> StoreAsync(IItemStore items, IEventStore events, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in Items.Chunk(IngestionLimits.MaxBatchSize))
        {
            await items.UpsertAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        var result = default(AppendResult);
        foreach (var chunk in Events.Chunk(IngestionLimits.MaxBatchSize))
        {
            result += await events.AppendAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
