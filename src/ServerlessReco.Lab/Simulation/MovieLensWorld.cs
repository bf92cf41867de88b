namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// A shop whose truth is fitted on MovieLens-100k rather than made by hand (<see cref="MovieLensTruth"/>). Each seed
/// cuts the ratings at a point in time (a share of them drawn in [<see cref="MovieLensWorldOptions.CutFrom"/>,
/// <see cref="MovieLensWorldOptions.CutTo"/>]); one simulated day (a round) then stands for
/// <see cref="MovieLensWorldOptions.RealDaysPerRound"/> real days after it, and real time maps onto the shop's clock at
/// that speed everywhere:
/// <list type="bullet">
/// <item>Day 0 (the warm-up): the catalogue is the movies first rated before the cut, and every rating before it is
/// posted as an organic event, so shoppers arrive with their real histories truncated at the cut.</item>
/// <item>Day d ≥ 1: the shoppers' organic visits are the real ratings of the d-th slice after the cut (every rating a
/// view, 4 or 5 stars also an add-to-cart, 5 stars also a purchase), and each shopper's taste moves on with them
/// (<see cref="ShopperTastes"/>).</item>
/// <item>Movies first rated after the cut enter the catalogue in their real order, on the day before the slice holding
/// their first rating: a day with no interactions at all, then whatever real ratings come.</item>
/// <item>Requests come from the shoppers active in the day's slice (uniformly, drawn from the seed), or anyone with a
/// history on a day nobody rated anything.</item>
/// </list>
/// Clicks follow the shopper's taste now, discounted by position (1 / log2(position + 2)); a click leads to the cart
/// in proportion to the baseline's predicted rating (<see cref="MovieLensWorldOptions.CartAtAverageRating"/> at 3.5).
/// </summary>
public sealed class MovieLensWorld : IShopWorld
{
    private const double SecondsPerDay = 86_400;

    private readonly MovieLensTruth _truth;
    private readonly MovieLensWorldOptions _world;
    private readonly TimeSpan _roundLength;
    private readonly Random _random;
    private readonly ShopperTastes _tastes;
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);
    private readonly List<WorldItem> _items = [];
    private readonly List<int> _arrivals;
    private readonly List<int> _everActive = [];
    private readonly bool[] _isEverActive;
    private List<int> _activeToday = [];
    private IReadOnlyList<OrganicVisit> _today = [];
    private readonly int _seed;
    private bool _historyDay;
    private int _nextArrival;
    private int _nextRating;

    public MovieLensWorld(MovieLensTruth truth, ServingSimulationOptions options, MovieLensWorldOptions? world = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        _world = world ?? new MovieLensWorldOptions();
        _world.Validate();
        _truth = truth;
        _roundLength = options.RoundLength;
        _random = new Random(options.Seed);
        _seed = options.Seed;
        _tastes = new ShopperTastes(truth, _world.TopClickProbability, _world.MedianClickProbability);
        _isEverActive = new bool[truth.Users];
        for (var i = 0; i < truth.Items.Count; i++)
        {
            _indexOf[truth.Items[i].Id] = i;
        }

        var share = _world.CutFrom + ((_world.CutTo - _world.CutFrom) * _random.NextDouble());
        Cut = truth.Ratings[(int)(share * (truth.Ratings.Count - 1))].Timestamp;
        var firstRated = new Dictionary<int, long>();
        foreach (var r in truth.Ratings)
        {
            firstRated.TryAdd(r.Item - 1, r.Timestamp);
        }

        var byFirstRating = firstRated.OrderBy(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key).ToList();
        _items.AddRange(byFirstRating.Where(i => firstRated[i] < Cut).Select(i => truth.Items[i] with { ArrivedRound = -1 }));
        _arrivals = [.. byFirstRating.Where(i => firstRated[i] >= Cut)];
        FirstRated = firstRated;
    }

    public string Name => "movielens";

    public int Users => _truth.Users;

    public IReadOnlyList<WorldItem> Items => _items;

    /// <summary>The seed's time cut (Unix seconds): ratings before it are the shoppers' histories.</summary>
    public long Cut { get; }

    /// <summary>When each movie (index) was first rated, Unix seconds.</summary>
    public IReadOnlyDictionary<int, long> FirstRated { get; }

    /// <summary>The end of the real slice of day <paramref name="day"/> (Unix seconds): day d holds the ratings from the end of day d − 1's; day 0 everything before the cut.</summary>
    public long SliceEnd(int day) => Cut + (long)(day * _world.RealDaysPerRound * SecondsPerDay);

    public IReadOnlyList<WorldItem> BeginRound(int round)
    {
        // Movies first rated in the next day's slice arrive today, with no interactions yet.
        var arrived = new List<WorldItem>();
        var until = SliceEnd(round + 1);
        while (_nextArrival < _arrivals.Count && FirstRated[_arrivals[_nextArrival]] < until)
        {
            var item = _truth.Items[_arrivals[_nextArrival++]] with { ArrivedRound = round };
            _items.Add(item);
            arrived.Add(item);
        }

        _today = Slice(SliceEnd(round));
        _historyDay = round == 0;
        _activeToday = [.. _today.Select(v => v.User).Distinct()];
        return arrived;
    }

    public int NextUser()
    {
        var pool = _activeToday.Count > 0 ? _activeToday : _everActive;
        return pool.Count == 0 ? _random.Next(Users) : pool[_random.Next(pool.Count)];
    }

    public double ClickProbability(int user, WorldItem item) => _tastes.ClickProbability(user, _indexOf[item.Id]);

    public double PositionDiscount(int position) => 1 / Math.Log2(position + 2);

    public AfterClick AfterClick(int user, WorldItem item)
    {
        var rating = _truth.PredictedRating(user, _indexOf[item.Id]);
        return new AfterClick(Math.Clamp(_world.CartAtAverageRating * (rating - 1) / 2.5, 0, 1), _world.PurchaseAfterCart);
    }

    /// <summary>The day's real ratings the shop sees (<see cref="MovieLensWorldOptions.ObservedShare"/>), in time order; the shoppers' tastes move on with all of them.</summary>
    public IReadOnlyList<OrganicVisit> Browse()
    {
        foreach (var visit in _today)
        {
            _tastes.Rated(visit.User, _indexOf[visit.Item.Id]);
            if (!_isEverActive[visit.User])
            {
                _isEverActive[visit.User] = true;
                _everActive.Add(visit.User);
            }
        }

        // Day 0's histories are seen whole: shoppers arrive with what the shop knew of them before the cut.
        return _world.ObservedShare >= 1 || _historyDay
            ? _today
            : [.. _today.Where(v => StableDraw.Uniform(_seed, v.User, 0, v.Item.Id, 3) < _world.ObservedShare)];
    }

    /// <summary>How many movies the shopper (index) has rated up to now in the real sequence.</summary>
    public int RatedSoFar(int user) => _tastes.RatedCount(user);

    /// <summary>The real ratings before <paramref name="end"/> not yet visited, stamped at the same speed as the days.</summary>
    private List<OrganicVisit> Slice(long end)
    {
        var visits = new List<OrganicVisit>();
        var ratings = _truth.Ratings;
        for (; _nextRating < ratings.Count && ratings[_nextRating].Timestamp < end; _nextRating++)
        {
            var r = ratings[_nextRating];
            var ago = TimeSpan.FromTicks((long)(_roundLength.Ticks * (end - r.Timestamp) / (_world.RealDaysPerRound * SecondsPerDay)));
            visits.Add(new OrganicVisit(r.User - 1, _truth.Items[r.Item - 1], r.Rating >= 4, r.Rating >= 5) { Ago = ago });
        }

        return visits;
    }
}
