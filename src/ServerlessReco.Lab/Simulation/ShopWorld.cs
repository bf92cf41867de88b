using ServerlessReco.Core.Exploration;
namespace ServerlessReco.Lab.Simulation;

/// <summary>An item of the simulated shop: what the shop knows (id, category, arrival, text) and what only the simulator knows.</summary>
/// <param name="Appeal">How much shoppers like it (0..1, skewed): known only to the simulator.</param>
/// <param name="Visibility">How easily shoppers find it on their own (search rank, category pages).</param>
public sealed record WorldItem(string Id, int Category, double Appeal, double Visibility, int ArrivedRound)
{
    /// <summary>The title the catalogue gets; by default a name that says nothing about the item.</summary>
    public string? Title { get; init; }

    /// <summary>The category's name in the catalogue; by default <see cref="ShopWorld.CategoryName"/>.</summary>
    public string? CategoryName { get; init; }

    /// <summary>The item's tags in the catalogue (genres, say).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The item's description in the catalogue, if the world has one.</summary>
    public string? Description { get; init; }
}

/// <summary>A shopper who found an item without a recommendation, and how far they went.</summary>
public sealed record OrganicVisit(int User, WorldItem Item, bool AddedToCart, bool Purchased)
{
    /// <summary>How long before the day's start the visit happened; null: in the seconds before it, in the order drawn.</summary>
    public TimeSpan? Ago { get; init; }
}

/// <summary>
/// The shop as only the simulator knows it. Users have a log-interest per category (normal, σ 1.5) that drifts by a
/// random walk every round; their interest shares are its softmax. Items have a category, a skewed appeal and a skewed
/// placement; new ones arrive every round, placed far down (hard to find without a recommendation). A shopper clicks a
/// shown item with probability min(1, appeal × share of the item's category × categories / 4): known to the simulator
/// (the oracle), never to the shop. Everything here (interests, drift, arrivals, organic visits, which user asks) comes
/// from the seed alone, in an order no policy can change, so every policy faces the same shop.
/// </summary>
public sealed class ShopWorld : IShopWorld
{
    private readonly ServingSimulationOptions _options;
    private readonly Random _random;
    private readonly double[,] _interests;
    private readonly double[,] _shares;
    private readonly List<WorldItem> _items = [];
    private readonly double[] _visibilityByCategory;

    public ShopWorld(ServingSimulationOptions options)
    {
        options.Validate();
        _options = options;
        _random = new Random(options.Seed);
        _interests = new double[options.Users, options.Categories];
        _shares = new double[options.Users, options.Categories];
        _visibilityByCategory = new double[options.Categories];
        for (var u = 0; u < options.Users; u++)
        {
            for (var c = 0; c < options.Categories; c++)
            {
                _interests[u, c] = 1.5 * BetaSampler.Normal(_random);
            }
        }

        UpdateShares();
        for (var i = 0; i < options.InitialItems; i++)
        {
            Arrive(int.MinValue / 2, 1);
        }
    }

    public string Name => "hand-built";

    public int Users => _options.Users;

    public IReadOnlyList<WorldItem> Items => _items;

    public int Categories => _options.Categories;

    public static string UserId(int user) => $"shopper-{user:D4}";

    public static string CategoryName(int category) => $"category-{category:D2}";

    /// <summary>A new day: interests drift (or change altogether on the shift day), new items arrive (returned, to be upserted into the catalogue).</summary>
    public IReadOnlyList<WorldItem> BeginRound(int round)
    {
        var shift = round == _options.WarmUpRounds + _options.TasteShiftDay;
        for (var u = 0; u < _options.Users; u++)
        {
            for (var c = 0; c < _options.Categories; c++)
            {
                _interests[u, c] = shift ? 1.5 * BetaSampler.Normal(_random) : _interests[u, c] + (_options.Drift * BetaSampler.Normal(_random));
            }
        }

        UpdateShares();
        var arrived = new List<WorldItem>(_options.NewItemsPerRound);
        for (var i = 0; i < _options.NewItemsPerRound; i++)
        {
            arrived.Add(Arrive(round, _options.NewItemVisibility));
        }

        return arrived;
    }

    /// <summary>The shopper of the next recommendation request.</summary>
    public int NextUser() => _random.Next(_options.Users);

    /// <summary>The true probability that <paramref name="user"/> clicks <paramref name="item"/> when shown it.</summary>
    public double ClickProbability(int user, WorldItem item) =>
        Math.Min(1, item.Appeal * _shares[user, item.Category] * _options.Categories / 4);

    /// <summary>Position does not matter in this world: a shopper looks at the whole list.</summary>
    public double PositionDiscount(int position) => 1;

    /// <summary>A click leads to the cart three times in ten, and half of those to a purchase, whatever the item.</summary>
    public AfterClick AfterClick(int user, WorldItem item) => new(0.3, 0.5);

    /// <summary>The round's organic visits: a shopper picks a category by interest, an item by placement, and maybe buys.</summary>
    public IReadOnlyList<OrganicVisit> Browse()
    {
        var visits = new List<OrganicVisit>(_options.OrganicVisitsPerRound);
        for (var v = 0; v < _options.OrganicVisitsPerRound; v++)
        {
            var user = _random.Next(_options.Users);
            var category = Draw(c => _shares[user, c], _options.Categories);
            var target = _random.NextDouble() * _visibilityByCategory[category];
            WorldItem? found = null;
            foreach (var item in _items)
            {
                if (item.Category != category)
                {
                    continue;
                }

                found = item;
                target -= item.Visibility;
                if (target < 0)
                {
                    break;
                }
            }

            if (found is null)
            {
                continue;
            }

            var carted = _random.NextDouble() < ClickProbability(user, found);
            var bought = _random.NextDouble() < 0.5;
            visits.Add(new OrganicVisit(user, found, carted, carted && bought));
        }

        return visits;
    }

    private WorldItem Arrive(int round, double placement)
    {
        var item = new WorldItem(
            $"item-{_items.Count:D5}", _random.Next(_options.Categories), Math.Pow(_random.NextDouble(), _options.AppealSkew),
            placement * Math.Pow(_random.NextDouble(), _options.VisibilitySkew), round);
        _items.Add(item);
        _visibilityByCategory[item.Category] += item.Visibility;
        return item;
    }

    private int Draw(Func<int, double> weight, int count)
    {
        var u = _random.NextDouble();
        for (var i = 0; i < count - 1; i++)
        {
            u -= weight(i);
            if (u < 0)
            {
                return i;
            }
        }

        return count - 1;
    }

    private void UpdateShares()
    {
        for (var u = 0; u < _options.Users; u++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < _options.Categories; c++)
            {
                max = Math.Max(max, _interests[u, c]);
            }

            var sum = 0.0;
            for (var c = 0; c < _options.Categories; c++)
            {
                sum += _shares[u, c] = Math.Exp(_interests[u, c] - max);
            }

            for (var c = 0; c < _options.Categories; c++)
            {
                _shares[u, c] /= sum;
            }
        }
    }
}
