using ServerlessReco.Core.Content;

namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// A world a study runs in: how to make a fresh one for a run (every run of a seed faces the same shop), the options
/// that suit it, and the content model the product's retrain embeds item texts with (null: the product runs without one).
/// </summary>
public sealed record SimulationWorld(string Name, Func<ServingSimulationOptions, IShopWorld> Create, IItemEmbedder? ContentModel = null)
{
    /// <summary>The hand-built shop (<see cref="ShopWorld"/>): categories, drifting interests, items without text.</summary>
    public static SimulationWorld HandBuilt { get; } = new("hand-built", o => new ShopWorld(o));

    /// <summary>The shop fitted on MovieLens-100k in <paramref name="folder"/> (<see cref="MovieLensWorld"/>); the truth is fitted once per process.</summary>
    public static SimulationWorld MovieLens(string folder, IItemEmbedder? contentModel = null, MovieLensWorldOptions? options = null)
    {
        var truth = MovieLensTruth.Load(folder);
        return new("movielens", o => new MovieLensWorld(truth, o, options), contentModel);
    }

    /// <summary>
    /// The MovieLens world's loop: day 0 posts the histories (no separate warm-up days); 30 days of 40 lists and a retrain
    /// every 5 days keep five seeds of every policy within minutes on two cores.
    /// </summary>
    public static ServingSimulationOptions MovieLensDefaults { get; } = new() { WarmUpRounds = 1, Rounds = 30, RequestsPerRound = 40 };
}
