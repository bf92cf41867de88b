using System.Collections.Concurrent;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// The policies serving can run, by setting name, built once per exploration rate (requests may ask for their own
/// rate, so there are a handful at most: rates are rounded to 0.01 first).
/// </summary>
public sealed class ExplorationPolicies
{
    public const string EpsilonGreedy = "epsilon-greedy";
    public const string Thompson = "thompson";
    public const string Uniform = "uniform";

    public static IReadOnlyList<string> Names { get; } = [EpsilonGreedy, Thompson, Uniform];

    private readonly ServingOptions _options;
    private readonly ConcurrentDictionary<double, IExplorationPolicy> _byRate = new();

    public ExplorationPolicies(ServingOptions options) => _options = options;

    public static bool IsKnown(string? name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The configured policy at <paramref name="explore"/> (0..1, rounded to 0.01).</summary>
    public IExplorationPolicy At(double explore)
    {
        var rate = Math.Round(Math.Clamp(explore, 0, 1), 2);
        return _byRate.GetOrAdd(rate, r => Create(_options, r));
    }

    public static IExplorationPolicy Create(ServingOptions options, double explore) => options.ExplorationPolicy switch
    {
        Thompson => new ThompsonSamplingPolicy(explore, options.ExplorationBudget, options.NewItemBoost, monteCarloSamples: options.ThompsonSamples),
        Uniform => new UniformRandomPolicy(),
        _ => new EpsilonGreedyPolicy(explore, options.ExplorationBudget, options.NewItemBoost),
    };
}
