using ServerlessReco.Lab.Simulation;

namespace ServerlessReco.Lab.Tests.Simulation;

/// <summary>The MovieLens world on the real data (skipped when shared/data/ml-100k is not beside the repository).</summary>
public class MovieLensWorldTests
{
    private static readonly ServingSimulationOptions Options = SimulationWorld.MovieLensDefaults with { Rounds = 6, RequestsPerRound = 5 };

    [Fact]
    public void TheSameSeedMakesTheSameShop()
    {
        var (first, second) = (World(3), World(3));

        Assert.Equal(first.Cut, second.Cut);
        Assert.Equal(first.Items.Select(i => i.Id), second.Items.Select(i => i.Id));
        for (var day = 0; day < 4; day++)
        {
            Assert.Equal(first.BeginRound(day).Select(i => i.Id), second.BeginRound(day).Select(i => i.Id));
            Assert.Equal(first.Browse().Select(v => (v.User, v.Item.Id, v.Ago)), second.Browse().Select(v => (v.User, v.Item.Id, v.Ago)));
            var users = Enumerable.Range(0, 20).Select(_ => first.NextUser()).ToList();
            Assert.Equal(users, Enumerable.Range(0, 20).Select(_ => second.NextUser()));
            Assert.Equal(users.Select(u => first.ClickProbability(u, first.Items[^1])), users.Select(u => second.ClickProbability(u, second.Items[^1])));
        }

        Assert.NotEqual(first.Cut, World(4).Cut);
    }

    [Fact]
    public void NewItemsEnterWithNoInteractionsAndInTheirRealOrder()
    {
        var world = World(1);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var arrivals = new List<WorldItem>();
        arrivals.AddRange(world.BeginRound(0));   // arrivals of the warm-up day are new too, but not followed
        visited.UnionWith(world.Browse().Select(v => v.Item.Id));
        Assert.All(world.Items.Where(i => i.ArrivedRound < 0), i => Assert.True(world.FirstRated[int.Parse(i.Id[6..], System.Globalization.CultureInfo.InvariantCulture) - 1] < world.Cut));
        for (var day = 1; day <= 10; day++)
        {
            var arrived = world.BeginRound(day);
            Assert.All(arrived, item => Assert.Equal(day, item.ArrivedRound));
            arrivals.AddRange(arrived);
            visited.UnionWith(world.Browse().Select(v => v.Item.Id));
            Assert.All(arrived, item => Assert.DoesNotContain(item.Id, visited));   // nobody touched it before or on its first day
        }

        Assert.True(arrivals.Count >= 20, $"{arrivals.Count} arrivals in 11 days: several a day");
        var firstRated = arrivals.Select(i => world.FirstRated[int.Parse(i.Id[6..], System.Globalization.CultureInfo.InvariantCulture) - 1]).ToList();
        Assert.Equal(firstRated.Order(), firstRated);
        Assert.All(firstRated, t => Assert.True(t >= world.Cut));
    }

    [Fact]
    public void ClickProbabilitiesAreCalibratedAsDocumented()
    {
        var world = World(2);
        world.BeginRound(0);
        var history = world.Browse();
        world.BeginRound(1);
        world.Browse();
        var user = world.NextUser();
        var rated = history.Where(v => v.User == user).Select(v => v.Item.Id).ToHashSet(StringComparer.Ordinal);
        var all = MovieLensTruth.Load(Folder()).Items;
        var unrated = all.Where(i => world.ClickProbability(user, i) > 0).Select(i => world.ClickProbability(user, i)).OrderDescending().ToList();

        Assert.All(all.Where(i => rated.Contains(i.Id)), i => Assert.Equal(0, world.ClickProbability(user, i)));
        Assert.Equal(all.Count - world.RatedSoFar(user), unrated.Count);
        Assert.Equal(0.3, unrated[0], 9);
        Assert.InRange(unrated[unrated.Count / 2], 0.0099, 0.0101);
        Assert.InRange(unrated[9], 0.07, 0.11);        // the 10th best: 0.3 · 10^−α, α ≈ 0.5
        Assert.Equal(1, world.PositionDiscount(0));
        Assert.Equal(1 / Math.Log2(3), world.PositionDiscount(1), 12);
        Assert.Equal(1 / Math.Log2(11), world.PositionDiscount(9), 12);
    }

    [Fact]
    public void PurchasesAfterAClickFollowThePredictedRating()
    {
        var world = World(2);
        var truth = MovieLensTruth.Load(Folder());
        var items = truth.Items.Select((item, i) => (item, Rating: truth.PredictedRating(0, i))).OrderBy(p => p.Rating).ToList();

        var worst = world.AfterClick(0, items[0].item);
        var best = world.AfterClick(0, items[^1].item);
        Assert.True(best.Cart > worst.Cart, $"{best.Cart} after a click on the best-rated movie, {worst.Cart} on the worst");
        Assert.InRange(best.Cart, 0.3, 0.48);   // 0.3 · (r̂ − 1) / 2.5 with r̂ ≤ 5
        Assert.Equal(0.5, best.PurchaseAfterCart);
    }

    [Fact]
    public void WithAnObservedShareTheShopSeesThatShareOfTheRatingsAfterTheCutWhileTastesMoveOnWithAll()
    {
        var truth = MovieLensTruth.Load(Folder());
        var (all, part) = (World(5), new MovieLensWorld(truth, Options with { Seed = 5 }, new MovieLensWorldOptions { ObservedShare = 0.25 }));
        all.BeginRound(0);
        part.BeginRound(0);
        Assert.Equal(all.Browse().Count, part.Browse().Count);   // the histories before the cut are seen whole

        var (seen, happened) = (0, 0);
        for (var day = 1; day <= 8; day++)
        {
            all.BeginRound(day);
            part.BeginRound(day);
            var everything = all.Browse();
            var observed = part.Browse();
            Assert.Subset(everything.Select(v => (v.User, v.Item.Id)).ToHashSet(), observed.Select(v => (v.User, v.Item.Id)).ToHashSet());
            (seen, happened) = (seen + observed.Count, happened + everything.Count);
        }

        Assert.InRange(seen / (double)happened, 0.22, 0.28);
        Assert.All(Enumerable.Range(0, truth.Users), u => Assert.Equal(all.RatedSoFar(u), part.RatedSoFar(u)));
        Assert.Throws<ArgumentException>(() => new MovieLensWorldOptions { ObservedShare = 1.5 }.Validate());
    }

    [Fact]
    public async Task BothWorldsRunThroughTheLoop()
    {
        var folder = Folder();
        foreach (var (world, options) in new[] { (SimulationWorld.HandBuilt, new ServingSimulationOptions { Rounds = 6, RequestsPerRound = 5 }), (SimulationWorld.MovieLens(folder), Options) })
        {
            using var stores = new EmbeddedSimulationStores();
            var run = await ServingSimulation.RunAsync(SimulatedPolicy.Default, options, world, stores.Stores, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(6 * 5 * 10, run.ServedSlots);
            Assert.True(run.Promotions >= 1, $"{world.Name}: a model was promoted and served");
            Assert.True(run.Result.CumulativeReward > 0, $"{world.Name}: shoppers clicked");
            Assert.True(run.Result.OracleReward > run.Result.ExpectedReward, $"{world.Name}: the oracle does better");
            Assert.Equal(6, run.Result.DistinctShownByRound.Count);
            Assert.True(run.Result.NewItems.Count > 0, $"{world.Name}: items arrived on served days");
        }
    }

    private static MovieLensWorld World(int seed) => new(MovieLensTruth.Load(Folder()), Options with { Seed = seed });

    private static string Folder()
    {
        if (MovieLensTruth.Find(AppContext.BaseDirectory) is not { } folder)
        {
            Assert.Skip("shared/data/ml-100k is not beside the repository");
            return string.Empty;
        }

        return folder;
    }
}
