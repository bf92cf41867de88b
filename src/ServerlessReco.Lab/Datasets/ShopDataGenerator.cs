using System.Globalization;
using System.Runtime.CompilerServices;
using ServerlessReco.Core.Events;

namespace ServerlessReco.Lab.Datasets;

/// <summary>Shape of a generated shop: how many users, items and events, and how skewed.</summary>
public sealed record ShopDataOptions
{
    public int Users { get; init; } = 1_000_000;
    public int Items { get; init; } = 100_000;
    public long Events { get; init; } = 10_000_000;
    public int Categories { get; init; } = 200;

    /// <summary>Zipf exponent of item popularity (1: classic long tail).</summary>
    public double PopularitySkew { get; init; } = 1.0;

    /// <summary>Share of a user's events that fall in their favourite categories.</summary>
    public double CategoryLoyalty { get; init; } = 0.7;

    public int Days { get; init; } = 90;
    public int Seed { get; init; } = 1;
}

/// <summary>
/// Deterministic synthetic shop behaviour for scaling tests: long-tailed item popularity, users whose
/// activity is skewed (a few heavy shoppers, many one-visit ones) and who favour two categories, and a funnel
/// of views, clicks, add-to-carts and purchases. Streams events without holding them, so 10M events cost
/// no memory here.
/// </summary>
public static class ShopDataGenerator
{
    public static string ItemId(int item) => "i" + item.ToString(CultureInfo.InvariantCulture);

    public static string CategoryOf(int item, int categories) => "c" + (item % categories).ToString(CultureInfo.InvariantCulture);

    public static async IAsyncEnumerable<BehaviorEvent> GenerateAsync(ShopDataOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        var global = Cumulative(options.Items, options.PopularitySkew);

        // Items of category c are c, c + C, c + 2C, ...: their popularity ranks follow the global order.
        var perCategory = (options.Items + options.Categories - 1) / options.Categories;
        var categoryCumulative = Cumulative(perCategory, options.PopularitySkew);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var span = options.Days * 86400.0;
        var meanPerUser = (double)options.Events / options.Users;

        long produced = 0;
        var user = 0;
        while (produced < options.Events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var userId = "u" + (user % options.Users).ToString(CultureInfo.InvariantCulture);
            var favourites = new[] { random.Next(options.Categories), random.Next(options.Categories) };

            // Geometric activity with the configured mean: most users few events, some many.
            var count = 1 + (int)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(1 - (1 / meanPerUser)));
            count = (int)Math.Min(count, options.Events - produced);
            var sessionStart = random.NextDouble() * span;
            for (var e = 0; e < count; e++)
            {
                var item = PickItem(random, options, favourites, categoryCumulative, global);
                var funnel = random.NextDouble();
                var type = funnel < 0.70 ? EventType.View : funnel < 0.85 ? EventType.Click : funnel < 0.95 ? EventType.AddToCart : EventType.Purchase;
                var at = Math.Min(span - 1, sessionStart + (random.NextDouble() * 14 * 86400));
                yield return new BehaviorEvent
                {
                    EventId = "e" + produced.ToString(CultureInfo.InvariantCulture),
                    UserId = userId,
                    ItemId = ItemId(item),
                    Type = type,
                    Timestamp = start.AddSeconds(at),
                };
                produced++;
            }

            user++;
        }

        await Task.CompletedTask;
    }

    /// <summary>Mostly from one of the user's two favourite categories, by rank within it; otherwise by global popularity.</summary>
    private static int PickItem(Random random, ShopDataOptions options, int[] favourites, double[] categoryCumulative, double[] global)
    {
        if (random.NextDouble() >= options.CategoryLoyalty)
        {
            return Sample(global, random.NextDouble());
        }

        var category = favourites[random.Next(2)];
        var rank = Sample(categoryCumulative, random.NextDouble());
        var item = category + (rank * options.Categories);
        return item >= options.Items ? category : item;
    }

    private static double[] Cumulative(int n, double skew)
    {
        var cumulative = new double[n];
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            total += 1 / Math.Pow(i + 1, skew);
            cumulative[i] = total;
        }

        for (var i = 0; i < n; i++)
        {
            cumulative[i] /= total;
        }

        return cumulative;
    }

    private static int Sample(double[] cumulative, double u)
    {
        var index = Array.BinarySearch(cumulative, u);
        return Math.Min(cumulative.Length - 1, index >= 0 ? index : ~index);
    }
}
