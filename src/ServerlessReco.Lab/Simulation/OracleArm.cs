namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// What the oracle arm earned in a run: each request's shopper shown the world's true best items, best first, by the
/// simulator alone. Its expected clicks are the ceiling every policy's are a share of.
/// </summary>
/// <param name="ExpectedClicks">The sum of the true click probabilities (with the position discount) of every list it showed.</param>
/// <param name="ExpectedByRound">The same per served round.</param>
/// <param name="Clicks">Clicks drawn with the same numbers as the policies' (<see cref="StableDraw"/>).</param>
/// <param name="DistinctShown">Distinct items it showed in the run.</param>
public sealed record OracleArmResult(double ExpectedClicks, IReadOnlyList<double> ExpectedByRound, double Clicks, double DistinctShown);

/// <summary>
/// The oracle as an arm of its own: every request of the run is also answered with the shopper's true best
/// <c>listSize</c> items among those they have not taken up yet (found on their own or clicked in the oracle's lists),
/// and the shopper responds to it with the same numbers a policy's list gets. It never reaches the product: nothing it
/// shows or clicks is posted, so the product's logs and models are the policy's alone, and because the world's draws
/// do not depend on the policy, every run of a seed (in process or over HTTP) gives the oracle the same figures: a
/// common ceiling. The <see cref="SimulationResult.OracleReward"/> of a run is another figure: the best list given
/// what the policy's own shoppers had taken up.
/// </summary>
internal sealed class OracleArm
{
    private readonly IShopWorld _world;
    private readonly int _seed;
    private readonly int _listSize;
    private readonly HashSet<string>[] _takenUp;
    private readonly HashSet<string> _shown = new(StringComparer.Ordinal);
    private readonly double[] _expectedByRound;
    private double _clicks;

    public OracleArm(IShopWorld world, int seed, int listSize, int rounds)
    {
        _world = world;
        _seed = seed;
        _listSize = listSize;
        _takenUp = Enumerable.Range(0, world.Users).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        _expectedByRound = new double[rounds];
    }

    /// <summary>The shopper found the item on their own: the oracle does not offer it to them again.</summary>
    public void Visited(int user, string itemId) => _takenUp[user].Add(itemId);

    /// <summary>The oracle's list for this request, the expected clicks it earns, and the shopper's clicks on it.</summary>
    public void Serve(int round, int request, int user)
    {
        var best = ServingSimulation.BestItems(_world, user, _takenUp[user], _listSize);
        for (var position = 0; position < best.Count; position++)
        {
            var item = best[position];
            var probability = _world.ClickProbability(user, item) * _world.PositionDiscount(position);
            _expectedByRound[round] += probability;
            _shown.Add(item.Id);
            if (StableDraw.Uniform(_seed, round, request, item.Id, 0) < probability)
            {
                _clicks++;
                _takenUp[user].Add(item.Id);
            }
        }
    }

    public OracleArmResult Result() => new(_expectedByRound.Sum(), [.. _expectedByRound], _clicks, _shown.Count);
}
