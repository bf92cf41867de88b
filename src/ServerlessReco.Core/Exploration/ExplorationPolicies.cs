using System.Collections.Concurrent;

namespace ServerlessReco.Core.Exploration;

/// <summary>
/// Which exploration policy lists are drawn with and how: the policy's setting name, the default rate (0..1), at most
/// how many explore slots a list has, the extra weight of new items, and the Monte Carlo runs behind a Thompson-sampling
/// propensity. Serving reads them from its settings (<c>Serving:ExplorationPolicy</c> and so on).
/// </summary>
public sealed record ExplorationSettings(string Policy, double Explore, int Budget, double NewItemBoost, int ThompsonSamples);

/// <summary>
/// The policies serving can run, by setting name, built once per exploration rate (requests may ask for their own
/// rate, so there are a handful at most: rates are rounded to 0.01 first).
/// </summary>
public sealed class ExplorationPolicies
{
    public const string EpsilonGreedy = "epsilon-greedy";
    public const string Thompson = "thompson";
    public const string Uniform = "uniform";
    public const string Uncertainty = "uncertainty";

    public static IReadOnlyList<string> Names { get; } = [Uncertainty, EpsilonGreedy, Thompson, Uniform];

    private readonly ExplorationSettings _settings;
    private readonly ConcurrentDictionary<double, IExplorationPolicy> _byRate = new();

    public ExplorationPolicies(ExplorationSettings settings) => _settings = settings;

    public static bool IsKnown(string? name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The configured policy at <paramref name="explore"/> (0..1, rounded to 0.01).</summary>
    public IExplorationPolicy At(double explore)
    {
        var rate = Math.Round(Math.Clamp(explore, 0, 1), 2);
        return _byRate.GetOrAdd(rate, r => Create(_settings, r));
    }

    public static IExplorationPolicy Create(ExplorationSettings settings, double explore)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Policy switch
        {
            Thompson => new ThompsonSamplingPolicy(explore, settings.Budget, settings.NewItemBoost, monteCarloSamples: settings.ThompsonSamples),
            Uniform => new UniformRandomPolicy(),
            Uncertainty => new UncertaintyPolicy(explore, settings.Budget, settings.NewItemBoost),
            _ => new EpsilonGreedyPolicy(explore, settings.Budget, settings.NewItemBoost),
        };
    }
}
