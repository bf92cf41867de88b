using System.Diagnostics;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// One run of <see cref="ServingSimulation"/>: the world, the product it talks to (<see cref="IShopApi"/>), and what the run
/// has counted so far. Days begin (drift, arrivals, organic visits), rounds serve lists and record the responses.
/// </summary>
internal sealed class SimulatedShop
{
    private readonly SimulatedPolicy _policy;
    private readonly ServingSimulationOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly IShopWorld _world;
    private readonly IShopApi _shop;
    private readonly Dictionary<string, WorldItem> _byId = new(StringComparer.Ordinal);
    private readonly HashSet<string>[] _takenUp;
    private readonly ExposureTracker _exposure;
    private readonly double[] _rewardByRound;
    private readonly double[] _expectedByRound;
    private readonly OracleArm _oracleArm;
    private readonly List<SimulatedList> _lists;
    private readonly List<RetrainEstimates> _retrainEstimates = [];
    private bool _servingClickModel;
    private double _expected, _oracle, _purchases;
    private int _retrains, _promotions, _servedSlots;

    public SimulatedShop(SimulatedPolicy policy, ServingSimulationOptions options, IShopWorld world, IShopApi shop, CancellationToken cancellationToken)
    {
        _policy = policy;
        _options = options;
        _cancellationToken = cancellationToken;
        _world = world;
        _shop = shop;
        _takenUp = Enumerable.Range(0, world.Users).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        _rewardByRound = new double[options.Rounds];
        _expectedByRound = new double[options.Rounds];
        _oracleArm = new OracleArm(world, options.Seed, options.ListSize, options.Rounds);
        _exposure = new ExposureTracker(options.WarmUpRounds, options.Rounds);
        _lists = new List<SimulatedList>(options.Rounds * options.RequestsPerRound);
        foreach (var item in _world.Items)
        {
            _byId[item.Id] = item;
        }
    }

    /// <summary>The established catalogue was created long before the simulation: none of it counts as new.</summary>
    public Task OpenAsync() => _shop.UpsertItemsAsync(_world.Items, _options.Start.AddDays(-365), _cancellationToken);

    /// <summary>A new day: the clock moves, interests drift, new items arrive in the catalogue, shoppers browse on their own.</summary>
    public async Task BeginDayAsync(int day)
    {
        await _shop.BeginDayAsync(_options.Start + (day * _options.RoundLength), _cancellationToken).ConfigureAwait(false);
        var now = _shop.Now;
        var arrived = _world.BeginRound(day);
        foreach (var item in arrived)
        {
            _byId[item.Id] = item;
            _exposure.Arrived(item.Id, day);
        }

        await _shop.UpsertItemsAsync(arrived, now, _cancellationToken).ConfigureAwait(false);
        var visits = _world.Browse();
        var events = new List<BehaviorEvent>(visits.Count * 2);
        for (var v = 0; v < visits.Count; v++)
        {
            var visit = visits[v];
            var userId = ShopWorld.UserId(visit.User);
            // Organic visits happen before the day's recommendations, a second apart, in the order drawn.
            var at = now - (visit.Ago ?? TimeSpan.FromSeconds(visits.Count - v));
            _takenUp[visit.User].Add(visit.Item.Id);
            _oracleArm.Visited(visit.User, visit.Item.Id);
            events.Add(ServingSimulation.Event(userId, visit.Item.Id, EventType.View, at, null));
            if (visit.AddedToCart)
            {
                events.Add(ServingSimulation.Event(userId, visit.Item.Id, EventType.AddToCart, at, null));
            }

            if (visit.Purchased)
            {
                events.Add(ServingSimulation.Event(userId, visit.Item.Id, EventType.Purchase, at, null));
            }
        }

        await _shop.RecordEventsAsync(events, _cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the latest retrain did (trained, promoted or kept out, and the gate's reason), for the progress stream.</summary>
    public string? Retrained { get; private set; }

    /// <summary>One simulated day of recommendations: retrain when due, reload serving, then every request of the day.</summary>
    public async Task RunRoundAsync(int round)
    {
        await BeginDayAsync(_options.WarmUpRounds + round).ConfigureAwait(false);
        if (round % _options.RetrainEvery == 0)
        {
            var result = await _shop.RetrainAsync(_cancellationToken).ConfigureAwait(false);
            Retrained = $"{_policy.Name}: day {round}: {result.Summary}";
            _retrains += result.Trained ? 1 : 0;
            _promotions += result.Promoted ? 1 : 0;
            _retrainEstimates.Add(new RetrainEstimates(round, result.Promoted, result.Rate, result.ClickModel, _servingClickModel));
            _servingClickModel = result.Promoted ? result.ClickModel?.Serves == true : _servingClickModel;
        }

        // The promoted model (if any), the day's catalogue and trending, loaded before the first request of the day.
        await _shop.RefreshAsync(_cancellationToken).ConfigureAwait(false);
        for (var request = 0; request < _options.RequestsPerRound; request++)
        {
            await ServeAsync(round, request).ConfigureAwait(false);
        }

        _exposure.EndOfRound(round);
    }

    /// <summary>One shopper asks for a list, looks at every item shown and responds with its true probabilities.</summary>
    private async Task ServeAsync(int round, int request)
    {
        var user = _world.NextUser();
        var userId = ShopWorld.UserId(user);
        // The oracle answers the same request beside the product, which never hears of it.
        _oracleArm.Serve(round, request, user);
        var list = await _shop.RecommendAsync(userId, _options.ListSize, _cancellationToken).ConfigureAwait(false);

        // The responses happen after the list was served: in process the day's time, over HTTP the host's clock by now.
        var now = _shop.Now;
        var drawn = list.Candidates ?? [];
        _oracle += ServingSimulation.Oracle(_world, user, _takenUp[user], _options.ListSize);

        var responses = new List<BehaviorEvent>();
        var candidateIds = drawn.Select(c => c.ItemId).ToHashSet(StringComparer.Ordinal);
        var fixedSlots = new List<double>();
        var policySlotDiscounts = new List<double>();
        var policySlotExpected = 0.0;
        var clicked = new List<int>();
        for (var position = 0; position < list.Items.Count; position++)
        {
            var item = _byId[list.Items[position].ItemId];
            var discount = _world.PositionDiscount(position);
            var probability = _world.ClickProbability(user, item) * discount;
            _expected += probability;
            _expectedByRound[round] += probability;
            _servedSlots++;
            _exposure.Shown(item.Id, _options.WarmUpRounds + round);
            // In process the candidates say which slots the policy drew; over HTTP (no candidates) the fixed slot is the
            // one the answer marks as a new arrival.
            if (list.Candidates is null ? list.Items[position].ReasonKind != ReasonKind.NewArrival : candidateIds.Contains(item.Id))
            {
                policySlotDiscounts.Add(discount);
                policySlotExpected += probability;
            }
            else
            {
                fixedSlots.Add(probability);
            }

            if (Respond(new ShownItem(round, request, user, userId, item, probability, now, list.RecommendationId), responses))
            {
                clicked.Add(position);
            }
        }

        _lists.Add(new SimulatedList(
            list.RecommendationId, drawn, drawn.Select(c => _world.ClickProbability(user, _byId[c.ItemId])).ToArray(),
            list.Items.Count - fixedSlots.Count, fixedSlots) { PolicySlotDiscounts = policySlotDiscounts, ClickedPositions = clicked, PolicySlotExpected = policySlotExpected });
        if (responses.Count > 0)
        {
            await _shop.RecordEventsAsync(responses, _cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Click with the true probability, then perhaps add to cart and buy; every event cites the list. True when clicked.</summary>
    private bool Respond(ShownItem shown, List<BehaviorEvent> responses)
    {
        var (seed, itemId) = (_options.Seed, shown.Item.Id);
        if (StableDraw.Uniform(seed, shown.Round, shown.Request, itemId, 0) >= shown.Probability)
        {
            return false;
        }

        _rewardByRound[shown.Round]++;
        _takenUp[shown.User].Add(itemId);
        _exposure.Clicked(itemId, _options.WarmUpRounds + shown.Round);
        responses.Add(ServingSimulation.Event(shown.UserId, itemId, EventType.Click, shown.Now, shown.RecommendationId));
        var after = _world.AfterClick(shown.User, shown.Item);
        if (StableDraw.Uniform(seed, shown.Round, shown.Request, itemId, 1) < after.Cart)
        {
            responses.Add(ServingSimulation.Event(shown.UserId, itemId, EventType.AddToCart, shown.Now, shown.RecommendationId));
            if (StableDraw.Uniform(seed, shown.Round, shown.Request, itemId, 2) < after.PurchaseAfterCart)
            {
                _purchases++;
                responses.Add(ServingSimulation.Event(shown.UserId, itemId, EventType.Purchase, shown.Now, shown.RecommendationId));
            }
        }

        return true;
    }

    public string Progress(int round) =>
        $"{_policy.Name}: round {round + 1}/{_options.Rounds}, {_rewardByRound.Take(round + 1).Sum():N0} clicks, {_promotions} models promoted, {_stopwatch.Elapsed.TotalSeconds:0.0} s";

    public ServingSimulationRun Result()
    {
        var allExposures = _world.Items.Select(i => (double)_exposure.Exposures(i.Id)).ToArray();
        var reward = _rewardByRound.Sum();
        var serving = _policy.CreateOptions(_options.Seed);
        var figures = new SimulationResult(
            _policy.Name, reward, _expected, _oracle, _oracle - _expected, allExposures.Count(e => e > 0) / (double)allExposures.Length,
            Exposure.Gini(allExposures), _rewardByRound)
        {
            Purchases = _purchases,
            DistinctShownByRound = _exposure.DistinctShownByRound,
            NewItems = _exposure.NewItems(),
            ExpectedByRound = _expectedByRound,
            Oracle = _oracleArm.Result(),
            Exploring = serving.Explore > 0,
            ClickModel = serving.ClickModel && _options.ClickModel,
        };
        return new ServingSimulationRun(figures, _retrains, _promotions, _servedSlots, _lists, _stopwatch.Elapsed)
        {
            NextPeriod = NextPeriodCheck.Compare(_retrainEstimates, _lists, _options, serving),
        };
    }

    private readonly record struct ShownItem(
        int Round, int Request, int User, string UserId, WorldItem Item, double Probability, DateTimeOffset Now, string RecommendationId);
}
