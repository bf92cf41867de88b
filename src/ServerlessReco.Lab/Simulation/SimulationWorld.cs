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
    /// The MovieLens world's loop: day 0 posts the histories (no separate warm-up days), then 20 days (60 real days) of
    /// 40 lists with a retrain every 5 days. Each retrain trains EASE over about 1,500 movies at least twice (on the hold-out split, then on the whole window)
    /// and embeds the catalogue: it is most of a run's time, so 20 days keep five seeds of every policy to minutes.
    /// </summary>
    public static ServingSimulationOptions MovieLensDefaults { get; } = new() { WarmUpRounds = 1, Rounds = 20, RequestsPerRound = 40 };
}
