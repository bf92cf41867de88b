using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// A policy of the simulation is nothing but serving settings: the loop serves through the real
/// <see cref="RecommendationService"/>, so comparing policies means comparing <see cref="ServingOptions"/>.
/// </summary>
public sealed record SimulatedPolicy(string Name, Action<ServingOptions> Configure)
{
    /// <summary>
    /// Explore 0: the model's order alone (serving shows no explore slot and no new-arrival slot at explore 0), the
    /// baseline of every ratio and the target whose off-policy estimate is checked against running it.
    /// </summary>
    public static SimulatedPolicy PureExploitation { get; } = new("pure exploitation", o => o.Explore = 0);

    /// <summary>The serving defaults as they ship: the uncertainty policy at 0.1, budget 2, new-item boost 1, one new-arrival slot.</summary>
    public static SimulatedPolicy Default { get; } = new("uncertainty 0.1 (default)", _ => { });

    /// <summary>Thompson sampling on every slot up to the budget (2), new-item boost 1, one new-arrival slot.</summary>
    public static SimulatedPolicy Thompson { get; } = new("Thompson sampling", o =>
    {
        o.ExplorationPolicy = ExplorationPolicies.Thompson;
        o.Explore = 1;
    });

    /// <summary>
    /// Every slot uniformly at random among everything serving can offer: the pool is widened to the whole model and
    /// trending (serving never sees items nobody touched), and no rule-based slot.
    /// </summary>
    public static SimulatedPolicy UniformRandom { get; } = new("uniform random", o =>
    {
        o.ExplorationPolicy = ExplorationPolicies.Uniform;
        o.Explore = 1;
        o.ExplorationPool = 500;
        o.NewArrivalSlots = 0;
    });

    /// <summary>
    /// This policy in the product as it was before the click model (issue 22): serving does not re-rank by it and the
    /// retrain does not train it (in process, <see cref="ServingSimulation"/>; over HTTP, the host's Reco:ClickModel too).
    /// </summary>
    public SimulatedPolicy WithoutClickModel() => this with
    {
        Name = $"{Name}, no click model",
        Configure = o =>
        {
            Configure(o);
            o.ClickModel = false;
        },
    };

    /// <summary>The four policies the issue compares, exploitation first (the baseline of every ratio).</summary>
    public static IReadOnlyList<SimulatedPolicy> Compared { get; } = [PureExploitation, Default, Thompson, UniformRandom];

    /// <summary>The policies by the names the simulation commands take.</summary>
    public static IReadOnlyDictionary<string, SimulatedPolicy> ByName { get; } = new Dictionary<string, SimulatedPolicy>(StringComparer.OrdinalIgnoreCase)
    {
        ["exploitation"] = PureExploitation,
        ["default"] = Default,
        ["thompson"] = Thompson,
        ["uniform"] = UniformRandom,
        ["exploitation-no-click-model"] = PureExploitation.WithoutClickModel(),
        ["default-no-click-model"] = Default.WithoutClickModel(),
    };

    /// <summary>
    /// The serving settings of this policy, with the simulation's seed for the exploration draws. Thompson sampling's
    /// Monte Carlo propensities use 100 runs instead of 500: only its rewards are reported, and 500 runs per list would
    /// dominate the simulation's time.
    /// </summary>
    public ServingOptions CreateOptions(int seed)
    {
        var options = new ServingOptions { ExplorationSeed = seed, ThompsonSamples = 100 };
        Configure(options);
        options.Validate();
        return options;
    }
}
